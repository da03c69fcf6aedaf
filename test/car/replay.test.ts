import { afterEach, describe, expect, it } from 'vitest';
import { automationHandlers, fixedCar } from '../../main/hosts/handlers';
import { carWithCloud, type CarWithCloud } from '../support/carWithCloud';
import { useTempDirs } from '../support/tempDir';
import { automationContract, type TimelineEvent } from '../../shared/contract';
import { createDispatch } from '../../main/hosts/dispatch';
import { runConsole } from '../../main/automation/console';
import { PassThrough } from 'node:stream';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loginByEmail } from '../support/driver';

/**
 * A recorded timeline replayed: the same inputs and bench changes on a car and world as new go
 * through the same screens, the secrets given again (the timeline never keeps them); where the car
 * goes another way, the replay stops and says where.
 */
const tempDir = useTempDirs();
let car: CarWithCloud | undefined;
afterEach(async () => {
  await car?.stop();
  car = undefined;
});
const noDisplay = () => Promise.reject(new Error('no display here'));

/** The screens the inputs of a timeline landed on, in order. */
const inputScreens = (events: TimelineEvent[]) => events.filter((e) => e.kind === 'input').map((e) => e.replay?.screen);

describe('a timeline replayed', () => {
  it('takes a fresh car through the same screens of an e-mail login with its PIN, with the secrets given again', async () => {
    car = await carWithCloud(await tempDir());
    const core = car.core;
    const automation = automationHandlers(fixedCar(core), noDisplay);
    await automation['world.modem']({ action: 'signal', signal: 3 });
    await loginByEmail(core, 'hanako@example.com', 'onenumber-demo', '2580');
    await core.waitForScreen('menu', 5000);
    const ended = core.snapshot();
    expect(ended.status.profile).toBe('Hanako Suzuki');
    const { events } = await automation['timeline.read']({ after: 0, timeoutMs: 0 });
    // Nothing secret or personal was kept: the e-mail, password and PIN are lengths, each with the field to give it again for.
    const lines = events.map((e) => JSON.stringify(e)).join('\n');
    expect(lines).not.toContain('onenumber-demo');
    expect(lines).not.toContain('2580');
    expect(lines).not.toContain('hanako@');
    const typed = events.filter((e) => e.replay?.secrets);
    expect(typed.map((e) => [e.replay!.screen, e.replay!.request])).toEqual([
      ['entry.email', { kind: 'type', length: 18 }],
      ['entry.password', { kind: 'type', length: 14 }],
      ['entry.pin', { kind: 'type', length: 4 }],
      ['entry.pinConfirm', { kind: 'type', length: 4 }],
    ]);
    // Each event knows where in the guide it was.
    expect(events.find((e) => e.replay?.screen === 'entry.password')?.step).toBe('bmwIdLogin');
    expect(events.find((e) => e.replay?.screen === 'entry.pin')?.step).toBe('pinSetting');
    const fromRecording = (await automation['timeline.read']({ after: 0, steps: ['pinSetting'], timeoutMs: 0 })).events;
    expect(fromRecording.length).toBeGreaterThan(0);
    expect(fromRecording.every((e) => e.step === 'pinSetting')).toBe(true);

    // Without the secrets, the replay says which it needs.
    await expect(automation['timeline.replay']({ events, from: 'reset', secrets: {}, waitMs: 5000 })).rejects.toThrow(
      'give that text in secrets["entry.email"]',
    );
    // With them, a car and world as new go through the same screens and end where the recording did.
    const secrets = { 'entry.email': ['hanako@example.com'], 'entry.password': ['onenumber-demo'], 'entry.pin': ['2580'], 'entry.pinConfirm': ['2580'] };
    const before = core.timeline.last();
    const report = await automation['timeline.replay']({ events, from: 'reset', secrets, waitMs: 5000 });
    await core.waitForScreen('menu', 5000);
    expect(report.replayed).toBe(events.filter((e) => e.replay).length);
    expect(report.skipped).toEqual([]);
    expect(core.snapshot()).toMatchObject({ screen: ended.screen, status: { profile: 'Hanako Suzuki' } });
    // Every input landed on the screen it was made on, in order (the reset's own acknowledgement first).
    const again = core.timeline.since(before, undefined, 5000);
    expect(inputScreens(again).slice(-inputScreens(events).length)).toEqual(inputScreens(events));
    expect(inputScreens(events)).toEqual(expect.arrayContaining(['entry.email', 'entry.password', 'login.settings', 'entry.pin', 'entry.pinConfirm']));
    expect(core.worldState().modem?.registration.signal).toBe(3);
  });

  it('is saved and replayed from the line console, the secrets given on the line', async () => {
    const dir = await tempDir();
    car = await carWithCloud(dir);
    const core = car.core;
    await loginByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    await core.waitForScreen('menu', 5000);
    const dispatch = createDispatch(automationContract, automationHandlers(fixedCar(core), noDisplay), () => {});
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const file = join(dir, 'login.jsonl');
    const done = runConsole(dispatch, input, output, () => {});
    input.end(`timeline export ${file}\nreplay ${file} from\nreplay ${file} entry.email=hanako@example.com entry.password=onenumber-demo\n`);
    await done;
    const saved = (await readFile(file, 'utf8')).trim().split('\n');
    expect(text).toContain(`saved ${saved.length} events to ${file}`);
    expect(text).toContain('usage: replay <file.jsonl>');
    expect(text).toMatch(/"replayed": \d+/);
    await core.waitForScreen('menu', 5000);
    expect(core.snapshot().status.profile).toBe('Hanako Suzuki');
  });

  it('stops where the car goes another way, naming the event and the screen it stayed on', async () => {
    car = await carWithCloud(await tempDir());
    const core = car.core;
    const automation = automationHandlers(fixedCar(core), noDisplay);
    const events: TimelineEvent[] = [
      {
        seq: 1,
        at: '',
        kind: 'input',
        text: 'touch bmwId',
        replay: { channel: 'input.send', request: { kind: 'touch', itemId: 'bmwId' }, screen: 'menu', popup: null },
      },
      // (recorded on a screen this car never reaches from there)
      { seq: 2, at: '', kind: 'input', text: 'press', replay: { channel: 'input.send', request: { kind: 'press' }, screen: 'settings.about', popup: null } },
      { seq: 3, at: '', kind: 'world', text: 'scenario "x" loaded' },
    ];
    await expect(automation['timeline.replay']({ events, from: 'asIs', secrets: {}, waitMs: 300 })).rejects.toThrow(
      'event 2 ("press") was made on settings.about, but the car stayed on bmwId for 0.3 s: the replay stops there',
    );
    // A preset is made again as a whole: the inputs it drove the car with carry no call of their own.
    const before = core.timeline.last();
    await automation['preset.apply']({ preset: 'pinOffer' });
    const presetEvents = core.timeline.since(before, undefined, 5000);
    expect(presetEvents.filter((e) => e.replay).map((e) => e.text)).toEqual(['preset pinOffer']);
    expect(presetEvents.filter((e) => e.kind === 'input').length).toBeGreaterThan(5);
    // A change a replay cannot make is reported, not pretended.
    const report = await automation['timeline.replay']({ events: [events[2]!], from: 'asIs', secrets: {}, waitMs: 300 });
    expect(report.skipped).toEqual([{ seq: 3, text: 'scenario "x" loaded', reason: 'not a change a replay can make' }]);
  });
});
