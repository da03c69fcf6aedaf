/**
 * The AT command channel of a cellular module (ETSI TS 127 007, V.250): one command at a time, its
 * information lines collected until the final result code, and everything the module says by
 * itself (unsolicited result codes) handed to listeners, even when it arrives in the middle of a
 * command's answer. Byte-stream agnostic: whatever carries the bytes (a serial port, a
 * pseudo-terminal, a test's script) writes them in with `receive` and sends them out through
 * `write`; lines may arrive split across reads, or several in one.
 */

/** A command that ended in ERROR, +CME ERROR or +CMS ERROR, a call result such as NO CARRIER, or no answer in time. */
export class AtError extends Error {
  constructor(
    readonly command: string,
    /** the final result code as the module sent it (`ERROR`, `+CME ERROR: 10`, `NO CARRIER`, …), or `timeout` */
    readonly result: string,
    /** +CME ERROR's (or +CMS ERROR's) number: 27.007 §9.2 (10 SIM not inserted, 30 no network service, …) */
    readonly cmeError: number | null = null,
  ) {
    super(`${command}: ${result}`);
    this.name = 'AtError';
  }
}

export interface CommandOptions {
  /** how long the module may take, in ms (a profile load takes long: the caller says so) */
  timeoutMs?: number;
}

/** Final result codes (V.250 §5.7.1 and 27.007 §9.2). */
const success = /^OK$/;
const failure = /^(ERROR|\+CME ERROR:.*|\+CMS ERROR:.*|NO CARRIER|BUSY|NO ANSWER|NO DIALTONE)$/;

/**
 * Lines a module sends by itself. One whose prefix is the pending command's own (`+CEREG: 2,1`
 * answering `AT+CEREG?`) is that command's answer instead.
 */
const unsolicited =
  /^(RING|\+CRING:|\+CLIP:|\+CCWA:|\+CEREG:|\+CREG:|\+CGREG:|\+C5GREG:|\+CGEV:|\+CUSD:|\+CMTI:|\+CIEV:|\+CLCC:|NO CARRIER|\+QIND:|\+QSTK|\^|RDY$|\+CPIN:|\+CFUN:)/;

interface Pending {
  command: string;
  /** the prefix its own information lines start with (`+CEREG` for `AT+CEREG?`) */
  prefix: string | null;
  lines: string[];
  resolve(lines: string[]): void;
  reject(error: AtError): void;
  timer: NodeJS.Timeout;
}

export class AtChannel {
  private buffer = '';
  private pending: Pending | null = null;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly urcListeners = new Set<(line: string) => void>();

  constructor(
    private readonly write: (data: string) => void,
    private readonly defaultTimeoutMs = 5000,
  ) {}

  /**
   * Sends one command (without the trailing CR) once the previous one has finished, and resolves
   * with its information lines (echo and blank lines dropped, URCs sent to their listeners).
   * Rejects with AtError on a failing final result code or a timeout; the channel then goes on.
   */
  command(command: string, options: CommandOptions = {}): Promise<string[]> {
    const run = () =>
      new Promise<string[]>((resolve, reject) => {
        if (this.closed) return reject(new AtError(command, 'closed'));
        const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
        const timer = setTimeout(() => {
          if (this.pending?.timer !== timer) return;
          this.pending = null;
          reject(new AtError(command, 'timeout'));
        }, timeoutMs);
        this.pending = { command, prefix: ownPrefix(command), lines: [], resolve, reject, timer };
        this.write(`${command}\r`);
      });
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Everything the module says by itself, line by line; returns the unsubscribe. */
  onUrc(listener: (line: string) => void): () => void {
    this.urcListeners.add(listener);
    return () => this.urcListeners.delete(listener);
  }

  /** Bytes from the module, in whatever pieces they came. */
  receive(data: string | Buffer): void {
    this.buffer += data.toString();
    const parts = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = parts.pop() ?? '';
    for (const part of parts) this.line(part.trim());
  }

  /** The port closed (the module was unplugged): the command in flight and every later one fail with `closed`. */
  close(): void {
    this.closed = true;
    this.abort('closed');
  }

  /** Fails the command in flight (the port closed or the module went away). */
  abort(reason = 'closed'): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    clearTimeout(pending.timer);
    pending.reject(new AtError(pending.command, reason));
  }

  private line(line: string): void {
    if (line === '') return;
    const pending = this.pending;
    if (pending && line === pending.command) return; // the module's echo (ATE1)
    if (pending && success.test(line)) return this.finish(pending, null);
    // NO CARRIER ends a dial; without one pending it is the call ending by itself
    if (pending && failure.test(line) && (line !== 'NO CARRIER' || /^ATD/i.test(pending.command))) return this.finish(pending, line);
    const own = pending?.prefix !== null && pending !== null && line.startsWith(`${pending.prefix}:`);
    if (!own && unsolicited.test(line)) {
      for (const listener of [...this.urcListeners]) listener(line);
      return;
    }
    if (pending) pending.lines.push(line);
    else for (const listener of [...this.urcListeners]) listener(line); // (a line nobody asked for is the module's own)
  }

  private finish(pending: Pending, failed: string | null): void {
    this.pending = null;
    clearTimeout(pending.timer);
    if (failed === null) return pending.resolve(pending.lines);
    const number = /^\+CM[ES] ERROR:\s*(\d+)/.exec(failed);
    pending.reject(new AtError(pending.command, failed, number ? Number(number[1]) : null));
  }
}

/** `AT+CEREG?` → `+CEREG`, `AT+CGLA=1,10,"…"` → `+CGLA`; basic commands (ATD, ATA) have none. */
function ownPrefix(command: string): string | null {
  const match = /^AT(\+[A-Z0-9]+)/i.exec(command);
  return match ? match[1]!.toUpperCase() : null;
}
