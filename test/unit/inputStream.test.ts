import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core';
import type { ControllerInput } from '../../shared/controller';
import { addByEmail, carWithCloud, type CarWithCloud } from '../support/carWithCloud';
import { useTempDirs } from '../support/tempDir';

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
const onDisk = async (core: Core, dir: string) => JSON.parse(await readFile(join(dir, 'profiles.json'), 'utf8')) as { data: { active: string | null; profiles: { name: string; hasPin: boolean }[] } };

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

describe('the bench keyboard, interpreted where it lands', () => {
  it('types a PIN sent straight after the Enter that opens the pad, and submits the e-mail with Enter', async () => {
    const { core } = await newCar();
    await toPinOffer(core);
    // "Set up PIN now" is focused: Enter opens the pad, and the digits follow without a wait.
    expect(core.view().screen.focus).toBe('pinNow');
    for (const input of [key('Enter'), ...[...'25802580'].map((c): ControllerInput => ({ kind: 'type', text: c }))]) core.input(input);
    await core.waitForScreen('login.pinSet', 5000);
    touch(core, 'continue');
    await core.waitForScreen('menu', 5000);
    // The PIN stored is the one typed: it unlocks the profile.
    touch(core, 'bmwId');
    touch(core, 'profile.guest');
    await core.settled();
    touch(core, 'bmwId');
    touch(core, core.snapshot().items.find((i) => i.label === 'Taro Yamada')!.id);
    await core.waitForScreen('entry.pinUnlock', 5000);
    core.input({ kind: 'type', text: '2580' });
    await core.waitForScreen('menu', 5000);
    expect(core.view().status.profile).toBe('Taro Yamada');
  });

  it('Enter after steering the cursor presses the key it is on; after typing, it submits', async () => {
    const { core } = await newCar();
    for (const id of ['settings', 'vehicleName']) touch(core, id);
    await core.waitForScreen('entry.vehicleName', 5000);
    const text = () => core.view().screen.kind === 'entry' ? (core.view().screen as { shown: string }).shown : '';
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
      { kind: 'rotate', detents: 1 }, { kind: 'rotate', detents: -1 }, { kind: 'press' }, { kind: 'tilt', direction: 'down' },
      { kind: 'tilt', direction: 'right' }, { kind: 'button', button: 'BACK' }, { kind: 'button', button: 'MENU' },
      { kind: 'key', key: 'Enter' }, { kind: 'key', key: 'Backspace' }, { kind: 'type', text: '7' },
    );
    // Two cars with one BMW ID (no PIN, no eSIM) and Guest: profile switches and factory resets are busy moments.
    const [a, b] = [await newCar(), await newCar()];
    for (const car of [a, b]) await addByEmail(car.core, 'taro@example.com', 'bmw-id-demo', null);
    const state = (core: Core) => {
      const view = core.view();
      return { screen: view.screen.id, focus: (view.popup ?? view.screen).focus, popup: view.popup?.id ?? null, profile: view.status.profile, language: view.language };
    };
    await fc.assert(
      fc.asyncProperty(fc.array(input, { minLength: 1, maxLength: 14 }), async (inputs) => {
        for (const core of [a.core, b.core]) {
          core.input({ kind: 'button', button: 'MENU' });
          await core.settled();
        }
        for (const i of inputs) a.core.input(i);
        await a.core.settled();
        for (const i of inputs) {
          b.core.input(i);
          await b.core.settled();
        }
        expect(state(a.core)).toEqual(state(b.core));
      }),
      { numRuns: 40 },
    );
  });
});
