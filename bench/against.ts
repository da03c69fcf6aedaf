import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { residentMib } from './proc';
import { report, summary } from './stats';

/**
 * This checkout against an earlier build, side by side in one run: `npm run bench:against -- <rev>`
 * (a tag, a commit; `npm run bench` runs it against the newest release tag, or BENCH_AGAINST). The
 * revision is checked out in a temporary git worktree (its node_modules linked to this one's when
 * the lock files agree, else installed with `npm ci`) and built; then starts of the two alternate,
 * so that both see the same machine: spawn → "head unit ready", the resident memory once ready and
 * once idle, and `--version` (module loading alone). The ratio is the figure to read: on a shared
 * machine absolute times drift, a ratio measured in one run does not.
 */
const run = promisify(execFile);
const rev = process.argv[2] ?? process.env.BENCH_AGAINST;
if (!rev) {
  console.error('usage: npm run bench:against -- <rev>   (a tag or commit to compare this checkout with; or BENCH_AGAINST=<rev>)');
  process.exit(2);
}
const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
/** how long after its ready line a car counts as idle: past V8's memory reducer */
const idleAfterMs = 30_000;
const idleRounds = Number(process.env.BENCH_IDLE_ROUNDS ?? 3);
/** The two sides in the order of round `i`: alternating which goes first, so that neither always starts on a warmer machine. */
const orderOf = (i: number) => (i % 2 === 0 ? (['now', 'base'] as const) : (['base', 'now'] as const));

/** A head unit of `root` started on `dir`, once it has printed its ready line. */
async function ready(root: string, dir: string, extra: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['dist/main/start.js', '--web', '--no-open', '--port', '0', '--data-dir', dir, '--lang', 'en', ...extra], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    await new Promise<void>((done, fail) => {
      createInterface({ input: child.stdout! }).on('line', (line) => /head unit ready/.test(line) && done());
      child.once('exit', (code) => fail(new Error(`${root}: the head unit exited (${code}) before it was ready`)));
    });
    return child;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

/** One start of the head unit in `root`: ms to its ready line, and its RSS then (MiB); on a new data dir, or on `kept` (left there). */
async function start(root: string, extra: string[], kept?: string): Promise<{ ms: number; mib: number }> {
  const dir = kept ?? (await mkdtemp(join(tmpdir(), 'idrive-against-')));
  const started = performance.now();
  try {
    const child = await ready(root, dir, extra);
    const ms = performance.now() - started;
    try {
      return { ms, mib: await residentMib(child.pid!) };
    } finally {
      await stop(child);
    }
  } finally {
    if (!kept) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A fleet car of each side, left idle after its ready line: the resident memory of each (MiB) once
 * V8's memory reducer has run, which it does 15–25 s after a start. The two wait side by side
 * (idle, they do not compete), after starting one after the other.
 */
async function idle(roots: string[]): Promise<number[]> {
  const dirs = await Promise.all(roots.map(() => mkdtemp(join(tmpdir(), 'idrive-against-'))));
  const children: ChildProcess[] = [];
  try {
    for (const [i, root] of roots.entries()) children.push(await ready(root, dirs[i]!, ['--cloud-url', 'http://127.0.0.1:9/']));
    await new Promise((done) => setTimeout(done, idleAfterMs));
    return await Promise.all(children.map((child) => residentMib(child.pid!)));
  } finally {
    await Promise.all(children.map(stop));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

/** The embedded cloud started again on the data dir of a first start: a car at the bench switched off and on. */
async function restart(root: string): Promise<{ ms: number; mib: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'idrive-against-'));
  try {
    await start(root, ['--cloud-port', '0'], dir);
    return await start(root, ['--cloud-port', '0'], dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function version(root: string): Promise<number> {
  const started = performance.now();
  await run(process.execPath, ['dist/main/start.js', '--version'], { cwd: root });
  return performance.now() - started;
}

const here = resolve('.');
const there = await mkdtemp(join(tmpdir(), 'idrive-bench-base-'));
await run('git', ['worktree', 'add', '--detach', there, rev]);
try {
  const sameLock = (await readFile(join(here, 'package-lock.json'), 'utf8')) === (await readFile(join(there, 'package-lock.json'), 'utf8'));
  if (sameLock) await symlink(join(here, 'node_modules'), join(there, 'node_modules'));
  else await run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: there, maxBuffer: 64 * 2 ** 20 });
  await run('npm', ['run', '-s', 'build:app'], { cwd: there, maxBuffer: 64 * 2 ** 20 });

  const sides = { now: here, base: there };
  const side = () => ({
    fleet: [] as number[],
    fleetMib: [] as number[],
    idleMib: [] as number[],
    embedded: [] as number[],
    embeddedMib: [] as number[],
    again: [] as number[],
    againMib: [] as number[],
    version: [] as number[],
  });
  const figures = { now: side(), base: side() };
  for (let i = 0; i < rounds; i++) {
    for (const side of orderOf(i)) {
      const fleet = await start(sides[side], ['--cloud-url', 'http://127.0.0.1:9/']);
      const embedded = await start(sides[side], ['--cloud-port', '0']);
      figures[side].fleet.push(fleet.ms);
      figures[side].fleetMib.push(fleet.mib);
      figures[side].embedded.push(embedded.ms);
      figures[side].embeddedMib.push(embedded.mib);
      const again = await restart(sides[side]);
      figures[side].again.push(again.ms);
      figures[side].againMib.push(again.mib);
      figures[side].version.push(await version(sides[side]));
    }
  }
  for (let i = 0; i < idleRounds; i++) {
    const order = orderOf(i);
    const mib = await idle(order.map((side) => sides[side]));
    order.forEach((side, j) => figures[side].idleMib.push(mib[j]!));
  }
  const p50 = (values: number[]) => summary(values).p50;
  const row = (name: string, key: keyof typeof figures.now, unit: string, goal?: string) => ({
    name,
    value: Math.round(p50(figures.now[key]) * 10) / 10,
    before: Math.round(p50(figures.base[key]) * 10) / 10,
    unit,
    ...(goal ? { goal } : {}),
  });
  const rows = [
    row('spawn → ready, a fleet car (--cloud-url)', 'fleet', 'ms', '≤ 150 ms'),
    row('resident once ready, a fleet car', 'fleetMib', 'MiB'),
    row(`resident once idle (${idleAfterMs / 1000} s after its ready line), a fleet car`, 'idleMib', 'MiB', '≤ 70 MiB'),
    row('spawn → ready, the embedded cloud', 'embedded', 'ms'),
    row('resident once ready, the embedded cloud', 'embeddedMib', 'MiB'),
    row('spawn → ready, the embedded cloud started again on its data dir', 'again', 'ms'),
    row('resident once ready, the embedded cloud started again', 'againMib', 'MiB'),
    row('--version (module loading)', 'version', 'ms'),
  ];
  await report(`against-${rev}`, rows, {
    rev,
    rounds,
    idleRounds,
    ratios: Object.fromEntries(rows.map((r) => [r.name, Math.round((r.value / r.before) * 100) / 100])),
    figures,
  });
  for (const r of rows) console.log(`  ${r.name}: ×${(r.value / r.before).toFixed(2)} of ${rev}`);
} finally {
  await run('git', ['worktree', 'remove', '--force', there]).catch(() => undefined);
  await rm(there, { recursive: true, force: true });
}
