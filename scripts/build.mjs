// Bundles the Node side: the launcher and web host (ESM), the Electron main process and the
// preload (CommonJS: Electron's sandboxed preload cannot load ES modules or our own files).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({
    ...common,
    entryPoints: { start: 'main/start.ts' },
    outdir: 'dist/main',
    format: 'esm',
    packages: 'external',
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
