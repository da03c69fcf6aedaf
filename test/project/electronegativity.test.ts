import { mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * electronegativity (Doyensec's Electron security scanner, pinned) on the Electron host's source and
 * on its built bundle. It always exits 0, so its SARIF report is read here: every finding must be
 * one documented as reviewed in docs/electronegativity-reviewed.json, with its reason. The reports
 * stay in test-results/ for whoever reviews a new one.
 */
const run = createRequire(import.meta.url)('@doyensec/electronegativity') as (options: Record<string, unknown>) => Promise<unknown>;

interface Sarif {
  runs: { results: { ruleId: string; locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[] }[] }[];
}
const reviewed = async () =>
  (JSON.parse(await readFile('docs/electronegativity-reviewed.json', 'utf8')) as { reviewed: { rule: string; scan: string; file: string; reason: string }[] })
    .reviewed;

/**
 * The report, once it is whole: the scanner starts writing it without waiting for the write to
 * end, so its end is awaited here, turn by turn of the event loop.
 */
async function written(path: string): Promise<Sarif> {
  for (;;) {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as Sarif;
    } catch {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

async function findings(scan: 'source' | 'bundle', input: string): Promise<string[]> {
  await mkdir('test-results', { recursive: true });
  const output = join(process.cwd(), 'test-results', `electronegativity-${scan}.sarif`);
  await rm(output, { force: true }); // (a report of an earlier run must not stand in for this one)
  await run({
    input: join(process.cwd(), input),
    output,
    isSarif: true,
    customScan: [],
    excludeFromScan: [],
    isRelative: true,
    electronVersionOverride: '45.0.0',
    parserPlugins: [],
  });
  const sarif = await written(output);
  return sarif.runs.flatMap((r) => r.results).map((r) => `${r.ruleId} ${scan} ${r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? ''}`);
}

describe('electronegativity on the Electron host', () => {
  it('finds nothing that is not documented as reviewed, in the source and in the built bundle', async () => {
    const known = new Set((await reviewed()).map((r) => `${r.rule} ${r.scan} ${r.file}`));
    for (const entry of await reviewed()) expect(entry.reason.length, entry.rule).toBeGreaterThan(40);
    const found = [...(await findings('source', 'main/hosts/electron')), ...(await findings('bundle', 'dist/electron/main.cjs'))];
    expect(found.length).toBeGreaterThan(0); // (the scanner ran and reported: a silent scanner proves nothing)
    expect(found.filter((f) => !known.has(f))).toEqual([]);
  }, 120_000);
});
