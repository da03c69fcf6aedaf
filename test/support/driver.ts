import { Core } from '../../main/core';
import type { ScreenSnapshot } from '../../shared/contract';
import type { Button } from '../../shared/controller';

/**
 * A car as a test drives it: the Core in this process (`driverOf`), or a head unit over the
 * automation API (an AutomationClient is a Driver as it is). The flows below are written once and
 * run on both, so a change to the screens they walk is mended in one place.
 */
export interface Driver {
  touch(itemId: string): Promise<unknown>;
  type(text: string): Promise<unknown>;
  button(button: Button): Promise<unknown>;
  waitForScreen(screen: string, timeoutMs?: number): Promise<ScreenSnapshot>;
}

/** The Core in this process as a Driver: each input goes in at once, in order, as a display's do. */
export function driverOf(core: Core): Driver {
  return {
    touch: async (itemId) => core.input({ kind: 'touch', itemId }),
    type: async (text) => core.input({ kind: 'type', text }),
    button: async (button) => core.input({ kind: 'button', button }),
    waitForScreen: (screen, timeoutMs = 10_000) => core.waitForScreen(screen, timeoutMs),
  };
}

const asDriver = (car: Core | Driver): Driver => (car instanceof Core ? driverOf(car) : car);

/**
 * The e-mail login from the menu (STEP 2 by e-mail), the car's settings kept, up to its last
 * Continue: with `pin`, one set up now; with null, "Set up PIN later". The car is storing the
 * login then; `addByEmail` waits for it.
 */
export async function loginByEmail(car: Core | Driver, email: string, password: string, pin: string | null = null): Promise<void> {
  const driver = asDriver(car);
  await driver.button('MENU');
  for (const id of ['bmwId', 'add', 'email']) await driver.touch(id);
  await driver.type(email);
  await driver.touch('key.ok');
  await driver.type(password);
  await driver.touch('key.ok');
  await driver.waitForScreen('login.settings', 10_000);
  for (const id of ['keep', 'continue']) await driver.touch(id);
  if (pin === null) {
    await driver.touch('pinLater');
  } else {
    await driver.touch('pinNow');
    await driver.type(pin);
    await driver.type(pin);
    await driver.touch('continue');
  }
}

/** Adds a BMW ID by e-mail through the real screens (see `loginByEmail`); resolves once the car is back in the menu. */
export async function addByEmail(car: Core | Driver, email: string, password: string, pin: string | null = null): Promise<void> {
  await loginByEmail(car, email, password, pin);
  await asDriver(car).waitForScreen('menu', 10_000);
}
