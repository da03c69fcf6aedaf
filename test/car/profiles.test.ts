import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core';
import { carWithCloud, untilView as until, type CarWithCloud } from '../support/carWithCloud';
import { useTempDirs } from '../support/tempDir';
import { addByEmail } from '../support/driver';

/** Profiles on the car with the real cloud over HTTP: switching, PINs, lockout, log out, removal. */
const tempDir = useTempDirs();
let car: CarWithCloud;
afterEach(async () => car?.stop());

const touch = (core: Core, itemId: string) => core.input({ kind: 'touch', itemId });
const profileRow = (core: Core, name: string) => core.snapshot().items.find((i) => i.label === name)!.id;

async function toGuestThenSelect(core: Core, name: string) {
  core.input({ kind: 'button', button: 'MENU' });
  touch(core, 'bmwId');
  touch(core, 'profile.guest');
  await core.waitForScreen('menu', 5000);
  touch(core, 'bmwId');
  touch(core, profileRow(core, name));
}

describe('BMW ID profiles on the car', () => {
  it('switches to a protected profile only with its PIN', async () => {
    car = await carWithCloud(await tempDir());
    await addByEmail(car.core, 'taro@example.com', 'bmw-id-demo', '2580');
    expect(car.core.view().status.profile).toBe('Taro Yamada');
    await toGuestThenSelect(car.core, 'Taro Yamada');
    await car.core.waitForScreen('entry.pinUnlock', 5000);
    expect(car.core.snapshot().title).toBe('Taro Yamada: Enter PIN');
    car.core.input({ kind: 'type', text: '0000' });
    await waitForError(car.core, 'Wrong PIN. 4 attempts left before the profile is locked.');
    car.core.input({ kind: 'type', text: '2580' });
    await car.core.waitForScreen('menu', 5000);
    expect(car.core.view().status.profile).toBe('Taro Yamada');
  });

  it('changes the PIN only after the current one, and then asks for the new one', async () => {
    car = await carWithCloud(await tempDir());
    const core = car.core;
    await addByEmail(core, 'taro@example.com', 'bmw-id-demo', '2580');
    touch(core, 'bmwId');
    touch(core, profileRow(core, 'Taro Yamada'));
    expect(core.snapshot().items.map((i) => i.label)).toEqual(['taro@example.com · PIN', 'Change PIN', 'Log out', 'Remove from this car']);
    touch(core, 'changePin');
    await core.waitForScreen('entry.pinUnlock', 5000);
    core.input({ kind: 'type', text: '2580' });
    await core.waitForScreen('entry.pin', 5000);
    core.input({ kind: 'type', text: '1470' });
    core.input({ kind: 'type', text: '1470' });
    touch(core, 'continue');
    await core.waitForScreen('bmwId.profile', 5000);
    await toGuestThenSelect(core, 'Taro Yamada');
    await core.waitForScreen('entry.pinUnlock', 5000);
    core.input({ kind: 'type', text: '2580' });
    await waitForError(core, 'Wrong PIN. 4 attempts left before the profile is locked.');
    core.input({ kind: 'type', text: '1470' });
    await core.waitForScreen('menu', 5000);
    expect(core.view().status.profile).toBe('Taro Yamada');
  });

  it('counts wrong PINs durably: the lockout escalates and survives a restart, then asks for the login', async () => {
    let clock = Date.parse('2026-11-25T08:00:00Z');
    const now = () => new Date(clock);
    const dir = await tempDir();
    car = await carWithCloud(dir, undefined, now);
    await addByEmail(car.core, 'taro@example.com', 'bmw-id-demo', '2580');
    await toGuestThenSelect(car.core, 'Taro Yamada');
    await car.core.waitForScreen('entry.pinUnlock', 5000);
    for (let i = 0; i < 4; i++) {
      car.core.input({ kind: 'type', text: '1111' });
      await waitForError(car.core, `Wrong PIN. ${4 - i} ${4 - i === 1 ? 'attempt' : 'attempts'} left before the profile is locked.`);
    }
    car.core.input({ kind: 'type', text: '1111' });
    await car.core.waitForScreen('unlock.locked', 5000);
    expect(car.core.snapshot().items[0]?.label).toBe('Too many wrong PINs. Try again in 30 s.');

    // Pull the plug: the lock is on disk, and the restarted car still refuses.
    const restarted = await car.restart();
    touch(restarted, 'bmwId');
    touch(restarted, profileRow(restarted, 'Taro Yamada'));
    await restarted.waitForScreen('unlock.locked', 5000);
    const pins = JSON.parse(await readFile(join(dir, 'pins.json'), 'utf8'));
    expect(Object.values(pins.data as Record<string, { lock: { failures: number } }>)[0]!.lock.failures).toBe(5);

    // After the lock, five more wrong ones lock for 5 minutes; five more need the BMW ID login.
    clock += 31_000;
    touch(restarted, 'cancel');
    touch(restarted, profileRow(restarted, 'Taro Yamada'));
    await restarted.waitForScreen('entry.pinUnlock', 5000);
    for (let i = 0; i < 5; i++) await wrongPin(restarted);
    await restarted.waitForScreen('unlock.locked', 5000);
    expect(restarted.snapshot().items[0]?.label).toBe('Too many wrong PINs. Try again in 300 s.');
    clock += 301_000;
    touch(restarted, 'cancel');
    touch(restarted, profileRow(restarted, 'Taro Yamada'));
    await restarted.waitForScreen('entry.pinUnlock', 5000);
    for (let i = 0; i < 5; i++) await wrongPin(restarted);
    await restarted.waitForScreen('unlock.login', 5000);
    expect(restarted.snapshot().items[0]?.label).toBe('Too many wrong PINs. Log in with the BMW ID again to unlock this profile.');

    // The BMW ID login (password only: the car knows the e-mail) unlocks it again.
    touch(restarted, 'login');
    await restarted.waitForScreen('entry.password', 5000);
    restarted.input({ kind: 'type', text: 'bmw-id-demo' });
    touch(restarted, 'key.ok');
    await restarted.waitForScreen('login.settings', 5000);
    for (const id of ['continue', 'pinLater']) touch(restarted, id);
    await restarted.waitForScreen('menu', 5000);
    await toGuestThenSelect(restarted, 'Taro Yamada');
    await restarted.waitForScreen('entry.pinUnlock', 5000);
    restarted.input({ kind: 'type', text: '2580' });
    await restarted.waitForScreen('menu', 5000);
    expect(restarted.view().status.profile).toBe('Taro Yamada');
  });

  it('logs out (the next use needs the login) and removes a profile after asking', async () => {
    const dir = await tempDir();
    car = await carWithCloud(dir);
    await addByEmail(car.core, 'taro@example.com', 'bmw-id-demo', null);
    await addByEmail(car.core, 'hanako@example.com', 'onenumber-demo', '1357');
    const core = car.core;
    touch(core, 'bmwId');
    expect(core.snapshot().items.map((i) => [i.label, i.checked, i.detail])).toEqual([
      ['Guest', false, undefined],
      ['Taro Yamada', false, 'taro@example.com'],
      ['Hanako Suzuki', true, 'Active'],
      ['Add BMW ID', undefined, undefined],
    ]);
    touch(core, profileRow(core, 'Hanako Suzuki'));
    expect(core.snapshot().screen).toBe('bmwId.profile');
    touch(core, 'logOut');
    await core.waitForEvent('screen', 5000);
    expect(core.snapshot().screen).toBe('bmwId');
    expect(core.view().status.profile).toBe('Guest');
    expect(core.snapshot().items.find((i) => i.label === 'Hanako Suzuki')?.detail).toBe('Logged out');
    const tokens = JSON.parse(await readFile(join(dir, 'tokens.json'), 'utf8')).data as Record<string, unknown>;
    expect(Object.keys(tokens)).toHaveLength(1);

    touch(core, profileRow(core, 'Hanako Suzuki'));
    await core.waitForScreen('entry.password', 5000);
    core.input({ kind: 'button', button: 'MENU' });
    touch(core, 'bmwId');
    touch(core, profileRow(core, 'Taro Yamada'));
    await core.waitForScreen('menu', 5000);
    touch(core, 'bmwId');
    touch(core, profileRow(core, 'Taro Yamada'));
    touch(core, 'remove');
    expect(core.snapshot().popup).toMatchObject({ id: 'profile.remove', focused: 'cancel' });
    touch(core, 'confirm');
    await core.waitForEvent('screen', 5000);
    expect(core.snapshot().items.map((i) => i.label)).toEqual(['Guest', 'Hanako Suzuki', 'Add BMW ID']);
    const after = JSON.parse(await readFile(join(dir, 'tokens.json'), 'utf8')).data as Record<string, unknown>;
    expect(Object.keys(after)).toHaveLength(0);
  });
});

function waitForError(core: Core, message: string): Promise<void> {
  return until(core, () => core.snapshot().error === message);
}

/** Types a wrong PIN and waits until the car has checked it (and counted it). */
async function wrongPin(core: Core): Promise<void> {
  const before = core.view().revision;
  core.input({ kind: 'type', text: '1111' });
  await until(core, () => core.view().revision !== before && core.snapshot().screen !== 'unlock.checking');
}
