import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { StoreProblems, StoreWriteError, type StoreProblem } from './problems';
import { join } from 'node:path';
import type { z } from 'zod';
import { writeFileAtomic } from './atomicFile';
import { jsonChunks } from '../slices';
import { log } from '../log';

/**
 * What loading an area found. `movedTo` is set when the file was damaged and kept aside; `legacy`
 * holds a file of the area's previous version, for its owner to migrate (`value` is then the fallback).
 */
export interface Loaded<T, L = never> {
  value: T;
  movedTo: string | null;
  legacy?: L;
}

/** The file operations an area uses: the real ones, or a test's that fail on purpose. */
export interface AreaIo {
  readFile(path: string): Promise<string>;
  writeFileAtomic(path: string, data: string | readonly string[]): Promise<void>;
}
export const realIo: AreaIo = { readFile: (path) => readFile(path, 'utf8'), writeFileAtomic };

/**
 * One area of the car's memory (settings, profiles, devices, …) in one small file:
 * `{ "version": n, "data": … }`, validated on load. Nothing is ever silently reset or lost, and
 * every problem goes to `problems` (the driver and the log):
 * - damaged contents: the file is renamed to `<area>.corrupt-<time>.json`, defaults are used;
 * - a file that cannot be read at all (a directory in its place, EACCES, EIO): defaults are used
 *   and the area is held, never written over in this run, so an intact file behind a passing
 *   fault survives;
 * - a failed write rejects with a StoreWriteError, after reporting it; so does a value that does
 *   not fit the schema (code `EINVAL`), which is never written.
 * Writes are queued so that the last one wins and two never interleave.
 */
export class AreaFile<T, L = never> {
  private queue: Promise<unknown> = Promise.resolve();
  readonly path: string;
  /** the file could not be read at start: it is not written over */
  private held: StoreProblem | null = null;
  /** closed when the car stopped: nothing more is written (see `close`) */
  private closed = false;
  /** `saveLatest`: the newest value not yet written, the write that will take it, and what is on disk */
  private latest: { value: T } | undefined;
  private latestWrite: Promise<void> | undefined;
  private lastWritten: readonly string[] | undefined;

  constructor(
    readonly dir: string,
    readonly area: string,
    private readonly version: number,
    private readonly schema: z.ZodType<T>,
    private readonly problems: StoreProblems = new StoreProblems(),
    private readonly io: AreaIo = realIo,
    /**
     * `checkWrites: false` for an area too large to check on every write (an address book of
     * tens of thousands of contacts, made by our own reader): it is checked when read.
     */
    private readonly options: { checkWrites?: boolean; legacy?: { version: number; schema: z.ZodType<L> } } = {},
  ) {
    this.path = join(dir, `${area}.json`);
  }

  async load(fallback: () => T): Promise<Loaded<T, L>> {
    await this.sweepTemporaryFiles();
    let raw: string;
    try {
      raw = await this.io.readFile(this.path);
    } catch (error) {
      const code = codeOf(error);
      if (code === 'ENOENT') return { value: fallback(), movedTo: null };
      return this.hold(code, fallback);
    }
    const value = this.parse(raw, this.version, this.schema);
    if (value !== undefined) {
      this.lastWritten = [raw];
      return { value, movedTo: null };
    }
    const { legacy } = this.options;
    const old = legacy && this.parse(raw, legacy.version, legacy.schema);
    if (old !== undefined) return { value: fallback(), movedTo: null, legacy: old };
    const movedTo = join(this.dir, `${this.area}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    try {
      await rename(this.path, movedTo);
    } catch (error) {
      // Not even kept aside: then it must not be written over either.
      return this.hold(codeOf(error), fallback);
    }
    this.problems.report({ kind: 'damaged', area: this.area, file: movedTo, code: null });
    return { value: fallback(), movedTo };
  }

  private hold(code: string, fallback: () => T): Loaded<T, L> {
    this.held = { kind: 'unreadable', area: this.area, file: this.path, code };
    this.problems.report(this.held);
    return { value: fallback(), movedTo: null };
  }

  /** Writes the area; rejects with a StoreWriteError (already reported) when it could not. */
  save(value: T): Promise<void> {
    const checked = this.checked(value);
    if (!checked) return this.refused();
    return this.enqueue(async () => {
      const data = await this.serialize(checked.value);
      await this.guarded(() => this.write(data));
      this.lastWritten = data;
    });
  }

  /** The value as the schema has it (null when it does not match), unless writes go unchecked. */
  private checked(value: T): { value: T } | null {
    if (this.options.checkWrites === false) return { value };
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return { value: parsed.data };
    const where = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(the whole)'}: ${issue.code}`)
      .slice(0, 3)
      .join('; ');
    log('store').error(`${this.area}: a value that does not fit its file was not written (${where})`);
    return null;
  }

  /**
   * A value that does not fit the file is a failed write like any other (the driver is told, the
   * caller's promise rejects); what is on disk stays as it was.
   */
  private refused(): Promise<never> {
    const problem: StoreProblem = { kind: 'unwritable', area: this.area, file: this.path, code: 'EINVAL' };
    this.problems.report(problem);
    return Promise.reject(new StoreWriteError(problem));
  }

  /** Compact JSON, made in slices and kept in pieces (an address book can be tens of megabytes). */
  private async serialize(value: T): Promise<string[]> {
    const pieces = await jsonChunks({ version: this.version, data: value });
    pieces.push('\n');
    return pieces;
  }

  private async write(data: readonly string[]): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.io.writeFileAtomic(this.path, data);
  }

  /**
   * Saves the newest value only, for state that changes in bursts (the embedded cloud's world, the
   * eUICC's flash): while a write runs, later values replace each other and only the last is
   * written after it; content equal to what was last written is not written again. So a flood of
   * changes costs one pending value, not a queue of copies. Resolves once a write that includes
   * `value` (or a later one) is done.
   */
  saveLatest(value: T): Promise<void> {
    const checked = this.checked(value);
    if (!checked) return this.refused();
    this.latest = checked;
    this.latestWrite ??= this.enqueue(async () => {
      const { value: newest } = this.latest!;
      this.latest = undefined;
      this.latestWrite = undefined;
      const data = await this.serialize(newest);
      if (this.lastWritten && sameText(data, this.lastWritten)) return;
      await this.guarded(() => this.write(data));
      this.lastWritten = data;
    });
    return this.latestWrite;
  }

  /** Deletes the area's file (a factory reset): a held file is deleted too, as the driver asked. */
  remove(): Promise<void> {
    return this.enqueue(async () => {
      this.held = null;
      this.lastWritten = undefined;
      await this.guarded(() => rm(this.path, { force: true }));
    });
  }

  private async guarded(work: () => Promise<void>): Promise<void> {
    if (this.held) throw new StoreWriteError(this.held);
    try {
      await work();
    } catch (error) {
      const problem: StoreProblem = { kind: 'unwritable', area: this.area, file: this.path, code: codeOf(error) };
      this.problems.report(problem);
      throw new StoreWriteError(problem);
    }
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

  /**
   * No write after this: the car has stopped, and work it left running (a download step, a sync)
   * must not change what it keeps on disk, which a restored checkpoint or the next start now owns.
   * Writes asked for before it still complete (see `settled`).
   */
  close(): void {
    this.closed = true;
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    if (this.closed) {
      log('store').debug(`${this.area}: not written, the car has stopped`);
      return Promise.resolve();
    }
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private parse<V>(raw: string, version: number, schema: z.ZodType<V>): V | undefined {
    try {
      const file = JSON.parse(raw) as unknown;
      if (typeof file !== 'object' || file === null || (file as { version?: unknown }).version !== version) return undefined;
      const parsed = schema.safeParse((file as { data?: unknown }).data);
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Whether two texts in pieces are the same text (compared piece by piece where they are cut alike). */
function sameText(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === b.length) return a.every((piece, i) => piece === b[i]);
  const length = (pieces: readonly string[]) => pieces.reduce((n, piece) => n + piece.length, 0);
  return length(a) === length(b) && a.join('') === b.join('');
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';
}
