import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startHeadUnit, type RunningHeadUnit } from '../support/headUnit';

/** What the built head unit says about itself: --version, and Settings → About with the licences of what it carries. */
let headUnit: RunningHeadUnit | undefined;
afterEach(async () => {
  await headUnit?.stop();
  headUnit = undefined;
});

describe('the head unit about itself', () => {
  it('--version names the version, the memory and the log', async () => {
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    const { stdout } = await promisify(execFile)(process.execPath, ['dist/main/start.js', '--version', '--data-dir', '/var/lib/idrive']);
    expect(stdout).toBe(`iDrive head-unit emulator ${version}\nmemory: /var/lib/idrive\nlog:    /var/lib/idrive/logs/head-unit.log\n`);
  });

  it('shows its version, its memory and log, and every bundled package with its licence under Settings → About', async () => {
    headUnit = await startHeadUnit(0);
    const { car, dataDir } = headUnit;
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    const licences = JSON.parse(await readFile('dist/licences.json', 'utf8')) as { name: string; version: string; licence: string }[];
    await car.touch('settings');
    expect((await car.screen()).items.find((i) => i.id === 'about')).toMatchObject({ label: 'About', detail: version });
    await car.touch('about');
    const about = await car.screen();
    expect(about.items.map((i) => i.label)).toEqual([`Version ${version}`, `Memory: ${dataDir}`, `Log: ${dataDir}/logs/head-unit.log`, 'Open-source licences']);
    expect(about.items[3]!.detail).toBe(`${licences.length} packages`);
    await car.touch('licences');
    const list = await car.screen();
    expect(list.title).toBe('Open-source licences');
    const xstate = licences.findIndex((l) => l.name === 'xstate');
    expect(xstate).toBeGreaterThanOrEqual(0);
    // The list scrolls like an address book; the part around the cursor is on screen.
    for (let left = xstate; left > 0; left -= Math.min(left, 10)) await car.rotate(Math.min(left, 10));
    const shown = await car.screen();
    expect(shown.items.find((i) => i.id === `l.${xstate}`)).toMatchObject({ label: `xstate ${licences[xstate]!.version}`, detail: 'MIT' });
    // The log file it names is where the head unit writes.
    await expect(readFile(`${dataDir}/logs/head-unit.log`, 'utf8')).resolves.toContain('"msg":"starting ');
  });
});
