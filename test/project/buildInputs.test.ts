import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/tempDir';

/**
 * `npm start` builds only when an input of the build changed (scripts/buildIfChanged.mjs): run in
 * a small project of its own, with an `npm` on the PATH that only notes that it was asked to build.
 */
const tempDir = useTempDirs();
const scripts = resolve('scripts');

async function project(): Promise<{ dir: string; fingerprint(): string; start(): void }> {
  const dir = await tempDir();
  await mkdir(join(dir, 'main'), { recursive: true });
  await mkdir(join(dir, 'bin'));
  await writeFile(join(dir, 'main', 'start.ts'), 'export {};\n');
  await writeFile(join(dir, 'package.json'), '{}\n');
  // the stand-in for `npm run build:app`: notes the build and records its inputs, as build.mjs does
  await writeFile(
    join(dir, 'bin', 'npm'),
    `#!/bin/sh\necho built >> built.txt\nmkdir -p dist\nnode --input-type=module -e "import { fingerprint, stampFile } from '${scripts}/buildInputs.mjs'; import { writeFileSync } from 'node:fs'; writeFileSync(stampFile, fingerprint());"\n`,
  );
  await chmod(join(dir, 'bin', 'npm'), 0o755);
  const env = { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}` };
  return {
    dir,
    fingerprint: () =>
      spawnSync(process.execPath, ['--input-type=module', '-e', `import { fingerprint } from '${scripts}/buildInputs.mjs'; console.log(fingerprint());`], {
        cwd: dir,
        encoding: 'utf8',
      }).stdout.trim(),
    start: () => {
      const run = spawnSync(process.execPath, [join(scripts, 'buildIfChanged.mjs')], { cwd: dir, env, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
    },
  };
}

describe('npm start’s build', () => {
  it('is skipped when no input changed, and runs when one did', async () => {
    const p = await project();
    const builds = async () =>
      existsSync(join(p.dir, 'built.txt')) ? (await readFile(join(p.dir, 'built.txt'), 'utf8')).split('\n').filter(Boolean).length : 0;
    p.start();
    expect(await builds()).toBe(1);
    p.start();
    expect(await builds()).toBe(1);
    await writeFile(join(p.dir, 'main', 'start.ts'), 'export const changed = true;\n');
    p.start();
    expect(await builds()).toBe(2);
    await mkdir(join(p.dir, 'renderer'));
    await writeFile(join(p.dir, 'renderer', 'new.tsx'), 'export {};\n');
    p.start();
    expect(await builds()).toBe(3);
    p.start();
    expect(await builds()).toBe(3);
  });

  it('fingerprints content, not times: a checkout that touches every file changes nothing', async () => {
    const p = await project();
    const before = p.fingerprint();
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    await utimes(join(p.dir, 'main', 'start.ts'), new Date(2030, 0, 1), new Date(2030, 0, 1));
    expect(p.fingerprint()).toBe(before);
    await writeFile(join(p.dir, 'package.json'), '{"name":"x"}\n');
    expect(p.fingerprint()).not.toBe(before);
  });
});
