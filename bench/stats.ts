import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

export interface Figure {
  name: string;
  value: number | string;
  unit: string;
  goal?: string;
  /** the same figure before the change that set its goal, on this machine */
  before?: number | string;
}

/** Prints the figures as a table and writes them, with the machine they were measured on, to bench/results/. */
export async function report(suite: string, figures: Figure[], details: Record<string, unknown>): Promise<void> {
  const width = Math.max(...figures.map((f) => f.name.length));
  console.log(`\n${suite}`);
  for (const f of figures) {
    const before = f.before === undefined ? '' : `  before ${f.before} ${f.unit}`;
    console.log(`  ${f.name.padEnd(width)}  ${String(f.value).padStart(9)} ${f.unit.padEnd(3)}${f.goal ? `  (goal ${f.goal})` : ''}${before}`);
  }
  const dir = join('bench', 'results');
  await mkdir(dir, { recursive: true });
  const os = await import('node:os');
  const result = {
    suite,
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    figures,
    details,
  };
  await writeFile(join(dir, `${suite}.json`), JSON.stringify(result, null, 2) + '\n');
  console.log(`  → ${join(dir, `${suite}.json`)}`);
}
