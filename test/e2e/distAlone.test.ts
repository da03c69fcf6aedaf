import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The build as a container ships it: `dist/` and package.json, no node_modules. It starts and
 * serves its display, and the one feature that needs a native package it does not have
 * (`--modem at:`) says so plainly.
 */
async function run(
  dir: string,
  args: string[],
  until: RegExp,
  meanwhile: (output: string) => Promise<void> = async () => {},
): Promise<{ output: string; code: number | null }> {
  const child = spawn(
    process.execPath,
    ['dist/main/start.js', '--web', '--no-open', '--port', '0', '--cloud-port', '0', '--data-dir', join(dir, 'data'), ...args],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve) => {
    let done = false;
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (done || !until.test(output)) return;
      done = true;
      void meanwhile(output).finally(() => child.kill('SIGTERM'));
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
      // (the display's files are served from a chunk loaded at the first request for one)
      let page: { status: number; type: string | null; body: string } | undefined;
      const started = await run(dir, [], /world "/, async (output) => {
        const response = await fetch(/head unit ready at (\S+)/.exec(output)![1]!);
        page = { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
      });
      expect(started.output).toMatch(/head unit ready at http:\/\/127\.0\.0\.1:\d+\//);
      expect(page).toMatchObject({ status: 200, type: expect.stringMatching(/^text\/html/) });
      expect(page!.body).toContain('<script');
      const real = await run(dir, ['--modem', 'at:/dev/ttyNOPE0'], /serialport|exited|error/i);
      expect(real.output).toContain('this build has no serialport package');
      expect(real.code).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
