import { log as logOf } from '../log';

/**
 * What can go wrong with the car's memory on disk, as the driver and the log are told of it:
 * - `damaged`: a file's contents could not be used; it was moved aside to `file`, defaults in use.
 * - `unreadable`: the file could not be read at all (a directory in its place, EACCES, EIO). It is
 *   left exactly as it is, and the area is not written over for the rest of the run.
 * - `unwritable`: a write failed (a full disk, a read-only or forbidden directory); what changed
 *   is not remembered after a restart.
 */
export interface StoreProblem {
  kind: 'damaged' | 'unreadable' | 'unwritable';
  /** the area's name: its file is `<area>.json` (settings, profiles, devices, sim-modem, …) */
  area: string;
  /** the file concerned (for `damaged`, the copy kept aside) */
  file: string;
  /** the system's error code (ENOSPC, EACCES, EISDIR, EROFS, …), when there is one */
  code: string | null;
}

type Listener = (problem: StoreProblem) => void;

/**
 * Where the store's files report their problems. Problems reported before anyone listens (while
 * the car is still starting) are kept and handed to the first listener, so none is lost.
 */
export class StoreProblems {
  private readonly listeners = new Set<Listener>();
  private backlog: StoreProblem[] = [];

  constructor(private readonly log: (message: string) => void = (message) => logOf('store').warn(message)) {}

  report(problem: StoreProblem): void {
    const what = { damaged: 'damaged, moved aside to', unreadable: 'cannot be read, left as it is:', unwritable: 'could not be written:' }[problem.kind];
    this.log(`${problem.area}: ${what} ${problem.file}${problem.code ? ` (${problem.code})` : ''}`);
    if (this.listeners.size === 0) this.backlog.push(problem);
    for (const listener of this.listeners) listener(problem);
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    for (const problem of this.backlog.splice(0)) listener(problem);
    return () => this.listeners.delete(listener);
  }
}

/** A write the store refused or could not do; it has been reported already. */
export class StoreWriteError extends Error {
  constructor(readonly problem: StoreProblem) {
    super(`${problem.area} not saved (${problem.code ?? 'unreadable at start'})`);
    this.name = 'StoreWriteError';
  }
}

/**
 * For writes nobody waits on: a store failure has been reported (the driver is told, the log has
 * it), so there is nothing more to do here; anything else is a bug and goes to the log.
 */
export function reported(error: unknown): void {
  if (!(error instanceof StoreWriteError))
    logOf('store').error(`unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}
