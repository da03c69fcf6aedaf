import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadStream, WriteStream } from 'node:tty';
import { SimAtPort } from './atPort';
import type { SimModem } from './simModem';

export interface ExposedPort {
  /** the pseudo-terminal anything can open as the module's serial port */
  path: string;
  close(): Promise<void>;
}

/**
 * The simulated module's AT port on a pseudo-terminal at `path` (a symlink to /dev/pts/N), as a
 * real module's port appears under /dev: minicom, lpac's AT driver or a team's script open it and
 * talk 27.007 to the module the car is using. socat (Debian's `socat`) makes the pair of
 * pseudo-terminals and joins them; the module listens on the other end. Raw mode, no echo of the
 * terminal's own (the module echoes, as modules do, until ATE0).
 */
export async function exposeOnPty(modem: SimModem, path: string): Promise<ExposedPort> {
  const dir = await mkdtemp(join(tmpdir(), 'idrive-modem-'));
  const inner = join(dir, 'module');
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${path},mode=660`, `pty,raw,echo=0,link=${inner}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  await ptysReady(socat, path);
  const fd = openSync(inner, constants.O_RDWR | constants.O_NOCTTY);
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  input.setRawMode(true);
  const port = new SimAtPort(modem, (data) => output.write(data));
  input.on('data', (data: Buffer) => port.receive(data));
  return {
    path,
    close: async () => {
      port.close();
      input.destroy();
      output.destroy();
      const exited = new Promise((resolve) => socat.once('exit', resolve));
      socat.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** socat says "starting data transfer loop" once both pseudo-terminals exist; a failure says why. */
function ptysReady(socat: ChildProcess, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let said = '';
    socat.once('error', (error) => reject(new Error(`--modem-pty needs socat (apt-get install socat): ${error.message}`)));
    socat.once('exit', (code) => reject(new Error(`--modem-pty ${path}: socat stopped (${code}): ${said.trim().split('\n').at(-1) ?? ''}`)));
    const listen = (chunk: Buffer) => {
      said += chunk.toString();
      if (!said.includes('starting data transfer loop')) return;
      socat.stderr!.off('data', listen);
      socat.stderr!.resume(); // (what it says later is not kept)
      resolve();
    };
    socat.stderr!.on('data', listen);
  });
}
