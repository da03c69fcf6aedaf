import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloud } from '../cloud/server';
import { SimModem } from '../hardware/modem/sim/simModem';
import { instantTiming, realisticTiming, type Timing } from '../hardware/modem/sim/timing';
import { Core } from '../main/core';
import { defaultScenario } from '../shared/scenario';
import { addByEmail } from '../test/support/carWithCloud';
import { report, summary } from './stats';

/**
 * The whole Personal eSIM set-up, from the BMW ID becoming active to Connected with data up: the
 * core with zero simulated latency, and with the realistic latency model of the simulated module.
 */
async function setUpOnce(timing: Timing): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'idrive-bench-esim-'));
  const cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
  const modem = new SimModem({ timing });
  const core = new Core({ dataDir: dir, language: 'en', cloudUrl: () => cloud.url, modem, timeScale: timing.scale });
  await core.ready;
  try {
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const check = () => {
        if (core.view().status.data) {
          stop();
          resolve();
        }
      };
      const stop = core.onView(check);
      check();
    });
    return performance.now() - started;
  } finally {
    await core.stop();
    await cloud.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const runs = 5;
const instant: number[] = [];
const realistic: number[] = [];
for (let i = 0; i < runs; i++) instant.push(await setUpOnce(instantTiming));
for (let i = 0; i < 3; i++) realistic.push(await setUpOnce(realisticTiming));
const fast = summary(instant);
const real = summary(realistic);
await report('esim', [
  { name: 'eSIM set-up, zero latency (median of 5)', value: Math.round(fast.p50), unit: 'ms' },
  { name: 'eSIM set-up, realistic latency (median of 3)', value: Math.round(real.p50), unit: 'ms' },
], { instant: fast, realistic: real, stages: 'entitlement → ES9+/ES10b download (8 segments) → enable → register (440 10) → data up' });
