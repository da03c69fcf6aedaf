import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import * as z from 'zod';
import { writeFileAtomic } from '../store/atomicFile';
import { CheckpointName, type CheckpointSummary } from '../../shared/contract';

/**
 * Checkpoints of the whole bench: the car's memory, the simulated eUICC's flash, the simulated
 * phones' bonds and the embedded cloud's world are all files of the data dir, so a checkpoint is
 * a copy of those files, as they are, with a manifest (`checkpoint.json`, versioned like every
 * area) that names each with its size and SHA-256. Nothing else is needed to read one, and one
 * that was changed or cut short is refused before anything is replaced.
 *
 * Layout: `<dataDir>/checkpoints/<name>/checkpoint.json` and `…/<name>/files/<the data dir's paths>`.
 */

const manifestVersion = 1;
const Manifest = z.strictObject({
  version: z.literal(manifestVersion),
  data: z.strictObject({
    name: CheckpointName,
    savedAt: z.iso.datetime(),
    /** the head unit's version that saved it */
    headUnit: z.string().max(100),
    files: z
      .array(
        z.strictObject({
          path: z.string().min(1).max(300),
          bytes: z.number().int().min(0),
          sha256: z.string().regex(/^[0-9a-f]{64}$/),
        }),
      )
      .max(100_000),
  }),
});

/** What the console and the automation API list of a checkpoint. */
export type CheckpointInfo = CheckpointSummary;

/** A checkpoint that cannot be saved or restored, with what to do, for the user. */
export class CheckpointError extends Error {}

/** Present while a restore replaces the state files (see restoreCheckpoint). */
const restoringMarker = 'restoring-checkpoint.json';
/** The top-level entries of a data dir that are not the bench's state. */
const notState = new Set(['logs', 'checkpoints', restoringMarker]);

/** Where the data dir keeps its checkpoints. */
export function checkpointsDir(dataDir: string): string {
  return join(dataDir, 'checkpoints');
}

/**
 * The checkpoint `ref` names: a name under the data dir's checkpoints, or (with a `/`) the path of
 * a checkpoint directory anywhere, such as one saved by another bench.
 */
export function checkpointDir(dataDir: string, ref: string): string {
  if (ref.includes('/') || ref.includes(sep)) return isAbsolute(ref) ? ref : join(process.cwd(), ref);
  return namedCheckpoint(dataDir, ref);
}

/** Where checkpoint `name` is kept in the data dir; a name that is no checkpoint name (a path) is refused. */
function namedCheckpoint(dataDir: string, name: string): string {
  const valid = CheckpointName.safeParse(name);
  if (!valid.success) throw new CheckpointError(`"${name}": ${valid.error.issues[0]!.message}`);
  return join(checkpointsDir(dataDir), name);
}

/**
 * The data dir's state files, as paths relative to it: everything but the log, the checkpoints,
 * files being written (`.….tmp`) and damaged files kept aside (`….corrupt-….json`).
 */
async function stateFiles(dataDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = join(dir, entry.name);
      const rel = relative(dataDir, path);
      if (dir === dataDir && notState.has(entry.name)) continue;
      if (entry.name.startsWith('.') || entry.name.includes('.corrupt-')) continue;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) found.push(rel);
    }
  };
  await walk(dataDir);
  return found.sort();
}

async function digest(path: string): Promise<{ bytes: number; sha256: string }> {
  const content = await readFile(path);
  return { bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') };
}

/**
 * Saves the data dir's state as checkpoint `name`, replacing one of that name only once the new
 * one is whole. The caller settles the files first (every pending write on disk).
 */
export async function saveCheckpoint(dataDir: string, name: string, headUnit: string, now = new Date()): Promise<CheckpointInfo> {
  // (a name, never a path: a checkpoint is saved among the data dir's own)
  const target = namedCheckpoint(dataDir, name);
  const root = dirname(target);
  await mkdir(root, { recursive: true, mode: 0o700 });
  const staging = join(root, `.${name}.${randomBytes(4).toString('hex')}.saving`);
  try {
    const files = [];
    for (const path of await stateFiles(dataDir)) {
      const copy = join(staging, 'files', path);
      await mkdir(dirname(copy), { recursive: true, mode: 0o700 });
      await copyFile(join(dataDir, path), copy);
      files.push({ path: path.split(sep).join('/'), ...(await digest(copy)) });
    }
    const manifest = { version: manifestVersion, data: { name, savedAt: now.toISOString(), headUnit, files } } satisfies z.input<typeof Manifest>;
    await writeFileAtomic(join(staging, 'checkpoint.json'), JSON.stringify(manifest, null, 1));
    // The old checkpoint of that name goes only once the new one is complete.
    const old = `${staging}.old`;
    await rename(target, old).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(staging, target);
    await rm(old, { recursive: true, force: true });
    return infoOf(manifest.data);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

function infoOf(data: z.output<typeof Manifest>['data']): CheckpointInfo {
  return { name: data.name, savedAt: data.savedAt, bytes: data.files.reduce((sum, f) => sum + f.bytes, 0), files: data.files.length };
}

/** A checkpoint's manifest, its files checked against it (by verifyCheckpoint). */
export type Verified = z.output<typeof Manifest>['data'];

/**
 * Reads and checks a checkpoint: its manifest against the schema, and every file it names against
 * its size and hash. Throws a CheckpointError saying what is wrong; changes nothing.
 */
export async function verifyCheckpoint(dir: string): Promise<Verified> {
  let text: string;
  try {
    text = await readFile(join(dir, 'checkpoint.json'), 'utf8');
  } catch {
    throw new CheckpointError(`there is no checkpoint at ${dir}`);
  }
  let parsed: z.output<typeof Manifest>;
  try {
    parsed = Manifest.parse(JSON.parse(text));
  } catch {
    throw new CheckpointError(`the checkpoint at ${dir} is damaged or of another version (its checkpoint.json does not read): save it again`);
  }
  for (const file of parsed.data.files) {
    if (file.path.split('/').some((part) => part === '..' || part === '' || part === '.'))
      throw new CheckpointError(`the checkpoint at ${dir} names a file outside it (${file.path})`);
    const found = await digest(join(dir, 'files', file.path)).catch(() => null);
    if (!found || found.bytes !== file.bytes || found.sha256 !== file.sha256) {
      throw new CheckpointError(`the checkpoint at ${dir} is damaged: ${file.path} is ${found ? 'not as saved' : 'missing'}; nothing was restored`);
    }
  }
  return parsed.data;
}

/**
 * Makes the data dir's state the checkpoint's: verified first (unless the caller just did, and
 * passes what verifyCheckpoint returned); then a marker is written, the
 * state files replaced, the marker removed. A crash in between leaves the marker, and the next
 * start finishes the restore (finishInterruptedRestore), so the car never starts from a mix.
 * The car must not be running on the data dir meanwhile.
 */
export async function restoreCheckpoint(dataDir: string, dir: string, verified?: Verified): Promise<CheckpointInfo> {
  const data = verified ?? (await verifyCheckpoint(dir));
  const marker = join(dataDir, restoringMarker);
  await mkdir(dataDir, { recursive: true });
  await writeFileAtomic(marker, JSON.stringify({ version: 1, data: { from: dir } }));
  await replaceState(
    dataDir,
    dir,
    data.files.map((f) => f.path),
  );
  await rm(marker);
  return infoOf(data);
}

async function replaceState(dataDir: string, dir: string, paths: readonly string[]): Promise<void> {
  const keep = new Set(paths.map((p) => p.split('/').join(sep)));
  for (const path of await stateFiles(dataDir)) if (!keep.has(path)) await rm(join(dataDir, path), { force: true });
  for (const path of paths) {
    const to = join(dataDir, ...path.split('/'));
    await mkdir(dirname(to), { recursive: true, mode: 0o700 });
    // (each file replaced whole: a reader sees the old or the new one)
    const temp = join(dirname(to), `.${randomBytes(4).toString('hex')}.restoring.tmp`);
    await copyFile(join(dir, 'files', ...path.split('/')), temp);
    await rename(temp, to);
  }
}

/**
 * At start: a restore a crash cut short is finished. Returns the checkpoint's directory when one
 * was, null when there was none; throws a CheckpointError when it can no longer be (the data dir
 * is then as the crash left it, and the marker stays, so the start stops rather than run on a mix).
 */
export async function finishInterruptedRestore(dataDir: string): Promise<string | null> {
  const marker = join(dataDir, restoringMarker);
  const text = await readFile(marker, 'utf8').catch(() => null);
  if (text === null) return null;
  const from = z.strictObject({ version: z.literal(1), data: z.strictObject({ from: z.string() }) }).safeParse(safeJson(text));
  if (!from.success)
    throw new CheckpointError(
      `${marker} says a restore was cut short but does not read: restore a checkpoint with --checkpoint, or remove it to start from the data dir as it is`,
    );
  await restoreCheckpoint(dataDir, from.data.data.from).catch((error: unknown) => {
    throw new CheckpointError(
      `a restore of ${from.data.data.from} was cut short and cannot be finished (${(error as Error).message}): restore a checkpoint with --checkpoint, or remove ${marker} to start from the data dir as it is`,
    );
  });
  return from.data.data.from;
}

/** The data dir's checkpoints, newest first; damaged ones are left out (restoring one says why). */
export async function listCheckpoints(dataDir: string): Promise<CheckpointInfo[]> {
  const root = checkpointsDir(dataDir);
  const names = (await readdir(root).catch(() => [] as string[])).filter((n) => CheckpointName.safeParse(n).success);
  const infos: CheckpointInfo[] = [];
  for (const name of names) {
    const text = await readFile(join(root, name, 'checkpoint.json'), 'utf8').catch(() => null);
    const parsed = text === null ? null : Manifest.safeParse(safeJson(text));
    if (parsed?.success) infos.push(infoOf(parsed.data.data));
  }
  return infos.sort((a, b) => b.savedAt.localeCompare(a.savedAt) || a.name.localeCompare(b.name));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
