import { execFile } from 'node:child_process';
import { closeSync } from 'node:fs';
import { chmod, lstat, symlink, unlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { ReadStream } from 'node:tty';
import { promisify } from 'node:util';
import type { ExposedPort } from './pty';
import { SimAtPort } from './atPort';
import type { SimModem } from './simModem';

/** openpty(3) as node-pty's native module gives it: both ends' descriptors (non-blocking) and the slave's path. */
interface Openpty {
  open(cols: number, rows: number): { master: number; slave: number; pty: string };
}

/**
 * node-pty's native openpty, or null where this build has none (a container's image ships no
 * node_modules; an Electron build whose native modules were not rebuilt). node-pty's own
 * `UnixTerminal.open` is not used: it also reads the slave end, which would take the module's
 * answers before the terminal that opened the path sees them.
 */
export function loadOpenpty(): Openpty | null {
  try {
    // (a CommonJS build, the Electron host's, has require and no import.meta; the ES modules have import.meta)
    const load = typeof require === 'function' ? require : createRequire(import.meta.url);
    const { loadNativeModule } = load('node-pty/lib/utils') as { loadNativeModule(name: string): { module: Openpty } };
    return loadNativeModule('pty').module;
  } catch {
    return null;
  }
}

/**
 * The simulated module's AT port on a pseudo-terminal this process holds (no relay process): the
 * master end read and written on the event loop, the slave's path linked at `path`. The slave is
 * set raw with no echo and no output processing (`stty raw -echo`, as socat's `raw,echo=0` did):
 * lpac's AT driver opens the device without setting the line itself. This process keeps the slave
 * open too, so that the master never reads EIO while no terminal has the path open.
 */
export async function exposeInProcess(modem: SimModem, path: string, openpty: Openpty, say: (problem: string) => void): Promise<ExposedPort> {
  let pair: ReturnType<Openpty['open']>;
  try {
    pair = openpty.open(80, 24);
  } catch (error) {
    throw new Error(`--modem-pty ${path}: no pseudo-terminal could be opened: ${(error as Error).message}`, { cause: error });
  }
  const master = new ReadStream(pair.master);
  try {
    await promisify(execFile)('stty', ['-F', pair.pty, 'raw', '-echo']);
    await chmod(pair.pty, 0o660);
    await linkAt(path, pair.pty);
  } catch (error) {
    master.destroy();
    closeSync(pair.slave);
    throw new Error(`--modem-pty ${path}: the pseudo-terminal could not be made ready: ${(error as Error).message}`, { cause: error });
  }
  const port = new SimAtPort(modem, (data) => master.write(data));
  master.on('data', (data: Buffer) => port.receive(data));
  master.on('error', (error) => say(`--modem-pty ${path}: ${error.message}`));
  return {
    path,
    relay: 'in-process',
    close: async () => {
      port.close();
      await unlink(path).catch(() => undefined);
      const closed = new Promise((resolve) => master.once('close', resolve));
      master.destroy();
      await closed;
      closeSync(pair.slave);
    },
  };
}

/** A symlink at `path` to the slave, replacing an earlier one (a car that stopped without cleaning up); anything else there is refused. */
async function linkAt(path: string, target: string): Promise<void> {
  const existing = await lstat(path).catch(() => null);
  if (existing && !existing.isSymbolicLink()) throw new Error(`${path} exists and is not a link to a pseudo-terminal`);
  if (existing) await unlink(path).catch(() => undefined);
  await symlink(target, path);
}
