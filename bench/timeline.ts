import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../main/core';
import { Timeline } from '../main/timeline';
import { simulatedParts } from '../main/world';
import { defaultScenario } from '../shared/scenario';
import { report, summary } from './stats';

/**
 * The timeline's cost on controller input: the time `Core.input` takes for a detent of the
 * controller on the menu (the input applied, the view composed), with every input, its replay call
 * and the guide step kept in the timeline, and with the timeline's `add` made a no-op: blocks of
 * each in turn, so both see the same machine. The goal is the issue's: within 10 % at p99. (The
 * p99 of a 0.2 ms call moves with the garbage collector: the mean added per input says what the
 * timeline itself costs.)
 * Printed and written; nothing here passes or fails on time.
 */
const blocks = 40;
const perBlock = 500;

const dir = await mkdtemp(join(tmpdir(), 'idrive-bench-timeline-'));
const core = new Core({ dataDir: dir, language: 'en', timeScale: 0, parts: simulatedParts(defaultScenario, { timeScale: 0 }) });
await core.ready;
const add = Timeline.prototype.add;
const noop = function (this: Timeline) {
  return undefined as never;
};
const kept: number[] = [];
const without: number[] = [];
let detents = 1;
const measure = (into: number[]) => {
  for (let i = 0; i < perBlock; i++) {
    const started = performance.now();
    core.input({ kind: 'rotate', detents });
    into.push(performance.now() - started);
    detents = -detents;
  }
};
for (let block = 0; block < blocks; block++) {
  Timeline.prototype.add = add;
  measure(kept);
  Timeline.prototype.add = noop;
  measure(without);
}
Timeline.prototype.add = add;
await core.stop();
await rm(dir, { recursive: true, force: true });

const withTimeline = summary(kept);
const bare = summary(without);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const addedMicroseconds = Math.round((mean(kept) - mean(without)) * 1000 * 10) / 10;
await report(
  'timeline',
  [
    { name: 'input p50 with the timeline', value: withTimeline.p50, unit: 'ms' },
    { name: 'input p99 with the timeline', value: withTimeline.p99, unit: 'ms', goal: '≤ 1.1 × without', before: bare.p99 },
    { name: 'mean time the timeline adds per input', value: addedMicroseconds, unit: 'µs' },
    { name: 'p99 ratio (with / without)', value: Math.round((withTimeline.p99 / bare.p99) * 100) / 100, unit: '×', goal: '≤ 1.1' },
  ],
  { withTimeline, without: bare, addedMicroseconds, inputs: blocks * perBlock },
);
