import { cp, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../main/core';
import { SimModem } from '../../hardware/modem/sim/simModem';
import { defaultScenario } from '../../shared/scenario';
import type { ControllerInput } from '../../shared/controller';
import { carWithCloud, type CarWithCloud } from '../support/carWithCloud';
import { useTempDirs } from '../support/tempDir';
import { simulatedParts } from '../../main/world';
import { addByEmail } from '../support/driver';

/**
 * Input is a stream: every key reaches the core in the order it was made and means what it means
 * on the screen it lands on, even while that screen is still being written or drawn.
 */
const tempDir = useTempDirs();
let cars: CarWithCloud[] = [];
afterEach(async () => {
  for (const car of cars) await car.stop();
  cars = [];
});
async function newCar(): Promise<CarWithCloud> {
  const car = await carWithCloud(await tempDir());
  cars.push(car);
  return car;
}

const touch = (core: Core, itemId: string) => core.input({ kind: 'touch', itemId });
const key = (key: 'Enter' | 'Backspace'): ControllerInput => ({ kind: 'key', key });
const onDisk = async (core: Core, dir: string) =>
  JSON.parse(await readFile(join(dir, 'profiles.json'), 'utf8')) as { data: { active: string | null; profiles: { name: string; hasPin: boolean }[] } };

/** The e-mail login up to "Set up PIN now", with the focus on it. */
async function toPinOffer(core: Core): Promise<void> {
  core.input({ kind: 'button', button: 'MENU' });
  for (const id of ['bmwId', 'add', 'email']) touch(core, id);
  core.input({ kind: 'type', text: 'taro@example.com' });
  core.input(key('Enter'));
  core.input({ kind: 'type', text: 'bmw-id-demo' });
  core.input(key('Enter'));
  await core.waitForScreen('login.settings', 5000);
  touch(core, 'keep');
  touch(core, 'continue');
  await core.waitForScreen('login.pinOffer', 5000);
}

/** From "PIN is set": Taro's profile, left for Guest and chosen again, unlocks with `pin`. */
async function expectPinUnlocks(core: Core, pin: string): Promise<void> {
  await core.waitForScreen('login.pinSet', 5000);
  touch(core, 'continue');
  await core.waitForScreen('menu', 5000);
  touch(core, 'bmwId');
  touch(core, 'profile.guest');
  await core.settled();
  touch(core, 'bmwId');
  touch(core, core.snapshot().items.find((i) => i.label === 'Taro Yamada')!.id);
  await core.waitForScreen('entry.pinUnlock', 5000);
  core.input({ kind: 'type', text: pin });
  await core.waitForScreen('menu', 5000);
  expect(core.view().status.profile).toBe('Taro Yamada');
}

describe('the bench keyboard, interpreted where it lands', () => {
  it('types a PIN sent straight after the Enter that opens the pad, and submits the e-mail with Enter', async () => {
    const { core } = await newCar();
    await toPinOffer(core);
    // "Set up PIN now" is focused: Enter opens the pad, and the digits follow without a wait.
    expect(core.view().screen.focus).toBe('pinNow');
    for (const input of [key('Enter'), ...[...'25802580'].map((c): ControllerInput => ({ kind: 'type', text: c }))]) core.input(input);
    // The PIN stored is the one typed: it unlocks the profile.
    await expectPinUnlocks(core, '2580');
  });

  it('Enter after steering the cursor presses the key it is on; after typing, it submits', async () => {
    const { core } = await newCar();
    for (const id of ['settings', 'vehicleName']) touch(core, id);
    await core.waitForScreen('entry.vehicleName', 5000);
    const text = () => (core.view().screen.kind === 'entry' ? (core.view().screen as { shown: string }).shown : '');
    core.input(key('Backspace'));
    expect(text()).toBe('BMW 1234');
    core.input({ kind: 'rotate', detents: 1 }); // 1 → 2
    core.input(key('Enter'));
    expect(text()).toBe('BMW 12342');
    core.input({ kind: 'type', text: '9' });
    core.input(key('Enter'));
    await core.settled();
    expect(core.view().screen.id).toBe('settings');
    expect(core.snapshot().items.find((i) => i.id === 'vehicleName')?.detail).toBe('BMW 123429');
  });

  it('from the first key of a fresh pad, Enter and the controller press type the key under the cursor', async () => {
    const { core } = await newCar();
    await toPinOffer(core);
    touch(core, 'pinNow');
    await core.waitForScreen('entry.pin', 5000);
    // Four presses on the pad as it opens: four times the key under the cursor, then the same
    // four on the confirmation pad. The PIN set is the one the driver pressed.
    const firstKey = core.view().screen.focus;
    const digit = core.snapshot().items.find((i) => i.id === firstKey)!.label;
    expect(digit).toMatch(/^\d$/);
    for (let i = 0; i < 4; i++) core.input(key('Enter'));
    await core.waitForScreen('entry.pinConfirm', 5000);
    for (let i = 0; i < 4; i++) core.input({ kind: 'press' });
    await expectPinUnlocks(core, digit.repeat(4));
  });

  it('on an empty e-mail keyboard Enter types the key under the cursor, and submits once something was typed', async () => {
    const { core } = await newCar();
    core.input({ kind: 'button', button: 'MENU' });
    for (const id of ['bmwId', 'add', 'email']) touch(core, id);
    const shown = () => (core.view().screen as { shown: string }).shown;
    core.input(key('Enter'));
    expect(core.view().screen.kind).toBe('entry');
    expect(shown()).toHaveLength(1);
    core.input(key('Backspace'));
    core.input({ kind: 'type', text: 'taro@example.com' });
    core.input(key('Enter'));
    await core.settled();
    expect(core.view().screen.id).not.toBe('entry.email');
  });

  it('Enter then Backspace at once on Vehicle name deletes a character instead of closing the keyboard', async () => {
    const { core } = await newCar();
    touch(core, 'settings');
    const row = core.snapshot().items.findIndex((i) => i.id === 'vehicleName');
    core.input({ kind: 'rotate', detents: row });
    core.input(key('Enter'));
    core.input(key('Backspace'));
    expect(core.view().screen.id).toBe('entry.vehicleName');
    expect((core.view().screen as { shown: string }).shown).toBe('BMW 1234');
  });
});

describe('input while the car is writing', () => {
  it('MENU straight after Continue on "PIN is set" waits for the write: the BMW ID is active on screen and on disk', async () => {
    const car = await newCar();
    const dir = (car.core as unknown as { options: { dataDir: string } }).options.dataDir;
    await toPinOffer(car.core);
    touch(car.core, 'pinNow');
    car.core.input({ kind: 'type', text: '2580' });
    car.core.input({ kind: 'type', text: '2580' });
    await car.core.waitForScreen('login.pinSet', 5000);
    touch(car.core, 'continue');
    car.core.input({ kind: 'button', button: 'MENU' });
    await car.core.settled();
    expect(car.core.view().status.profile).toBe('Taro Yamada');
    const stored = await onDisk(car.core, dir);
    expect(stored.data.profiles.map((p) => [p.name, p.hasPin])).toEqual([['Taro Yamada', true]]);
    expect(stored.data.active).not.toBeNull();
    const restarted = await car.restart();
    expect(restarted.view().status.profile).toBe('Taro Yamada');
  });

  it('a rotate and a press straight after Continue act on the menu, not on "Please wait"', async () => {
    const { core } = await newCar();
    await toPinOffer(core);
    touch(core, 'pinLater');
    // (pinLater finishes the login: the car is writing the profile now)
    core.input({ kind: 'rotate', detents: 1 });
    core.input({ kind: 'press' });
    await core.settled();
    expect(core.view().screen.id).toBe('mobileDevices');
  });

  it('any input sequence sent at once ends where the same sequence sent one at a time ends', async () => {
    const input = fc.constantFrom<ControllerInput>(
      { kind: 'rotate', detents: 1 },
      { kind: 'rotate', detents: -1 },
      { kind: 'press' },
      { kind: 'tilt', direction: 'down' },
      { kind: 'tilt', direction: 'right' },
      { kind: 'button', button: 'BACK' },
      { kind: 'button', button: 'MENU' },
      { kind: 'key', key: 'Enter' },
      { kind: 'key', key: 'Backspace' },
      { kind: 'type', text: '7' },
    );
    // Two cars with one BMW ID (no PIN) and Guest: profile switches, removals and factory resets
    // are busy moments. Their cloud never answers and no phone is in range, so that nothing but
    // the inputs and the car's own writes moves them (a network answer would land at a different
    // moment in each run, which is not what this compares).
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    const seeded = await newCar();
    await addByEmail(seeded.core, 'taro@example.com', 'bmw-id-demo', null);
    await seeded.core.stop();
    const seedDir = (seeded.core as unknown as { options: { dataDir: string } }).options.dataDir;
    const cores: Core[] = [];
    for (let i = 0; i < 2; i++) {
      const dir = await tempDir();
      await cp(seedDir, dir, { recursive: true });
      const core = new Core({
        dataDir: dir,
        language: 'en',
        scenario: { ...defaultScenario, phones: [] },
        cloudUrl: () => silentUrl,
        cloudTimeoutMs: 600_000,
        parts: simulatedParts({ ...defaultScenario, phones: [] }, { modem: new SimModem(), timeScale: 0 }),
        timeScale: 0,
      });
      await core.ready;
      cores.push(core);
    }
    const [a, b] = cores as [Core, Core];
    const state = (core: Core) => {
      const view = core.view();
      return {
        screen: view.screen.id,
        focus: (view.popup ?? view.screen).focus,
        popup: view.popup?.id ?? null,
        profile: view.status.profile,
        language: view.language,
      };
    };
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(input, { minLength: 1, maxLength: 14 }), async (inputs) => {
          for (const core of [a, b]) {
            core.input({ kind: 'button', button: 'MENU' });
            await core.settled();
          }
          for (const i of inputs) a.input(i);
          await a.settled();
          for (const i of inputs) {
            b.input(i);
            await b.settled();
          }
          expect(state(a)).toEqual(state(b));
        }),
        { numRuns: 60 },
      );
    } finally {
      for (const core of cores) await core.stop();
      silent.closeAllConnections();
      silent.close();
    }
  });
});

describe('every write of the car with an input arriving during it', () => {
  type Setup = (core: Core) => Promise<void>;
  const selectTaro = (core: Core) => touch(core, core.snapshot().items.find((i) => i.label === 'Taro Yamada')!.id);
  /** Each write, up to the input that starts it (that input is the last thing each does). */
  const writes: [string, Setup, Setup][] = [
    ['the login saved', toPinOffer, async (core) => void touch(core, 'pinLater')],
    [
      'a PIN set',
      async (core) => {
        await toPinOffer(core);
        touch(core, 'pinNow');
        core.input({ kind: 'type', text: '2580' });
        core.input({ kind: 'type', text: '2580' });
        await core.waitForScreen('login.pinSet', 5000);
      },
      async (core) => void touch(core, 'continue'),
    ],
    [
      'a PIN changed',
      async (core) => {
        await addByEmail(core, 'taro@example.com', 'bmw-id-demo', '2580');
        touch(core, 'bmwId');
        selectTaro(core);
        touch(core, 'changePin');
        await core.waitForScreen('entry.pinUnlock', 5000);
        core.input({ kind: 'type', text: '2580' });
        await core.waitForScreen('entry.pin', 5000);
        core.input({ kind: 'type', text: '1470' });
        core.input({ kind: 'type', text: '1470' });
        await core.waitForScreen('login.pinSet', 5000);
      },
      async (core) => void touch(core, 'continue'),
    ],
    [
      'a profile switched',
      async (core) => {
        await addByEmail(core, 'taro@example.com', 'bmw-id-demo', null);
        touch(core, 'bmwId');
        touch(core, 'profile.guest');
        await core.settled();
        touch(core, 'bmwId');
      },
      async (core) => void selectTaro(core),
    ],
    [
      'a profile removed',
      async (core) => {
        await addByEmail(core, 'taro@example.com', 'bmw-id-demo', null);
        touch(core, 'bmwId');
        selectTaro(core);
        touch(core, 'remove');
      },
      async (core) => void touch(core, 'confirm'),
    ],
    [
      'a factory reset',
      async (core) => {
        await addByEmail(core, 'taro@example.com', 'bmw-id-demo', null);
        touch(core, 'settings');
        touch(core, 'factoryReset');
      },
      async (core) => void touch(core, 'confirm'),
    ],
  ];
  const inputs: [string, ControllerInput][] = [
    ['MENU', { kind: 'button', button: 'MENU' }],
    ['BACK', { kind: 'button', button: 'BACK' }],
    ['TEL', { kind: 'button', button: 'TEL' }],
    ['a rotate', { kind: 'rotate', detents: 1 }],
  ];
  /** What the car shows of its BMW IDs: the active one, and the list with PINs. */
  const shown = async (core: Core) => {
    core.input({ kind: 'button', button: 'MENU' });
    await core.settled();
    if (core.view().popup) core.input({ kind: 'press' });
    touch(core, 'bmwId');
    return { active: core.view().status.profile, rows: core.snapshot().items.map((i) => `${i.label} ${i.detail ?? ''}`) };
  };

  describe.each(writes)('%s', (_name, before, start) => {
    it.each(inputs)('with %s at once: the running car and what it keeps on disk agree', async (_input, input) => {
      const car = await newCar();
      await before(car.core);
      await start(car.core);
      car.core.input(input);
      await car.core.settled();
      const running = await shown(car.core);
      const restarted = await car.restart();
      expect(await shown(restarted)).toEqual(running);
    });
  });
});
