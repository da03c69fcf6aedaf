import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

/**
 * Packaging needs downloads (Electron and builder binaries), so it is not run here; this keeps its
 * configuration pointing at what the build really produces.
 */
describe('the electron-builder configuration', () => {
  it('packages the built app and starts the Electron host from it', async () => {
    const config = JSON.parse(await readFile('electron-builder.json', 'utf8'));
    const pkg = JSON.parse(await readFile('package.json', 'utf8'));
    const build = await readFile('scripts/build.mjs', 'utf8');
    expect(config.extraMetadata.main).toBe('dist/electron/main.cjs');
    expect(pkg.main).toBe(config.extraMetadata.main);
    expect(build).toContain("entryPoints: { main: 'main/hosts/electron/main.ts' }");
    expect(build).toContain("entryPoints: { preload: 'main/hosts/electron/preload.ts' }");
    expect(config.files).toContain('dist/**/*');
    expect(config.asar).toBe(true);
    // electron itself is a build tool here: packaged apps carry their own runtime
    expect(pkg.devDependencies.electron).toMatch(/^\^45\./);
    expect(pkg.dependencies.electron).toBeUndefined();
  });
});
