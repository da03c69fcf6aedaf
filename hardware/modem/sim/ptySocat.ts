import { spawn, type ChildProcess } from 'node:child_process';
import type { ExposedPort } from './pty';
import { SimAtPort } from './atPort';
import type { SimModem } from './simModem';

/**
 * The simulated module's AT port on a pseudo-terminal that socat (Debian's `socat`) makes and
 * relays to the module over its standard input and output: the way where this build has no
 * native openpty, or when asked for. Raw mode, no echo of the terminal's own. A relay that stops
 * by itself is started again on the same path, and `say` tells of it.
 */
export async function exposeWithSocat(modem: SimModem, path: string, say: (problem: string) => void): Promise<ExposedPort> {
  let socat: ChildProcess | null = null;
  let closing = false;
  const port = new SimAtPort(modem, (data) => socat?.stdin!.write(data));
  /** socat up, relaying; a relay that stops by itself (killed, crashed) is started again on the same path, and said. */
  const relay = async (): Promise<void> => {
    const started = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${path},mode=660`, 'stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    await ptysReady(started, path);
    socat = started;
    started.stdout!.on('data', (data: Buffer) => port.receive(data));
    started.stdin!.on('error', () => undefined); // (socat gone: closing, or restarting)
    started.once('exit', (code, signal) => {
      socat = null;
      if (closing) return;
      say(`--modem-pty ${path}: the relay stopped (${signal ?? code}); starting it again`);
      relay().catch((error: unknown) => say(`--modem-pty ${path}: the relay could not be started again: ${(error as Error).message}`));
    });
  };
  await relay();
  return {
    path,
    relay: 'socat',
    close: async () => {
      closing = true;
      port.close();
      const running = socat;
      if (!running) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
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
