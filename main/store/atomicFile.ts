import { open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Replaces a file so that a crash at any moment leaves either the old or the new content, never a
 * mix: write a temporary file beside it, fsync it, rename it over the old one, fsync the folder.
 * `data` may come in pieces (see jsonChunks): they are written a few dozen KiB at a time, so a
 * large file never holds the event loop while it is encoded.
 */
export async function writeFileAtomic(path: string, data: string | readonly string[]): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const file = await open(temp, 'w', 0o600);
    try {
      for (const piece of batches(typeof data === 'string' ? [data] : data)) await file.write(piece, null, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    // A full disk or a refused rename leaves no temporary file behind.
    await rm(temp, { force: true });
    throw error;
  }
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** The pieces joined into strings of about `size` characters (one write each). */
function* batches(pieces: readonly string[], size = 64 * 1024): Generator<string> {
  let batch: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    batch.push(piece);
    length += piece.length;
    if (length >= size) {
      yield batch.join('');
      batch = [];
      length = 0;
    }
  }
  if (length > 0) yield batch.join('');
}
