import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfilesFile } from '../../main/bmwId/profiles';
import { AreaFile } from '../../main/store/areaFile';

/**
 * Pulling the plug while profiles are written: a writer process is killed with SIGKILL at random
 * points, 120 times. Every time, the store must load, hold no damaged file, and have the last
 * committed state (or the one being written, if its rename landed before the kill).
 */
let work: string;
let writer: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'idrive-crash-'));
  writer = join(work, 'writer.mjs');
  // bundled whole, so the writer starts fast and needs nothing beside it
  await build({
    entryPoints: ['test/support/profileWriter.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: writer,
    logLevel: 'silent',
    // (bundled CommonJS dependencies, such as the logger, call require(): give the ES module one, as the app's build does)
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
});
afterAll(async () => rm(work, { recursive: true, force: true }));

function runAndKill(dir: string, afterCommits: number, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, dir], { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() });
    let last = -1;
    let seen = 0;
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        last = Number(line.split(' ')[1]);
        seen += 1;
        if (seen === afterCommits) setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(last) : reject(new Error(`writer ended without being killed (${signal})`))));
  });
}

describe('crash safety of the store', () => {
  it('always loads the last committed profiles after kill -9 during writes', async () => {
    const dir = join(work, 'data');
    let previous = 0;
    for (let round = 0; round < 120; round++) {
      const committed = await runAndKill(dir, 1 + (round % 7), Math.random() * 8);
      const loaded = await new AreaFile(dir, 'profiles', 1, ProfilesFile).load(() => ({ active: 'none', profiles: [] }));
      expect(loaded.movedTo, `round ${round}: the file was damaged`).toBeNull();
      const n = Number(loaded.value.active);
      expect([committed, committed + 1], `round ${round}`).toContain(n);
      expect(n).toBeGreaterThan(previous);
      previous = n;
      expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }
  }, 180_000);
});
