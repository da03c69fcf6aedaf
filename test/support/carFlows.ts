import type { AutomationClient } from '../../main/automation/client';
import type { ScreenSnapshot } from '../../shared/contract';
import { addByEmail } from './driver';

/**
 * The screen once `shown` holds for it, read over the automation API; each wait starts from the
 * revision just read, so a change made between the read and the wait is not missed. Throws after
 * `timeoutMs` without a change, saying what the screen last showed (`describe`, default its id).
 */
export async function untilShown(
  car: AutomationClient,
  shown: (screen: ScreenSnapshot) => boolean,
  timeoutMs: number,
  describe: (screen: ScreenSnapshot) => string = (screen) => screen.screen,
): Promise<ScreenSnapshot> {
  let screen = await car.screen();
  while (!shown(screen)) {
    const last = screen;
    screen = await car.waitForView(last.revision, timeoutMs).catch((error: Error) => {
      throw new Error(`${error.message}; the screen shows ${describe(last)}`);
    });
  }
  return screen;
}

/**
 * STEP 2 by e-mail for Hanako (the demo BMW ID with One Number), through the automation API as a
 * bench script drives it: the login, "later" for the PIN and for telephony, and the car's Mobile
 * devices page, where the Personal eSIM's row is. Resolves once that page is open.
 */
export async function setUpHanakosEsim(car: AutomationClient): Promise<void> {
  await addByEmail(car, 'hanako@example.com', 'onenumber-demo');
  // As the guide goes on (STEP 2 steps 10–12): Mobile devices, where the set-up starts; the car then offers telephony: later.
  await car.touch('mobileDevices');
  await car.waitForScreen('mobileDevices', 10_000);
  await untilShown(car, (screen) => screen.popup !== null, 60_000);
  await car.touch('notNow');
  await car.waitForScreen('mobileDevices', 10_000);
}

/** Whether the Personal eSIM's row comes to say `detail` within `views` changes of the view; what it said instead, if not. */
export async function esimRowSays(car: AutomationClient, detail: string, views = 50): Promise<{ ok: boolean; seen: string }> {
  let seen = '';
  let screen = await car.screen();
  for (let i = 0; i < views; i++) {
    const row = screen.items.find((item) => item.id === 'esim');
    if (row?.detail === detail) return { ok: true, seen: detail };
    seen = `${screen.screen}: ${row?.detail ?? 'no eSIM row'}`;
    screen = await car.waitForView(screen.revision, 5_000).catch(() => car.screen());
  }
  return { ok: false, seen };
}
