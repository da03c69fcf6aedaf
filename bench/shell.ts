import { readdir, readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser, openDisplay, startHeadUnit } from '../test/support/headUnit';
import { residentMib } from './proc';
import { report, summary } from './stats';

/**
 * The shell's figures: controller input latency in Chromium, start-up, bundle size and memory.
 * Figures are printed and written; nothing here passes or fails on time.
 */
const steps = 1000;

async function rssMiB(pid: number): Promise<number> {
  return Math.round((await residentMib(pid)) * 10) / 10;
}

async function startUp(runs: number) {
  const spawnToReady: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = await mkdtemp(join(tmpdir(), 'idrive-bench-'));
    const started = performance.now();
    const unit = await startHeadUnit(0, [], dir);
    spawnToReady.push(performance.now() - started);
    rss.push(await rssMiB(unit.process.pid!));
    await unit.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return { spawnToReady: summary(spawnToReady), rss: summary(rss) };
}

async function bundleSize(): Promise<number> {
  const dir = join('dist', 'renderer', 'assets');
  let total = 0;
  for (const file of await readdir(dir)) {
    if (/\.(js|css)$/.test(file)) total += gzipSync(await readFile(join(dir, file)), { level: 9 }).length;
  }
  return Math.round(total / 102.4) / 10;
}

async function main() {
  const start = await startUp(5);
  const unit = await startHeadUnit(0);
  const browser = await launchBrowser();
  try {
    const loads: number[] = [];
    let page = await openDisplay(browser, unit.url);
    for (let i = 0; i < 5; i++) {
      await page.close();
      page = await openDisplay(browser, unit.url);
      loads.push(await page.evaluate(() => performance.getEntriesByName('input-ready')[0]!.startTime));
    }
    // Settings → Display resolution is a list with room to move both ways.
    for (const k of [']', ']', ']', ']', 'Enter']) await page.keyboard.press(k);
    await page.waitForSelector('[data-screen-id="settings"]');

    // Evaluated through the debugger protocol: the display's CSP (rightly) refuses injected script tags.
    await page.evaluate(await readFile(join('bench', 'page', 'inputLatency.js'), 'utf8'));
    const samples = await page.evaluate<{ processing: number[]; paint: number[] }>(`measureInputLatency(${steps})`);

    const processing = summary(samples.processing);
    const paint = summary(samples.paint);
    const load = summary(loads);
    const bundle = await bundleSize();
    const rssAfterUse = await rssMiB(unit.process.pid!);
    await report(
      'shell',
      [
        { name: 'input processing p50', value: processing.p50, unit: 'ms' },
        { name: 'input processing p95', value: processing.p95, unit: 'ms' },
        { name: 'input processing p99', value: processing.p99, unit: 'ms', goal: '≤ 4 ms' },
        { name: 'input to next paint p50', value: paint.p50, unit: 'ms' },
        { name: 'input to next paint p95', value: paint.p95, unit: 'ms' },
        { name: 'input to next paint p99', value: paint.p99, unit: 'ms', goal: '≤ 33 ms' },
        { name: 'spawn to core ready (median of 5)', value: Math.round(start.spawnToReady.p50), unit: 'ms', goal: '≤ 300 ms' },
        { name: 'page load to first input (median of 5)', value: Math.round(load.p50), unit: 'ms', goal: '≤ 1000 ms' },
        { name: 'renderer bundle, gzipped', value: bundle, unit: 'kB', goal: '≤ 250 kB' },
        { name: 'core RSS after start (median of 5)', value: start.rss.p50, unit: 'MiB', goal: '≤ 150 MB' },
        { name: 'core RSS after 1000 steps', value: rssAfterUse, unit: 'MiB' },
      ],
      { steps, processing, paint, startUp: start, pageLoad: load },
    );
  } finally {
    await browser.close();
    await unit.stop();
  }
}

await main();
