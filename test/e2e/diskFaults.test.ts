import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startHeadUnit, type RunningHeadUnit } from '../support/headUnit';

/**
 * The log is never a reason to stop the car: on a full or read-only disk the head unit keeps
 * running with its log on stderr (said once), and the store tells the driver what it could not keep.
 * The data directory is a small tmpfs the test mounts (CI runs as root).
 */
const run = promisify(execFile);
let unit: RunningHeadUnit | undefined;
let mounted: string | undefined;
afterEach(async () => {
  await unit?.stop();
  unit = undefined;
  if (mounted) await run('umount', [mounted]);
  await rm(mounted ?? '', { recursive: true, force: true });
  mounted = undefined;
});

async function smallDisk(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'idrive-disk-'));
  await run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
  mounted = dir;
  return dir;
}

/** Turns the theme over: the change is saved (and logged). */
async function changeTheme(car: RunningHeadUnit['car']): Promise<void> {
  await car.button('OPTION');
  await car.press();
}

describe('the head unit on a disk that will not take its log', () => {
  it('keeps running when the disk fills up, says once that the log went to stderr, and the driver is told', async () => {
    const dir = await smallDisk();
    unit = await startHeadUnit(0, [], dir);
    await writeFile(join(dir, 'ballast'), Buffer.alloc(2 * 1024 * 1024)).catch(() => undefined);
    await changeTheme(unit.car);
    await expect.poll(async () => (await unit!.car.screen()).popup?.id, { timeout: 5000 }).toBe('storeCorrupt');
    await unit.car.touch('ok');
    // (a login started and cancelled is four state changes in the log: more than the disk's last page holds)
    for (let i = 0; i < 40; i++) {
      await unit.car.touch('bmwId');
      await unit.car.touch('add');
      await unit.car.button('BACK');
      await unit.car.button('BACK');
    }
    await expect.poll(() => unit!.output(), { timeout: 5000 }).toMatch(/the log file cannot be written \(ENOSPC\)/);
    await changeTheme(unit.car);
    await expect.poll(async () => (await unit!.car.screen()).popup?.text, { timeout: 5000 }).toContain('ENOSPC');
    expect(unit.process.exitCode).toBeNull();
    expect(unit.output().match(/the log file cannot be written/g)).toHaveLength(1);
    expect(unit.output()).not.toMatch(/Unhandled|uncaught/i);
  });

  it.each([
    ['with its log folder', true],
    ['without one yet', false],
  ])('starts on a read-only data directory %s, and says what it cannot keep', async (_what, logFolder) => {
    const dir = await smallDisk();
    if (logFolder) {
      const first = await startHeadUnit(0, [], dir);
      await first.stop();
    }
    expect((await readdir(dir)).includes('logs')).toBe(logFolder);
    await run('mount', ['-o', 'remount,ro', dir]);
    unit = await startHeadUnit(0, [], dir);
    // (the start writes the settings it made: the driver is told at once)
    await expect.poll(async () => (await unit!.car.screen()).popup?.id, { timeout: 5000 }).toBe('storeCorrupt');
    expect((await unit.car.screen()).popup?.text).toContain('EROFS');
    expect(unit.process.exitCode).toBeNull();
    expect(unit.output()).toMatch(/the log file cannot be written \(EROFS\)/);
    expect(unit.output()).not.toMatch(/Unhandled|uncaught/i);
  });
});
