// Bundles the Node side: the launcher and web host (ESM), the Electron main process and the
// preload (CommonJS: Electron's sandboxed preload cannot load ES modules or our own files).
import { rm, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { fingerprint, stampFile } from './buildInputs.mjs';
import { init as checkLicences } from 'license-checker-rseidelsohn';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

// (chunks are named by their content: last build's would pile up beside this one's)
await rm('dist/main/chunks', { recursive: true, force: true });

const [launcher] = await Promise.all([
  build({
    ...common,
    entryPoints: { start: 'main/start.ts', cloud: 'cloud/cli.ts', console: 'main/automation/attach.ts' },
    outdir: 'dist/main',
    format: 'esm',
    // What only some starts use (the embedded cloud) is a chunk of its own, loaded when first used.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // Dependencies are bundled (start-up reads one file instead of hundreds); playwright-core is
    // loaded lazily and only when a display is opened, electron never from here.
    // noble and serialport are native: required only with --bluetooth ble / --modem at:, from node_modules.
    external: ['playwright-core', 'electron', '@abandonware/noble', '@abandonware/noble/with-bindings', 'usocket', 'x11', 'serialport'],
    minifyWhitespace: true,
    // Bundled CommonJS dependencies call require(); give the ES module one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    metafile: true,
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

// What each output of the launcher's bundle holds and imports, statically or when first used: a
// test reads it to keep what the first screen does not need out of the start.
const outputs = Object.fromEntries(
  Object.entries(launcher.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, output]) => [
      file,
      {
        imports: output.imports.filter((i) => !i.external).map((i) => ({ path: i.path, kind: i.kind })),
        inputs: Object.keys(output.inputs),
      },
    ]),
);
await writeFile('dist/main/bundle.json', `${JSON.stringify(outputs)}\n`);

// The licences of what the app carries (its production dependencies), for Settings → About and
// the packaged build: name, version, licence and where it comes from.
const packages = await new Promise((resolve, reject) =>
  checkLicences({ start: '.', production: true, excludePrivatePackages: true }, (error, found) => (error ? reject(error) : resolve(found))),
);
const licences = Object.entries(packages)
  .map(([id, info]) => {
    const at = id.lastIndexOf('@');
    return { name: id.slice(0, at), version: id.slice(at + 1), licence: [info.licenses].flat().join(' OR ') || 'UNKNOWN', repository: info.repository ?? null };
  })
  .sort((a, b) => a.name.localeCompare(b.name));
await writeFile('dist/licences.json', `${JSON.stringify(licences, null, 1)}\n`);

// Finished: what this build was made from, so that `npm start` skips the next build if nothing changed.
await writeFile(stampFile, fingerprint());
