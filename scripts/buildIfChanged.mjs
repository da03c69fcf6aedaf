// `npm start`, `npm run cloud` and `npm run console` build first, but only when an input of the
// build changed since the last finished one (scripts/buildInputs.mjs): with nothing changed, the
// car starts at once.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fingerprint, stampFile } from './buildInputs.mjs';

const recorded = existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : null;
if (recorded !== fingerprint()) {
  const build = spawnSync('npm', ['run', 'build:app', '--silent'], { stdio: 'inherit' });
  process.exit(build.status ?? 1);
}
