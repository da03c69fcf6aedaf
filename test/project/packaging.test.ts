import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseState, FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

/**
 * Packaging needs downloads (Electron and the builder's tools), so it does not run here. What can
 * be proved is: electron-builder's own loader and schema accept the configuration, it packages what
 * the build produces, and the fuses it names end up set in a binary (flipped here on a file that
 * carries Electron's fuse sentinel, with @electron/fuses, as electron-builder does).
 */
const load = () => getConfig(process.cwd(), 'electron-builder.yml', null);
/** The marker Electron's binary carries before its fuse wire (the one @electron/fuses searches for). */
const sentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** The fuse names of electron-builder's configuration, as @electron/fuses numbers them. */
const fuseOf: Record<string, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

describe('the packaged build (electron-builder.yml)', () => {
  it("is valid by electron-builder's own schema, and packages the built app with the Electron host as main", async () => {
    const config = await load();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const pkg = JSON.parse(await readFile('package.json', 'utf8'));
    const build = await readFile('scripts/build.mjs', 'utf8');
    expect(config.extraMetadata?.main).toBe('dist/electron/main.cjs');
    expect(pkg.main).toBe(config.extraMetadata?.main);
    expect(build).toContain("entryPoints: { main: 'main/hosts/electron/main.ts' }");
    expect((config.files as { filter: string[] }[])[0]!.filter).toEqual(['dist/**/*', '!dist/**/*.map', 'package.json']);
    expect(config.asar).toBe(true);
    expect(config.appId).toBe('com.example.idrive-onenumber-emulator');
    // AppImage and deb for the bench PCs and Raspberry-class boards; Windows and macOS configured.
    const linux = (config.linux?.target ?? []) as { target: string; arch: string[] }[];
    expect(linux.map((t) => [t.target, t.arch])).toEqual([
      ['AppImage', ['x64', 'arm64']],
      ['deb', ['x64', 'arm64']],
    ]);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.linux?.icon).toBe('build/icon.png');
    expect((await readFile('build/icon.png')).subarray(1, 4).toString()).toBe('PNG');
    // electron and electron-builder are build tools, pinned: a packaged app carries its own runtime
    expect(pkg.devDependencies.electron).toMatch(/^\^45\./);
    expect(pkg.devDependencies['electron-builder']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.dependencies.electron).toBeUndefined();
    expect(pkg.scripts.package).toBe('npm run build && electron-builder --config electron-builder.yml');
  });

  it('sets every fuse the design asks for, and they end up so in a binary', async () => {
    const fuses = (await load()).electronFuses!;
    expect(fuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
    // A stand-in for the Electron binary: the sentinel, wire version 1, nine fuses as Electron ships them.
    const dir = await mkdtemp(join(tmpdir(), 'fuses-'));
    try {
      const binary = join(dir, 'electron');
      const shipped = [
        FuseState.ENABLE,
        FuseState.DISABLE,
        FuseState.ENABLE,
        FuseState.ENABLE,
        FuseState.DISABLE,
        FuseState.DISABLE,
        FuseState.DISABLE,
        FuseState.ENABLE,
        FuseState.ENABLE,
      ];
      await writeFile(
        binary,
        Buffer.concat([Buffer.alloc(4096, 7), Buffer.from(sentinel), Buffer.from([1, shipped.length, ...shipped]), Buffer.alloc(4096, 9)]),
      );
      const config = Object.fromEntries(Object.entries(fuses).map(([name, on]) => [fuseOf[name]!, on]));
      await flipFuses(binary, { version: FuseVersion.V1, ...config });
      const wire = await getCurrentFuseWire(binary);
      for (const [name, on] of Object.entries(fuses)) expect([name, wire[fuseOf[name]!]]).toEqual([name, on ? FuseState.ENABLE : FuseState.DISABLE]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
