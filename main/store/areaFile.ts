import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { writeFileAtomic } from './atomicFile';

/** What loading an area found. `movedTo` is set when the file was damaged and kept aside. */
export interface Loaded<T> {
  value: T;
  movedTo: string | null;
}

/**
 * One area of the car's memory (settings, profiles, devices, …) in one small file:
 * `{ "version": n, "data": … }`, validated on load. A file that cannot be read is never silently
 * reset: it is renamed to `<area>.corrupt-<time>.json` and the caller is told, so the driver can be.
 * Writes are queued so that the last one wins and two never interleave.
 */
export class AreaFile<T> {
  private queue: Promise<unknown> = Promise.resolve();
  readonly path: string;

  constructor(
    readonly dir: string,
    readonly area: string,
    private readonly version: number,
    private readonly schema: z.ZodType<T>,
  ) {
    this.path = join(dir, `${area}.json`);
  }

  async load(fallback: () => T): Promise<Loaded<T>> {
    await this.sweepTemporaryFiles();
    let raw: string;
    try {
      raw = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { value: fallback(), movedTo: null };
      throw error;
    }
    const value = this.parse(raw);
    if (value !== undefined) return { value, movedTo: null };
    const movedTo = join(this.dir, `${this.area}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await rename(this.path, movedTo);
    return { value: fallback(), movedTo };
  }

  save(value: T): Promise<void> {
    const data = JSON.stringify({ version: this.version, data: this.schema.parse(value) }, null, 2) + '\n';
    return this.enqueue(async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.path, data);
    });
  }

  remove(): Promise<void> {
    return this.enqueue(() => rm(this.path, { force: true }));
  }

  /** A crash between writing and renaming leaves a temporary file; it never holds committed data. */
  private async sweepTemporaryFiles(): Promise<void> {
    const prefix = `.${this.area}.json.`;
    const names = await readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n.startsWith(prefix) && n.endsWith('.tmp')).map((n) => rm(join(this.dir, n), { force: true })));
  }

  /** Resolves once every write asked for so far is on disk (or failed). */
  async settled(): Promise<void> {
    await this.queue;
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private parse(raw: string): T | undefined {
    try {
      const file = JSON.parse(raw) as unknown;
      if (typeof file !== 'object' || file === null || (file as { version?: unknown }).version !== this.version) return undefined;
      const parsed = this.schema.safeParse((file as { data?: unknown }).data);
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}
