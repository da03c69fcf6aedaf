// npm run bench: every benchmark suite in turn. Each prints its figures and writes bench/results/<suite>.json.
import { execFileSync } from 'node:child_process';

await import('./shell');
await import('./esim');
await import('./bluetooth');
await import('./fleet');
await import('./checkpoint');
await import('./timeline');
await import('./inputCpu');

/** The newest release tag reachable from this checkout, or '' when there is none. */
function newestTag(): string {
  try {
    return execFileSync('git', ['describe', '--tags', '--abbrev=0'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

// The start-up figures beside the previous release's, in one run: the newest tag, or BENCH_AGAINST=<rev>.
process.env.BENCH_AGAINST ||= newestTag();
if (process.env.BENCH_AGAINST) await import('./against');
else console.log('\nagainst: no release tag to compare this build with (tag one, or set BENCH_AGAINST=<rev>)');
