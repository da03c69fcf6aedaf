import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
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

/**
 * A unit's memory (MiB) from /proc/<pid>/smaps_rollup: resident (RSS), its proportional share of
 * pages it shares with other processes (PSS: Node's binary and ICU's data are mapped once for every
 * unit on the machine), and what is its alone (USS, private clean and dirty): what one more unit costs.
 */
async function memoryOf(pid: number): Promise<{ rss: number; pss: number; uss: number }> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? NaN);
  const mib = (value: number) => Math.round((value / 1024) * 10) / 10;
  return { rss: mib(kib('Rss')), pss: mib(kib('Pss')), uss: mib(kib('Private_Clean') + kib('Private_Dirty')) };
}

/** Every unit's p99 round trip while all of them walk at once, the start-up of the fleet, and the units' memory after the walk (medians). */
async function measure(n: number, shared: boolean) {
  const started = performance.now();
  const fleet = await startFleet(n, { shared });
  const startMs = performance.now() - started;
  try {
    const perUnit = await Promise.all(fleet.units.map(walkOnce));
    const p99s = perUnit.map((times) => summary(times.flat()).p99);
    // (the same without the first walk: how the units answer once all of them have finished starting)
    const steadyP99s = perUnit.map((times) => summary(times.slice(1).flat()).p99);
    const memory = await Promise.all(fleet.units.map((unit) => memoryOf(unit.process.pid!)));
    const median = (field: 'rss' | 'pss' | 'uss') => summary(memory.map((m) => m[field])).p50;
    return {
      n,
      shared,
      startMs: Math.round(startMs),
      worstP99: Math.max(...p99s),
      worstSteadyP99: Math.max(...steadyP99s),
      all: summary(perUnit.flat(2)),
      memoryMib: { rss: median('rss'), pss: median('pss'), uss: median('uss') },
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
      `  ${shared ? 'shared cloud' : 'own clouds'}: ${n} units, worst unit p99 ${run.worstP99} ms (after the first walk ${run.worstSteadyP99} ms), started in ${run.startMs} ms; per unit RSS ${run.memoryMib.rss} MiB, PSS ${run.memoryMib.pss}, USS ${run.memoryMib.uss}`,
    );
    if (run.worstP99 > budgetMs) break;
    best = n;
  }
  return { best, runs };
}

const shared = await largest(true);
const own = await largest(false);
// (memory at the largest size that kept its p99, or the first size measured when none did)
const sized = (runs: Awaited<ReturnType<typeof measure>>[], best: number) => (runs.find((run) => run.n === best) ?? runs[0]!).memoryMib;
await report(
  'fleet',
  [
    { name: `head units on one shared cloud, every unit's input p99 ≤ ${budgetMs} ms`, value: shared.best, unit: 'units' },
    { name: 'the same per CPU core', value: Math.round((shared.best / cpus().length) * 10) / 10, unit: 'units' },
    { name: `head units with a cloud each, every unit's input p99 ≤ ${budgetMs} ms`, value: own.best, unit: 'units' },
    { name: 'a unit on the shared cloud: resident (RSS), median', value: sized(shared.runs, shared.best).rss, unit: 'MiB' },
    { name: 'a unit on the shared cloud: its own memory (USS), what one more unit costs', value: sized(shared.runs, shared.best).uss, unit: 'MiB' },
    { name: 'a unit with its own cloud: its own memory (USS)', value: sized(own.runs, own.best).uss, unit: 'MiB' },
  ],
  { sizes, walk, rounds, shared: shared.runs, own: own.runs },
);
