import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../main/core';
import { StoreProblems } from '../../main/store/problems';
import type { ControllerInput } from '../../shared/controller';
import { useTempDirs } from '../support/tempDir';
import { simulatedParts } from '../../main/world';
import { defaultScenario } from '../../shared/scenario';

const tempDir = useTempDirs();
const rotate = (detents: number): ControllerInput => ({ kind: 'rotate', detents });
const press: ControllerInput = { kind: 'press' };
const back: ControllerInput = { kind: 'button', button: 'BACK' };

async function startCore(dataDir?: string) {
  const core = new Core({ dataDir: dataDir ?? (await tempDir()), language: 'en', parts: simulatedParts(defaultScenario) });
  await core.ready;
  return core;
}

describe('Core', () => {
  it('boots on the main menu with the guide items, cursor on the first', async () => {
    const core = await startCore();
    const s = core.snapshot();
    expect(s.screen).toBe('menu');
    expect(s.items.map((i) => i.label)).toEqual(['BMW ID', 'Mobile devices', 'Telephone', 'Contacts', 'Settings']);
    expect(s.focused).toBe('bmwId');
    await core.stop();
  });

  it('rotates several detents at once and stops at the ends of a list', async () => {
    const core = await startCore();
    core.input(rotate(2));
    expect(core.snapshot().focused).toBe('telephone');
    expect(core.input(rotate(24)).accepted).toBe(true);
    expect(core.snapshot().focused).toBe('settings');
    expect(core.input(rotate(1)).accepted).toBe(false);
    core.input(rotate(-24));
    expect(core.snapshot().focused).toBe('bmwId');
    await core.stop();
  });

  it('waits for a change after a revision read before, answering at once when it has already happened', async () => {
    const core = await startCore();
    const before = core.snapshot();
    core.input(rotate(1)); // a change between the read and the wait
    const after = await core.waitForView(before.revision, 1000);
    expect(after).toMatchObject({ focused: 'mobileDevices' });
    expect(after.revision).toBeGreaterThan(before.revision);
    const next = core.waitForView(after.revision, 5000);
    core.input(rotate(1));
    expect(await next).toMatchObject({ focused: 'telephone' });
    await expect(core.waitForView(core.snapshot().revision, 50)).rejects.toThrow(/timed out/);
    await core.stop();
  });

  it('opens a screen on press and comes back to the same item on BACK', async () => {
    const core = await startCore();
    core.input(rotate(4));
    core.input(press);
    expect(core.snapshot().screen).toBe('settings');
    core.input(back);
    expect(core.snapshot()).toMatchObject({ screen: 'menu', focused: 'settings' });
    await core.stop();
  });

  it('switches the language live and keeps it across a restart', async () => {
    const dir = await tempDir();
    const core = await startCore(dir);
    for (const input of [rotate(4), press, press]) core.input(input); // Settings → Language
    expect(core.snapshot().screen).toBe('settings.language');
    core.input(rotate(1));
    core.input(press);
    expect(core.snapshot().title).toBe('言語');
    expect(core.snapshot().items.find((i) => i.id === 'ja')?.checked).toBe(true);
    await core.stop();
    const again = await startCore(dir);
    expect(again.snapshot()).toMatchObject({ screen: 'menu', language: 'ja' });
    expect(again.snapshot().items[1]?.label).toBe('携帯機器');
    await again.stop();
  });

  it('moves a damaged settings file aside and says so on screen', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'settings.json'), '{"version":1,"data":{"language":"xx"');
    const core = await startCore(dir);
    const s = core.snapshot();
    expect(s.popup?.id).toBe('storeCorrupt');
    expect(s.popup?.text).toMatch(/settings\.corrupt-.*\.json/);
    core.input(press);
    expect(core.snapshot().popup).toBeNull();
    await core.stop();
  });

  it('factory reset asks first, defaults to Cancel, and then forgets the settings', async () => {
    const dir = await tempDir();
    const core = await startCore(dir);
    core.input({ kind: 'button', button: 'OPTION' });
    core.input(press); // Day mode (a new car is dark, as iDrive is)
    expect(core.snapshot().theme).toBe('day');
    for (const input of [rotate(4), press, rotate(4), press]) core.input(input);
    expect(core.snapshot().popup).toMatchObject({ id: 'factoryReset', focused: 'cancel' });
    core.input(rotate(1));
    const reset = core.waitForEvent('reset', 5000);
    core.input(press);
    await reset;
    // The car says it is done; OK closes the message.
    expect(core.snapshot()).toMatchObject({ screen: 'menu', theme: 'night', popup: { id: 'reset.done', focused: 'ok' } });
    core.input(press);
    expect(core.snapshot()).toMatchObject({ screen: 'menu', popup: null });
    const saved = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'));
    expect(saved.data.theme).toBe('night');
    await core.stop();
  });

  it('edits the vehicle name with the on-screen keyboard and refuses an invalid one', async () => {
    const core = await startCore();
    for (const input of [rotate(4), press, rotate(3), press]) core.input(input);
    expect(core.snapshot()).toMatchObject({ screen: 'entry.vehicleName', field: 'BMW 12345' });
    core.input({ kind: 'touch', itemId: 'key.delete' });
    core.input({ kind: 'type', text: '9' });
    core.input({ kind: 'touch', itemId: 'key.ok' });
    expect(core.snapshot()).toMatchObject({ screen: 'settings' });
    expect(core.snapshot().items.find((i) => i.id === 'vehicleName')?.detail).toBe('BMW 12349');
    core.input(press);
    for (let i = 0; i < 9; i++) core.input({ kind: 'touch', itemId: 'key.delete' });
    core.input({ kind: 'type', text: '***' });
    core.input({ kind: 'touch', itemId: 'key.ok' });
    expect(core.view().screen).toMatchObject({ kind: 'entry', error: expect.stringMatching(/letters, digits/) });
    await core.stop();
  });
  it('names a phone’s own file in the driver’s words when it cannot be saved, not by its file stem', async () => {
    const problems = new StoreProblems(() => undefined);
    const core = new Core({ dataDir: await tempDir(), language: 'en', parts: simulatedParts(defaultScenario), storeProblems: problems });
    await core.ready;
    try {
      problems.report({
        kind: 'unwritable',
        area: 'bmwid-7461.5CF938A1B2C3.contacts',
        file: '/data/phones/bmwid-7461.5CF938A1B2C3.contacts.json',
        code: 'ENOSPC',
      });
      await core.waitForEvent('popup', 5000).catch(() => undefined);
      expect(core.snapshot().popup?.text).toMatch(/^The car could not save a paired phone's contacts \(/);
    } finally {
      await core.stop();
    }
  });

  it('charts its machines for the bench: every state, the current ones, and a move as it happens', async () => {
    const core = await startCore();
    try {
      const chart = (name: string) => core.machines().find((m) => m.name === name);
      expect(core.machines().map((m) => m.name)).toEqual(expect.arrayContaining(['head unit', 'esim', 'bluetooth']));
      expect(chart('head unit')!.states).toEqual(expect.arrayContaining(['booting', 'running', 'running.ui.shell', 'resetting']));
      expect(chart('head unit')!.active).toEqual(expect.arrayContaining(['running', 'running.ui', 'running.ui.shell']));
      expect(chart('bluetooth')!.active).toContain('ready.pairing.idle');
      for (const { states, active } of core.machines()) expect(active.every((path) => states.includes(path))).toBe(true);
      core.input({ kind: 'touch', itemId: 'mobileDevices' });
      core.input({ kind: 'touch', itemId: 'connectNew' });
      expect(chart('bluetooth')!.active.some((path) => path.startsWith('ready.pairing.search'))).toBe(true);
      expect(chart('bluetooth')!.active).not.toContain('ready.pairing.idle');
    } finally {
      await core.stop();
    }
  });
});
