import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { createStream } from 'rotating-file-stream';

export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;

/** Where the head unit writes its log (rotated beside it). */
export function logFileOf(dataDir: string): string {
  return join(dataDir, 'logs', 'head-unit.log');
}
export type LogLevel = (typeof logLevels)[number];

/**
 * Keys whose values are secrets or personal data, wherever they appear in a logged object: pino
 * replaces them before the line is written (redaction by rule: a new field with one of these
 * names is redacted without anyone remembering to).
 */
const redactedKeys = [
  'password',
  'pin',
  'newPin',
  'networkPin',
  'dPassword',
  'code',
  'securityCode',
  'csrf',
  'token',
  'access_token',
  'refresh_token',
  'device_code',
  'authorization',
  'cookie',
  'verifier',
  'activationCode',
  'matchingId',
  'name',
  'kanaLast',
  'kanaFirst',
  'kanjiLast',
  'kanjiFirst',
  'birthday',
  'postalCode',
  'address',
  'email',
  'msisdn',
  'number',
];
const redactPaths = redactedKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * Messages are text the code writes: these rules mask what may slip into one. Bearer and form
 * secrets; anything shaped like a random token (24 or more base64url characters with upper and
 * lower case and digits: names and paths are not); e-mail addresses (the first letter and the
 * domain stay); phone numbers, written with + or a leading 0 (the last two digits stay).
 */
export function scrub(text: string): string {
  return (
    text
      .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
      .replace(/\b(password|pin|code|token|csrf|secret)(["']?\s*[:=]\s*["']?)[^\s"'&,;)]+/gi, '$1$2[redacted]')
      // (a file name's timestamp, as the store writes it aside, is no token: corrupt-2026-12-07T05-20-11-123Z)
      .replace(/[A-Za-z0-9_-]{24,}/g, (word) =>
        /\d/.test(word) && /[A-Z]/.test(word) && /[a-z]/.test(word) && !/\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z/.test(word) ? '[redacted]' : word,
      )
      .replace(/\b([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b/g, '$1***@$2')
      .replace(/(?<![\w.:/-])(?:\+\d{1,3}[ -]?|0)\d[\d -]{7,14}\d(?![\w.-])/g, (number) => {
        const digits = number.replace(/\D/g, '');
        return digits.length < 10 || digits.length > 15 ? number : `${number.slice(0, -2).replace(/\d/g, '•')}${number.slice(-2)}`;
      })
  );
}

export interface LogOptions {
  /** where the log file goes: `<dataDir>/logs/head-unit.log`, rotated */
  dataDir: string;
  level: LogLevel;
  /** also print warnings and errors on stderr, as `[component] message` (the bench's console) */
  stderr?: boolean;
  /** rotation: the size of a file before the next one starts, and how many old files are kept */
  size?: string;
  maxFiles?: number;
}

let root: Logger | null = null;
let printing = true;

/**
 * The head unit's log: one JSON line per event in a file in the data directory, rotated by size
 * (10 MB, five kept) through rotating-file-stream, written by pino; secrets and personal data
 * redacted by key and scrubbed from messages. Warnings and errors are also printed on stderr
 * (before the log is opened, only they are).
 *
 * The log is never a reason to stop the car: when its folder cannot be made or a write fails (a
 * full disk, a read-only data directory), it says so once on stderr and goes on there, warnings
 * and errors only; the store tells the driver what it could not keep.
 */
export function openLog(options: LogOptions): { file: string; close(): Promise<void> } {
  const dir = dirname(logFileOf(options.dataDir));
  const file = join(dir, 'head-unit.log');
  printing = options.stderr ?? true;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    root = null;
    degrade(plainCause(dir, error));
    return { file, close: () => Promise.resolve() };
  }
  // Classical rotation: head-unit.log, then head-unit.log.1 (newest) … head-unit.log.<maxFiles>.
  // (with classical rotation the generator is called with the index alone; null for the current file)
  const name = (index: number | Date | null) => (typeof index === 'number' && index > 0 ? `head-unit.log.${index}` : 'head-unit.log');
  const stream = createStream(name, { path: dir, size: options.size ?? '10M', rotate: options.maxFiles ?? 5 });
  const opened = pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    stream as unknown as Writable,
  );
  root = opened;
  let failed = false;
  stream.on('error', (error) => {
    if (failed) return;
    failed = true;
    if (root === opened) root = null;
    degrade(error);
  });
  return {
    file,
    close: () =>
      new Promise<void>((resolve) => {
        if (root === opened) root = null;
        if (failed) return resolve();
        opened.flush(() => stream.end(() => resolve()));
      }),
  };
}

/**
 * A recursive mkdir on a read-only file system reports ENOENT; the folder made on its own says
 * what is really wrong (EROFS, EACCES) when its parent is there.
 */
function plainCause(dir: string, error: unknown): unknown {
  try {
    mkdirSync(dir);
    return error;
  } catch (again) {
    return (again as NodeJS.ErrnoException).code === 'ENOENT' ? error : again;
  }
}

/** The log file is out of reach: said once, and warnings and errors go on to stderr (the caller lets go of the file's logger). */
function degrade(error: unknown): void {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';
  console.error(`[log] the log file cannot be written (${code}): warnings and errors go to stderr only from now on`);
}

/** One component's log (`log('store').warn('…')`), safe to use before the log is opened. */
export function log(component: string) {
  const write = (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => {
    const text = scrub(message);
    root?.child({ component })[level](fields ?? {}, text);
    if ((!root || printing) && (level === 'warn' || level === 'error')) console.error(`[${component}] ${text}`);
  };
  return {
    debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
    info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
    warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
    error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
  };
}
