// What the app's build reads, as one fingerprint: `build:app` records it when it has finished, and
// `npm start` (scripts/buildIfChanged.mjs) builds again only when it differs. The fingerprint is
// the inputs' content, not their times, which a checkout or a copy changes.
//   node scripts/buildInputs.mjs forget   (a build starts: dist/ is not the recorded one any more)
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const inputDirs = ['main', 'cloud', 'hardware', 'shared', 'renderer', 'scripts'];
const inputFiles = [
  'package.json',
  'package-lock.json',
  'vite.config.ts',
  'vite.bench.config.ts',
  'tsconfig.base.json',
  'tsconfig.json',
  'tsconfig.node.json',
  'tsconfig.web.json',
];

/** Where the last finished build's fingerprint is kept. */
export const stampFile = join('dist', '.build-inputs');

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/** The sha256 of every input's path and content, in a stable order. */
export function fingerprint() {
  const hash = createHash('sha256');
  const files = [...inputDirs.flatMap(filesUnder), ...inputFiles.filter((file) => existsSync(file))].sort();
  for (const file of files) hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

if (process.argv[2] === 'forget') rmSync(stampFile, { force: true });
