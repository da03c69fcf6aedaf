import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core';
import { realIo, type AreaIo } from '../../main/store/areaFile';
import { carWithCloud, type CarWithCloud } from '../support/carWithCloud';
import { useTempDirs } from '../support/tempDir';
import { addByEmail, loginByEmail } from '../support/driver';

/**
 * The car's memory when the disk misbehaves: an area that cannot be read never costs the others
 * and is never written over; a write that fails is told, never hidden, and leaves nothing behind.
 */
const run = promisify(execFile);
const tempDir = useTempDirs();
let car: CarWithCloud | undefined;
afterEach(async () => {
  await car?.stop();
  car = undefined;
});

const touch = (core: Core, itemId: string) => core.input({ kind: 'touch', itemId });
const popupText = (core: Core) => core.snapshot().popup?.text ?? '';
const profileNames = (core: Core) => {
  core.input({ kind: 'button', button: 'MENU' });
  touch(core, 'bmwId');
  const names = core.snapshot().items.map((i) => i.label);
  core.input({ kind: 'button', button: 'MENU' });
  return names;
};

/** A car with Taro's BMW ID and PIN on disk: every area written. */
async function seededDir(): Promise<string> {
  const dir = await tempDir();
  const seeded = await carWithCloud(dir);
  await addByEmail(seeded.core, 'taro@example.com', 'bmw-id-demo', '2580');
  await seeded.stop();
  return dir;
}

/** A login the car could not store: told on its screen (the start's notice said why); cancelled. */
async function giveUp(core: Core): Promise<void> {
  await core.waitForScreen('login.notSaved', 5000);
  expect(core.snapshot().popup).toBeNull();
  expect(core.snapshot().items.find((i) => i.id === 'message')?.label).toMatch(/could not store/);
  touch(core, 'cancel');
  await core.waitForScreen('menu', 5000);
  expect(core.view().status.profile).not.toBe('Hanako Suzuki');
}

describe('an area that cannot be read', () => {
  it.each(['settings', 'profiles', 'tokens', 'pins', 'devices', 'esim-sessions'])(
    '%s: a directory in its place is told, the others load, and it is never written over',
    async (area) => {
      const dir = await seededDir();
      const file = join(dir, `${area}.json`);
      // (no phone was paired and no download is open on the seeded car: their areas start empty)
      const original = await readFile(file, 'utf8').catch(
        () => JSON.stringify({ version: 1, data: area === 'devices' ? { profiles: {} } : { sessions: [] } }, null, 2) + '\n',
      );
      await writeFile(`${file}.intact`, original);
      await rm(file, { force: true });
      // (the intact file, hidden behind a directory that took its name)
      await mkdir(file);
      car = await carWithCloud(dir);
      const { core } = car;
      expect(core.snapshot().popup?.id).toBe('storeCorrupt');
      expect(popupText(core)).toContain(`cannot read its saved`);
      expect(popupText(core)).toContain(`${file}: EISDIR`);
      touch(core, 'ok');
      if (area !== 'profiles') expect(profileNames(core)).toContain('Taro Yamada'); // the others loaded

      // A second BMW ID logs in: every other area is written, this one is left alone. A login needs
      // the profiles, tokens and PINs: without one of them it is not stored, and the driver is told
      // so on the login's screen (and gives up here).
      await loginByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
      if (['profiles', 'tokens', 'pins'].includes(area)) await giveUp(core);
      else await core.waitForScreen('menu', 5000);
      expect(await readdir(file)).toEqual([]);
      await car.stop();
      car = undefined;
      // Once the file is back, nothing of Taro's was lost.
      await rm(file, { recursive: true });
      await rename(`${file}.intact`, file);
      expect(await readFile(file, 'utf8')).toBe(original);
      car = await carWithCloud(dir);
      expect(car.core.snapshot().popup).toBeNull();
      expect(profileNames(car.core)).toContain('Taro Yamada');
    },
  );

  it.each(['EACCES', 'EIO'])('a file the car may not read (%s) is told and left as it is', async (code) => {
    const dir = await seededDir();
    const written: string[] = [];
    const io: AreaIo = {
      readFile: async (path) => {
        if (path.endsWith('profiles.json')) throw Object.assign(new Error(code), { code });
        return realIo.readFile(path);
      },
      writeFileAtomic: async (path, data) => {
        written.push(path);
        return realIo.writeFileAtomic(path, data);
      },
    };
    const before = await readFile(join(dir, 'profiles.json'), 'utf8');
    car = await carWithCloud(dir, undefined, undefined, { storeIo: io });
    expect(popupText(car.core)).toContain(`profiles.json: ${code}`);
    touch(car.core, 'ok');
    await loginByEmail(car.core, 'hanako@example.com', 'onenumber-demo', null);
    await giveUp(car.core);
    expect(written.filter((p) => p.endsWith('profiles.json'))).toEqual([]);
    expect(written.some((p) => p.endsWith('tokens.json'))).toBe(true);
    expect(await readFile(join(dir, 'profiles.json'), 'utf8')).toBe(before);
  });

  it.each(['sim-modem', 'cloud-world', 'sim-phones'])("the bench's %s file: a directory in its place is told with its name", async (area) => {
    // (these are read by the start, as `npm start` does it)
    const { bootCore } = await import('../../main/boot');
    const { parseOptions } = await import('../../main/options');
    const dir = await tempDir();
    await mkdir(join(dir, `${area}.json`));
    const options = parseOptions(['--data-dir', dir, '--cloud-port', '0', '--lang', 'en'], {});
    if (options === 'help') throw new Error('unexpected');
    const booted = await bootCore(options);
    try {
      expect(booted.core.snapshot().popup?.id).toBe('storeCorrupt');
      expect(popupText(booted.core)).toContain(`${join(dir, `${area}.json`)}: EISDIR`);
    } finally {
      await booted.cloud?.close();
      await booted.core.stop();
    }
  });
});

describe("the bench's world files with wrong types", () => {
  it.each([
    ['sim-modem', { profiles: [{ metadata: 5, state: 'enabled' }], notifications: [], nextSeq: 1 }],
    ['cloud-world', { tokens: { access: [['t', { accountId: 7 }]], refresh: [] }, orders: [], devices: [] }],
  ])('%s: moved aside and told, not taken into the world', async (area, data) => {
    const { bootCore } = await import('../../main/boot');
    const { parseOptions } = await import('../../main/options');
    const dir = await tempDir();
    await writeFile(join(dir, `${area}.json`), JSON.stringify({ version: 1, data }));
    const options = parseOptions(['--data-dir', dir, '--cloud-port', '0', '--lang', 'en'], {});
    if (options === 'help') throw new Error('unexpected');
    const booted = await bootCore(options);
    try {
      expect(popupText(booted.core)).toMatch(new RegExp(`${area}\\.corrupt-.+\\.json`));
      expect((await readdir(dir)).some((name) => name.startsWith(`${area}.corrupt-`))).toBe(true);
    } finally {
      await booted.stop();
    }
  });
});

describe('a write that fails', () => {
  /** A small filesystem the test mounts (as root, as CI runs); elsewhere an injected write error plays it. */
  async function smallDisk(): Promise<{
    dir: string;
    fill(): Promise<void>;
    readOnly(): Promise<void>;
    free(): Promise<void>;
    release(): Promise<void>;
  } | null> {
    const dir = await tempDir();
    try {
      await run('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir]);
    } catch {
      return null;
    }
    return {
      dir,
      fill: async () => {
        await writeFile(join(dir, 'ballast'), Buffer.alloc(512 * 1024)).catch(() => undefined);
      },
      readOnly: async () => {
        await run('mount', ['-o', 'remount,ro', dir]);
      },
      // space again, and writable again
      free: async () => {
        await rm(join(dir, 'ballast'), { force: true });
        await run('mount', ['-o', 'remount,rw', dir]);
      },
      release: async () => {
        await run('umount', [dir]);
      },
    };
  }
  const failing = (code: string): AreaIo => ({
    readFile: realIo.readFile,
    writeFileAtomic: async () => {
      throw Object.assign(new Error(code), { code });
    },
  });

  it.each([
    ['a full disk', 'ENOSPC', true],
    ['a read-only disk', 'EROFS', true],
    ['a directory the car may not write', 'EACCES', false],
  ])('on %s a login is not shown as done, the driver is told before the menu, and no temporary file stays', async (_what, code, mountable) => {
    // (root may write anywhere, so a forbidden directory is played by an injected EACCES)
    const disk = mountable ? await smallDisk() : null;
    try {
      const dir = disk?.dir ?? (await tempDir());
      car = await carWithCloud(dir, undefined, undefined, disk ? {} : { storeIo: failing(code) });
      await car.core.settled();
      if (disk) await (code === 'ENOSPC' ? disk.fill() : disk.readOnly());
      // The theme: it shows, and the driver is told it will not be remembered.
      car.core.input({ kind: 'button', button: 'OPTION' });
      car.core.input({ kind: 'press' });
      await car.core.settled();
      await car.core.waitForEvent('popup', 5000).catch(() => undefined);
      expect(car.core.snapshot().popup?.id).toBe('storeCorrupt');
      expect(popupText(car.core)).toContain(`settings.json: ${code}`);
      touch(car.core, 'ok');
      // A login that cannot be saved: the car says so on the login's own screen, and why; it
      // stays with Guest.
      await loginByEmail(car.core, 'taro@example.com', 'bmw-id-demo', '2580');
      await car.core.waitForScreen('login.notSaved', 5000);
      expect(car.core.view().status.profile).toBe('Guest');
      expect(popupText(car.core)).toMatch(new RegExp(`could not save .*: ${code}`));
      expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      touch(car.core, 'ok');
      if (disk) {
        // Nothing typed is lost: with the memory freed, "Try again" stores the same login and PIN.
        await disk.free();
        touch(car.core, 'retry');
        await car.core.waitForScreen('menu', 5000);
        expect(car.core.view().status.profile).toBe('Taro Yamada');
        const profiles = JSON.parse(await readFile(join(dir, 'profiles.json'), 'utf8')) as { data: { profiles: { name: string; hasPin: boolean }[] } };
        expect(profiles.data.profiles).toEqual([expect.objectContaining({ name: 'Taro Yamada', hasPin: true })]);
      } else {
        // Giving up: back to the menu with Guest, and nothing of the login kept.
        touch(car.core, 'cancel');
        await car.core.waitForScreen('menu', 5000);
        expect(car.core.view().status.profile).toBe('Guest');
      }
      await car.stop();
      car = undefined;
    } finally {
      await disk?.release();
    }
  });
});
