// Bundles the Node side: the launcher and web host (ESM), the Electron main process and the
// preload (CommonJS: Electron's sandboxed preload cannot load ES modules or our own files).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({
    ...common,
    entryPoints: { start: 'main/start.ts', cloud: 'cloud/cli.ts' },
    outdir: 'dist/main',
    format: 'esm',
    // Dependencies are bundled (start-up reads one file instead of hundreds); playwright-core is
    // loaded lazily and only when a display is opened, electron never from here.
    // noble is optional and native: required only with --bluetooth ble, from node_modules.
    external: ['playwright-core', 'electron', '@abandonware/noble', '@abandonware/noble/with-bindings', 'usocket', 'x11'],
    minifyWhitespace: true,
    // Bundled CommonJS dependencies call require(); give the ES module one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  }).catch(() => process.exit(1)),
  build({
    ...common,
    entryPoints: { main: 'main/hosts/electron/main.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    packages: 'external',
  }).catch(() => process.exit(1)),
  build({
    ...common,
    entryPoints: { preload: 'main/hosts/electron/preload.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    external: ['electron'],
  }).catch(() => process.exit(1)),
]);
