import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { startFleet, type FleetUnit } from '../test/support/fleet';
import { cpuMsOf } from './proc';
import { report, summary } from './stats';

/**
 * A bench machine full of head units (docs/fleet.md): N units started as the fleet example
 * describes them, all walking the menus with the controller at once, each input's round trip
 * through the automation API timed. Twice: right after their start (a unit's code is not yet
 * optimised by V8: an input costs it about twice the CPU for its first 2,000 or so), and once
 * every unit has walked long enough to be warm, as a fleet that runs tests all day is. The figures
 * are the largest N for which every unit's p99 stays within 50 ms, each way, with one shared cloud
 * and with a cloud in each unit; with where the CPU of the walk went. Printed and written; nothing
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
/** walks timed right after the start, and again once warm */
const rounds = Number(process.env.BENCH_FLEET_ROUNDS ?? 20);
/** walks between the two, untimed (6 inputs each): what a unit takes to be warm */
const warmupRounds = Number(process.env.BENCH_FLEET_WARMUP ?? 400);

/** Each input's round trip (ms), by walk. */
async function walkOnce(unit: FleetUnit, walks: number): Promise<number[][]> {
  const times: number[][] = [];
  for (let round = 0; round < walks; round++) {
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

/**
 * All units walk at once, `walks` times each: the worst unit's p99 round trip (ms), all inputs'
 * round trips, and where the CPU went: the units' and this driver's (the inputs' sender and timer)
 * per input. When the driver's share is large, the figure measures the driver as much as the units.
 */
async function walkAll(units: FleetUnit[], walks: number) {
  const pids = units.map((unit) => unit.process.pid!);
  const unitsBefore = await Promise.all(pids.map(cpuMsOf));
  const driverBefore = process.cpuUsage();
  const started = performance.now();
  const perUnit = await Promise.all(units.map((unit) => walkOnce(unit, walks)));
  const wallMs = performance.now() - started;
  const driver = process.cpuUsage(driverBefore);
  const unitsMs = (await Promise.all(pids.map(cpuMsOf))).reduce((sum, ms, i) => sum + ms - unitsBefore[i]!, 0);
  const inputs = perUnit.flat(2).length;
  const perInput = (ms: number) => Math.round((ms / inputs) * 1000) / 1000;
  return {
    worstP99: Math.max(...perUnit.map((times) => summary(times.flat()).p99)),
    all: summary(perUnit.flat(2)),
    inputsPerSecond: Math.round((inputs / wallMs) * 1000),
    cpuMsPerInput: { units: perInput(unitsMs), driver: perInput((driver.user + driver.system) / 1000) },
  };
}

/** A fleet of N: its start, its walks just started and warm, and the units' memory after them (medians). */
async function measure(n: number, shared: boolean) {
  const started = performance.now();
  const fleet = await startFleet(n, { shared });
  const startMs = performance.now() - started;
  try {
    await Promise.all(fleet.units.map((unit) => unit.car.button('MENU')));
    const cold = await walkAll(fleet.units, rounds);
    await Promise.all(fleet.units.map((unit) => walkOnce(unit, warmupRounds)));
    const warm = await walkAll(fleet.units, rounds);
    const memory = await Promise.all(fleet.units.map((unit) => memoryOf(unit.process.pid!)));
    const median = (field: 'rss' | 'pss' | 'uss') => summary(memory.map((m) => m[field])).p50;
    return { n, shared, startMs: Math.round(startMs), cold, warm, memoryMib: { rss: median('rss'), pss: median('pss'), uss: median('uss') } };
  } finally {
    await fleet.stop();
  }
}

type Run = Awaited<ReturnType<typeof measure>>;

/**
 * Sizes in turn until neither walk keeps its p99 within the budget: the largest that did, each
 * way, counting a size only when every smaller one passed too (one lucky run makes no figure).
 */
async function largest(shared: boolean) {
  const runs: Run[] = [];
  for (const n of sizes) {
    const run = await measure(n, shared);
    runs.push(run);
    const line = (walked: typeof run.cold) =>
      `worst unit p99 ${walked.worstP99} ms, ${walked.inputsPerSecond} inputs/s, CPU per input: units ${walked.cpuMsPerInput.units} ms, driver ${walked.cpuMsPerInput.driver} ms`;
    console.log(
      `  ${shared ? 'shared cloud' : 'own clouds'}: ${n} units, started in ${run.startMs} ms; per unit RSS ${run.memoryMib.rss} MiB, PSS ${run.memoryMib.pss}, USS ${run.memoryMib.uss}`,
    );
    console.log(`    just started: ${line(run.cold)}`);
    console.log(`    warm:         ${line(run.warm)}`);
    if (run.cold.worstP99 > budgetMs && run.warm.worstP99 > budgetMs) break;
  }
  const upTo = (walked: 'cold' | 'warm') => {
    const failed = runs.findIndex((run) => run[walked].worstP99 > budgetMs);
    return (failed === -1 ? runs : runs.slice(0, failed)).at(-1)?.n ?? 0;
  };
  return { best: { cold: upTo('cold'), warm: upTo('warm') }, runs };
}

const shared = await largest(true);
const own = await largest(false);
// (memory at the largest size that kept its p99 warm, or the first size measured when none did)
const sized = (runs: Run[], best: number) => (runs.find((run) => run.n === best) ?? runs[0]!).memoryMib;
await report(
  'fleet',
  [
    { name: `head units on one shared cloud, warm, every unit's input p99 ≤ ${budgetMs} ms`, value: shared.best.warm, unit: 'units', goal: '≥ 48 units' },
    { name: 'the same per CPU core', value: Math.round((shared.best.warm / cpus().length) * 10) / 10, unit: 'units' },
    { name: `the same just after their start (V8 not yet warm)`, value: shared.best.cold, unit: 'units' },
    { name: `head units with a cloud each, warm, every unit's input p99 ≤ ${budgetMs} ms`, value: own.best.warm, unit: 'units' },
    { name: 'the same just after their start', value: own.best.cold, unit: 'units' },
    { name: 'a unit on the shared cloud: resident (RSS), median', value: sized(shared.runs, shared.best.warm).rss, unit: 'MiB' },
    { name: 'a unit on the shared cloud: its own memory (USS), what one more unit costs', value: sized(shared.runs, shared.best.warm).uss, unit: 'MiB' },
    { name: 'a unit with its own cloud: its own memory (USS)', value: sized(own.runs, own.best.warm).uss, unit: 'MiB' },
  ],
  { sizes, walk, rounds, warmupRounds, shared: shared.runs, own: own.runs },
);
