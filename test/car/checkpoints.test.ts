import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Bench } from '../../main/bench/bench';
import { checkpointDir } from '../../main/bench/checkpoints';
import { parseCommand } from '../../main/automation/console';
import { automationHandlers, fixedCar } from '../../main/hosts/handlers';
import { createDispatch } from '../../main/hosts/dispatch';
import { automationContract } from '../../shared/contract';
import { parseOptions } from '../../main/options';
import type { View } from '../../shared/view';

import { useTempDirs } from '../support/tempDir';
import { addByEmail } from '../support/driver';

/**
 * Checkpoints of the whole bench: saved while the car runs, restored while it runs (the car
 * restarts on them, the display and timeline readers follow) or at start on another data dir, and
 * refused, changing nothing, when damaged.
 */
const tempDir = useTempDirs();
const benches: Bench[] = [];
afterEach(async () => {
  await Promise.all(benches.splice(0).map((b) => b.stop()));
});
const noDisplay = () => Promise.reject(new Error('no display here'));

async function start(dataDir: string, extra: string[] = []): Promise<Bench> {
  const options = parseOptions(['--data-dir', dataDir, '--cloud-port', '0', '--lang', 'en', '--log-level', 'silent', ...extra], {});
  if (options === 'help') throw new Error('unexpected');
  const bench = await Bench.start(options);
  benches.push(bench);
  return bench;
}

/** The screen without its revision: what the driver sees. */
const shown = (bench: Bench) => {
  const { revision: _revision, ...rest } = bench.core().snapshot();
  return rest;
};
const hanakoLine = async (automation: ReturnType<typeof automationHandlers>) =>
  (await automation['world.cloud']({ action: 'accounts' })).accounts!.find((a) => a.email === 'hanako@example.com')!.line;

describe('checkpoints of the bench', () => {
  it('restores car, cloud and timeline while the car runs; requests made meanwhile reach the restored car', async () => {
    const dataDir = await tempDir();
    const bench = await start(dataDir);
    const automation = automationHandlers(bench, noDisplay);
    await addByEmail(bench.core(), 'hanako@example.com', 'onenumber-demo', '4821');
    const saved = shown(bench);
    const line = await hanakoLine(automation);
    expect(line).not.toBeNull();
    const info = await automation['checkpoint.save']({ name: 'logged-in' });
    expect(info).toMatchObject({ name: 'logged-in' });
    expect(info.files).toBeGreaterThanOrEqual(3);

    // Then the car is reset and Hanako's line taken away.
    await automation['car.reset']({});
    await automation['world.cloud']({ action: 'removeLine', email: 'hanako@example.com' });
    expect(await hanakoLine(automation)).toBeNull();
    const old = bench.core();
    const revisionBefore = old.view().revision;
    const views: View[] = [];
    bench.onView((view) => views.push(view));

    const restoring = automation['checkpoint.restore']({ name: 'logged-in' });
    const readMeanwhile = automation['screen.read']({});
    const restored = await restoring;
    expect(bench.core()).not.toBe(old);
    expect((await readMeanwhile).screen).toBe(saved.screen);
    expect(shown(bench)).toEqual(saved);
    expect(restored.revision).toBeGreaterThan(revisionBefore);
    expect(views.at(-1)?.revision).toBe(bench.core().view().revision);
    expect(await hanakoLine(automation)).toEqual(line);
    const { events } = await automation['timeline.read']({ after: 0, timeoutMs: 0 });
    const texts = events.map((e) => e.text);
    expect(texts).toContain('checkpoint "logged-in" saved');
    expect(texts.indexOf('checkpoint "logged-in" restored')).toBeGreaterThan(texts.indexOf('factory reset'));
    expect((await automation['checkpoint.list']({})).checkpoints.map((c) => c.name)).toEqual(['logged-in']);
  });

  it('restarts the car as an ignition cycle: the same memory, the world kept, the timeline going on', async () => {
    const bench = await start(await tempDir());
    const automation = automationHandlers(bench, noDisplay);
    await addByEmail(bench.core(), 'hanako@example.com', 'onenumber-demo', null);
    const old = bench.core();
    const before = old.timeline.last();
    const screen = await automation['car.restart']({});
    expect(bench.core()).not.toBe(old);
    // (the car starts from its memory: Hanako's profile, on the main menu)
    expect(screen).toMatchObject({ screen: 'menu', status: { profile: 'Hanako Suzuki' } });
    expect(
      bench
        .core()
        .timeline.since(before)
        .map((e) => e.text),
    ).toContain('car restarted (ignition off and on)');
    await expect(automationHandlers(fixedCar(bench.core()), noDisplay)['car.restart']({})).rejects.toThrow('this car cannot be restarted here');
    expect(parseCommand('restart')).toEqual(['car.restart', {}]);
  });

  it('starts another data dir from a checkpoint with --checkpoint: the same screen and the same world', async () => {
    const first = await tempDir();
    const bench = await start(first);
    await addByEmail(bench.core(), 'hanako@example.com', 'onenumber-demo', '4821');
    await automationHandlers(bench, noDisplay)['checkpoint.save']({ name: 'hanako' });
    const saved = shown(bench);
    const world = bench.core().worldState();

    const fresh = await start(await tempDir(), ['--checkpoint', checkpointDir(first, 'hanako')]);
    expect(shown(fresh)).toEqual(saved);
    expect(fresh.core().worldState()).toEqual(world);
    const events = fresh.core().timeline.since(0);
    expect(events.map((e) => e.text)).toContain('checkpoint "hanako" restored at start');
  });

  it('refuses a damaged or unknown checkpoint and changes nothing; a start with one stops with why', async () => {
    const dataDir = await tempDir();
    const bench = await start(dataDir);
    const automation = automationHandlers(bench, noDisplay);
    await automation['checkpoint.save']({ name: 'guest' });
    await addByEmail(bench.core(), 'hanako@example.com', 'onenumber-demo', '4821');
    const before = shown(bench);
    const core = bench.core();
    await appendFile(join(checkpointDir(dataDir, 'guest'), 'files', 'settings.json'), ' ');
    await expect(automation['checkpoint.restore']({ name: 'guest' })).rejects.toThrow(/damaged: settings\.json is not as saved; nothing was restored/);
    await expect(automation['checkpoint.restore']({ name: 'nowhere' })).rejects.toThrow(/there is no checkpoint/);
    await expect(automation['checkpoint.save']({ name: '../up' })).rejects.toThrow();
    expect(bench.core()).toBe(core);
    expect(shown(bench)).toEqual(before);

    await expect(start(await tempDir(), ['--checkpoint', join(dataDir, 'checkpoints', 'guest')])).rejects.toThrow(/--checkpoint .*guest: .*damaged/);
    await expect(start(dataDir.concat('-other'), ['--checkpoint', 'nowhere'])).rejects.toThrow(/there is no checkpoint.*\(this data dir has none\)/);
  });

  it('finishes at the next start a restore that a crash cut short', async () => {
    const dataDir = await tempDir();
    const bench = await start(dataDir);
    await addByEmail(bench.core(), 'hanako@example.com', 'onenumber-demo', '4821');
    await automationHandlers(bench, noDisplay)['checkpoint.save']({ name: 'hanako' });
    const saved = shown(bench);
    await benches.splice(0)[0]!.stop();
    // The crash: the marker written, one file replaced by something else, the rest not yet.
    await writeFile(join(dataDir, 'restoring-checkpoint.json'), JSON.stringify({ version: 1, data: { from: checkpointDir(dataDir, 'hanako') } }));
    await writeFile(join(dataDir, 'settings.json'), await readFile(join(dataDir, 'settings.json'), 'utf8').then((s) => s.replace('"en"', '"ja"')));
    const again = await start(dataDir);
    expect(shown(again)).toEqual(saved);
    expect(
      again
        .core()
        .timeline.since(0)
        .map((e) => e.text)
        .join('\n'),
    ).toMatch(/finished after a crash/);
  });

  it('is one console line each', () => {
    expect(parseCommand('checkpoint save pin-offer')).toEqual(['checkpoint.save', { name: 'pin-offer' }]);
    expect(parseCommand('checkpoint restore pin-offer')).toEqual(['checkpoint.restore', { name: 'pin-offer' }]);
    expect(parseCommand('checkpoints')).toEqual(['checkpoint.list', {}]);
    expect(parseCommand('checkpoint save')).toMatchObject({ message: expect.stringContaining('usage: checkpoint save <name>') });
  });
});

describe('presets of the guide', () => {
  it('put the car and its world at each step of STEP 2 by the driver’s inputs, from both as new', async () => {
    // (the simulated module at a tenth of its demo pace: the eSIM set-up takes a second, not ten)
    const scenario = join(await tempDir(), 'fast.json');
    await writeFile(scenario, JSON.stringify({ version: 1, pace: 0.1 }));
    const bench = await start(await tempDir(), ['--scenario', scenario]);
    const automation = automationHandlers(bench, noDisplay);
    // Something to undo: a line taken away from Hanako.
    await automation['world.cloud']({ action: 'removeLine', email: 'hanako@example.com' });
    const offer = await automation['preset.apply']({ preset: 'pinOffer' });
    expect(offer.screen).toBe('login.pinOffer');
    expect(await hanakoLine(automation)).not.toBeNull();
    const telephony = await automation['preset.apply']({ preset: 'telephonyOffer' });
    expect(telephony.popup?.id).toBe('esim.telephony');
    const pairing = await automation['preset.apply']({ preset: 'pairing' });
    expect(pairing.popup?.id).toBe('bt.pairing');
    const connected = await automation['preset.apply']({ preset: 'connected' });
    expect(connected.status.phone).toBe("Hanako's iPhone");
    expect(connected.items.find((i) => i.id === 'esim')?.detail).toBe('Connected');
    const guest = await automation['preset.apply']({ preset: 'guest' });
    expect(guest.status.profile).toBe('Guest');
    expect(guest.popup).toBeNull();
    const { events } = await automation['timeline.read']({ after: 0, timeoutMs: 0, kinds: ['world'] });
    expect(events.map((e) => e.text)).toEqual(expect.arrayContaining(['preset pinOffer', 'preset connected', 'preset guest']));
    expect(parseCommand('preset pairing')).toEqual(['preset.apply', { preset: 'pairing' }]);
    expect(parseCommand('preset nowhere')).toMatchObject({ message: expect.stringContaining('guest, pinOffer') });
    expect(parseCommand('reset world')).toEqual(['world.reset', {}]);
  }, 60_000);

  it('says what a preset needs when the world lacks it, and changes nothing', async () => {
    const bench = await start(await tempDir());
    const automation = automationHandlers(bench, noDisplay);
    const dispatch = createDispatch(automationContract, automation, () => {});
    expect(
      await dispatch('scenario.load', {
        scenario: { version: 1, base: 'empty', accounts: [{ email: 'solo@example.com', password: 'solo-password-1', name: 'Solo' }] },
      }),
    ).toMatchObject({ ok: true });
    const before = shown(bench);
    expect(await dispatch('preset.apply', { preset: 'pinOffer' })).toEqual({
      ok: false,
      error: expect.stringMatching(/needs the demo world's hanako@example\.com: load the demo world first/),
    });
    expect(shown(bench)).toEqual(before);
  });
});
