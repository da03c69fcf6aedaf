import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The build as a container ships it: `dist/` and package.json, no node_modules. It starts, and the
 * one feature that needs a native package it does not have (`--modem at:`) says so plainly.
 */
async function run(dir: string, args: string[], until: RegExp): Promise<{ output: string; code: number | null }> {
  const child = spawn(
    process.execPath,
    ['dist/main/start.js', '--web', '--no-open', '--port', '0', '--cloud-port', '0', '--data-dir', join(dir, 'data'), ...args],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (until.test(output)) child.kill('SIGTERM');
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => resolve({ output, code }));
  });
}

describe('the build without node_modules', () => {
  it('starts the head unit, and --modem at: says what it lacks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idrive-dist-'));
    try {
      await cp('dist', join(dir, 'dist'), { recursive: true });
      await cp('package.json', join(dir, 'package.json'));
      const started = await run(dir, [], /world "/);
      expect(started.output).toMatch(/head unit ready at http:\/\/127\.0\.0\.1:\d+\//);
      const real = await run(dir, ['--modem', 'at:/dev/ttyNOPE0'], /serialport|exited|error/i);
      expect(real.output).toContain('this build has no serialport package');
      expect(real.code).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
