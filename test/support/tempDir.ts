import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh data directory per test, removed afterwards. */
export function useTempDirs(): () => Promise<string> {
  const dirs: string[] = [];
  afterEach(async () => {
    // (Node retries a removal that meets ENOTEMPTY: once, on a loaded CI machine, a file appeared in a
    // BlueZ test's data dir while it was being removed after the car's stop; see docs/testing.md)
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true, maxRetries: 5 })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idrive-test-'));
    dirs.push(dir);
    return dir;
  };
}
