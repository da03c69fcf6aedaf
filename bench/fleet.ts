import { startFleet, type FleetUnit } from '../test/support/fleet';
import { report, summary } from './stats';

/**
 * A bench machine full of head units (docs/fleet.md): N units started as the fleet example
 * describes them, all walking the menus with the controller at once, each input's round trip
 * through the automation API timed. The figure is the largest N for which every unit's p99 stays
 * within 50 ms, with one shared cloud and with a cloud in each unit. Printed and written; nothing
 * here passes or fails on time.
 */
const budgetMs = 50;
const sizes = (process.env.BENCH_FLEET_SIZES ?? '4,8,12,16,24,32,48,64').split(',').map(Number);
/** one walk: down and back up the main menu, into Mobile devices and out again */
const walk = [
  { kind: 'rotate', detents: 1 },
  { kind: 'rotate', detents: 1 },
  { kind: 'rotate', detents: -1 },
  { kind: 'rotate', detents: -1 },
  { kind: 'touch', itemId: 'mobileDevices' },
  { kind: 'button', button: 'BACK' },
] as const;
const rounds = 20;

/** Each input's round trip (ms), by round: the first walk meets the units still finishing their start. */
async function walkOnce(unit: FleetUnit): Promise<number[][]> {
  const times: number[][] = [];
  await unit.car.button('MENU');
  for (let round = 0; round < rounds; round++) {
    times.push([]);
    for (const input of walk) {
      const start = performance.now();
      await unit.car.input(input);
      times[round]!.push(performance.now() - start);
    }
  }
  return times;
}

/** Every unit's p99 round trip while all of them walk at once, and the start-up of the fleet. */
async function measure(n: number, shared: boolean) {
  const started = performance.now();
  const fleet = await startFleet(n, { shared });
  const startMs = performance.now() - started;
  try {
    const perUnit = await Promise.all(fleet.units.map(walkOnce));
    const p99s = perUnit.map((times) => summary(times.flat()).p99);
    // (the same without the first walk: how the units answer once all of them have finished starting)
    const steadyP99s = perUnit.map((times) => summary(times.slice(1).flat()).p99);
    return {
      n,
      shared,
      startMs: Math.round(startMs),
      worstP99: Math.max(...p99s),
      worstSteadyP99: Math.max(...steadyP99s),
      all: summary(perUnit.flat(2)),
    };
  } finally {
    await fleet.stop();
  }
}

async function largest(shared: boolean) {
  const runs = [];
  let best = 0;
  for (const n of sizes) {
    const run = await measure(n, shared);
    runs.push(run);
    console.log(
      `  ${shared ? 'shared cloud' : 'own clouds'}: ${n} units, worst unit p99 ${run.worstP99} ms (after the first walk ${run.worstSteadyP99} ms), started in ${run.startMs} ms`,
    );
    if (run.worstP99 > budgetMs) break;
    best = n;
  }
  return { best, runs };
}

const shared = await largest(true);
const own = await largest(false);
await report(
  'fleet',
  [
    { name: `head units on one shared cloud, every unit's input p99 ≤ ${budgetMs} ms`, value: shared.best, unit: 'units' },
    { name: `head units with a cloud each, every unit's input p99 ≤ ${budgetMs} ms`, value: own.best, unit: 'units' },
  ],
  { sizes, walk, rounds, shared: shared.runs, own: own.runs },
);
