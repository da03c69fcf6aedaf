import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance as perf } from 'node:perf_hooks';
import { SimBluetooth } from '../hardware/bluetooth/sim/simBluetooth';
import { Bench } from '../main/bench/bench';
import { checkpointDir } from '../main/bench/checkpoints';
import { Core } from '../main/core';
import { parseOptions } from '../main/options';
import { startCloud } from '../cloud/server';
import { defaultScenario, ScenarioPhone } from '../shared/scenario';
import { simulatedParts } from '../main/world';

import { addressBook } from '../test/support/addressBook';
import { report, summary, type Figure } from './stats';
import { addByEmail } from '../test/support/driver';

/**
 * Checkpoint figures: saving the running bench, restoring it while the car runs (the world
 * stopped, the files replaced, the car booted again: from the request to the restored view), and
 * starting a fresh data dir from it (each once the car is idle, and restores back to back), with a paired phone's address book of 0, 10,000 and 100,000
 * contacts. The goal is the issue's: a restore in under a second. Printed and written; nothing
 * here passes or fails on time.
 */
const sizes = (process.env.BENCH_CHECKPOINT_CONTACTS ?? '0,10000,100000').split(',').map(Number);
const runs = 5;
const phone = '5C:F9:38:A1:B2:C3';

function options(dataDir: string, extra: string[] = []) {
  const parsed = parseOptions(['--data-dir', dataDir, '--cloud-port', '0', '--lang', 'ja', '--log-level', 'silent', ...extra], {});
  if (parsed === 'help') throw new Error('unexpected');
  return parsed;
}

/** A data dir with Hanako logged in and, for n > 0, a phone paired and its n contacts synced. */
async function prepared(n: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'idrive-bench-checkpoint-'));
  const cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
  const phones = n === 0 ? [] : [ScenarioPhone.parse({ name: 'Bench phone', address: phone, vcards: addressBook(n), confirmAfterMs: 0 })];
  const core = new Core({
    dataDir: dir,
    language: 'ja',
    cloudUrl: () => cloud.url,
    timeScale: 0,
    scenario: { ...defaultScenario, phones: [] },
    parts: simulatedParts(defaultScenario, { bluetooth: new SimBluetooth({ phones, timeScale: 0 }) }),
  });
  try {
    await core.ready;
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    if (n > 0) {
      core.input({ kind: 'touch', itemId: 'mobileDevices' });
      core.input({ kind: 'touch', itemId: 'connectNew' });
      await until(core, () => core.snapshot().items.some((i) => i.id === `found.${phone}`));
      core.input({ kind: 'touch', itemId: `found.${phone}` });
      await until(core, () => core.snapshot().popup?.id === 'bt.pairing');
      core.input({ kind: 'touch', itemId: 'confirm' });
      await until(core, () => core.snapshot().screen === 'mobileDevices' && core.snapshot().popup === null);
      core.input({ kind: 'button', button: 'MENU' });
      core.input({ kind: 'touch', itemId: 'contacts' });
      await until(core, () => core.snapshot().items.some((i) => i.id.startsWith('c.')));
    }
  } finally {
    await core.stop();
    await cloud.close();
  }
  return dir;
}

/**
 * Until the process has had 100 ms with its event loop almost free: a car booted with a large
 * address book reads it in slices for a while after it is ready, and a person clicking Restore
 * meets the car after that.
 */
async function idle(): Promise<void> {
  for (;;) {
    const before = perf.eventLoopUtilization();
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (perf.eventLoopUtilization(before).utilization < 0.05) return;
  }
}

function until(core: Core, check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      if (!check()) return;
      stop();
      resolve();
    };
    const stop = core.onView(done);
    done();
  });
}

async function measure(n: number) {
  const dir = await prepared(n);
  const fresh: string[] = [];
  try {
    const bench = await Bench.start(options(dir));
    const save: number[] = [];
    const restore: number[] = [];
    const busy: number[] = [];
    let bytes = 0;
    try {
      for (let i = 0; i < runs; i++) {
        await idle();
        const t = performance.now();
        bytes = (await bench.checkpoints!.save('bench')).bytes;
        save.push(performance.now() - t);
      }
      for (let i = 0; i < runs; i++) {
        await idle();
        const t = performance.now();
        await bench.checkpoints!.restore('bench');
        restore.push(performance.now() - t);
      }
      // Back to back: each restore while the last one's car still reads its address book.
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await bench.checkpoints!.restore('bench');
        busy.push(performance.now() - t);
      }
    } finally {
      await bench.stop();
    }
    const start: number[] = [];
    for (let i = 0; i < runs; i++) {
      const other = await mkdtemp(join(tmpdir(), 'idrive-bench-checkpoint-fresh-'));
      fresh.push(other);
      const t = performance.now();
      const started = await Bench.start(options(other, ['--checkpoint', checkpointDir(dir, 'bench')]));
      start.push(performance.now() - t);
      await started.stop();
    }
    return { bytes, save: summary(save), restore: summary(restore), busy: summary(busy), start: summary(start) };
  } finally {
    await Promise.all([dir, ...fresh].map((d) => rm(d, { recursive: true, force: true })));
  }
}

const figures: Figure[] = [];
const details: Record<string, unknown> = {};
for (const n of sizes) {
  const m = await measure(n);
  details[`${n} contacts`] = m;
  figures.push(
    { name: `checkpoint size, ${n} contacts`, value: Math.round((m.bytes / 2 ** 20) * 100) / 100, unit: 'MiB' },
    { name: `checkpoint save, ${n} contacts, p50`, value: Math.round(m.save.p50), unit: 'ms' },
    { name: `checkpoint restore (car running, idle), ${n} contacts, p50`, value: Math.round(m.restore.p50), unit: 'ms', goal: '< 1000 ms' },
    { name: `checkpoint restore (back to back), ${n} contacts, p50`, value: Math.round(m.busy.p50), unit: 'ms' },
    { name: `start from a checkpoint, ${n} contacts, p50`, value: Math.round(m.start.p50), unit: 'ms' },
  );
}
await report('checkpoint', figures, details);
