import { execFile } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import { lstat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ReadStream } from 'node:tty';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openSerialModem } from '../../hardware/modem/at/serial';
import { exposeOnPty, type PtyRelay } from '../../hardware/modem/sim/pty';
import { SimModem } from '../../hardware/modem/sim/simModem';
import { instantTiming } from '../../hardware/modem/sim/timing';
import { within } from '../support/within';
import { useTempDirs } from '../support/tempDir';

/**
 * `--modem-pty`: the simulated module's AT port on a pseudo-terminal, held by the car itself or
 * relayed by socat. A terminal that sets nothing on the line (lpac's AT driver opens the device
 * and writes) gets the module's bytes as sent; terminals come and go; socat's relay, killed, is
 * started again on the same path.
 */
const run = promisify(execFile);
const tempDir = useTempDirs();

/** `command` sent on a terminal opened as a plain file (no termios set), and what comes back until `until` is seen. */
async function plainTerminal(path: string, command: string, until: string): Promise<string> {
  const fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY);
  const terminal = new ReadStream(fd);
  try {
    let seen = '';
    const answered = new Promise<void>((resolve) =>
      terminal.on('data', (chunk: Buffer) => {
        seen += chunk.toString('latin1');
        if (seen.includes(until)) resolve();
      }),
    );
    terminal.write(command);
    await within(answered, 10_000, `no ${JSON.stringify(until)} from ${path}`, () => JSON.stringify(seen));
    return seen;
  } finally {
    terminal.destroy();
  }
}

describe.each<PtyRelay>(['in-process', 'socat'])('the simulated module’s pseudo-terminal (%s)', (relay) => {
  it('is raw and without echo of its own, so a terminal that sets nothing reads the module’s bytes as sent', async () => {
    const world = new SimModem({ timing: instantTiming });
    const path = join(await tempDir(), 'modem');
    const exposed = await exposeOnPty(world, path, undefined, relay);
    expect(exposed.relay).toBe(relay);
    try {
      const { stdout } = await run('stty', ['-F', path, '-a']);
      for (const flag of ['-echo', '-icanon', '-icrnl', '-opost', '-isig']) expect(stdout.split(/\s+/)).toContain(flag);
      // The module's own echo (ATE1 at power-on) and its answer, byte for byte: no CR turned into
      // LF on the way in, no LF into CR LF on the way out, nothing echoed by the line itself.
      expect(await plainTerminal(path, 'AT+CGMI\r', 'OK\r\n')).toMatch(/^AT\+CGMI\r\r\n[^\n]+\r\n\r\nOK\r\n$/);
      // A second terminal after the first closed reaches the module as well (the line stays up between them).
      const second = await openSerialModem(path);
      expect(await second.modem.euicc.eid()).toMatch(/^\d{32}$/);
      await second.close();
    } finally {
      await exposed.close();
    }
  });
});

describe('the socat relay', () => {
  it('starts again when it is killed, on the same path, and says so', async () => {
    const world = new SimModem({ timing: instantTiming });
    const path = join(await tempDir(), 'modem');
    const said: string[] = [];
    const exposed = await exposeOnPty(world, path, (problem) => said.push(problem), 'socat');
    try {
      const first = await openSerialModem(path);
      expect(await first.modem.euicc.eid()).toMatch(/^\d{32}$/);
      await first.close();
      await run('pkill', ['-KILL', '-f', `link=${path},`]);
      await expect.poll(() => said.join('\n'), { timeout: 10_000 }).toMatch(/the relay stopped \(SIGKILL\); starting it again/);
      // (the new relay's pseudo-terminal is at the same path once it is up)
      let second: Awaited<ReturnType<typeof openSerialModem>> | null = null;
      await expect.poll(async () => (second ??= await openSerialModem(path).catch(() => null)), { timeout: 10_000 }).not.toBeNull();
      expect(await second!.modem.euicc.eid()).toMatch(/^\d{32}$/);
      await second!.close();
    } finally {
      await exposed.close();
    }
  });
});

describe('the in-process pseudo-terminal', () => {
  it('takes the place of a link left by a car that stopped without cleaning up, refuses a file, and is gone from its path once closed', async () => {
    const world = new SimModem({ timing: instantTiming });
    const dir = await tempDir();
    const path = join(dir, 'modem');
    await symlink('/dev/null', path);
    const exposed = await exposeOnPty(world, path, undefined, 'in-process');
    try {
      const opened = await openSerialModem(path);
      expect(await opened.modem.euicc.eid()).toMatch(/^\d{32}$/);
      await opened.close();
    } finally {
      await exposed.close();
    }
    await expect(lstat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    await writeFile(path, 'notes');
    await expect(exposeOnPty(world, path, undefined, 'in-process')).rejects.toThrow(/exists and is not a link to a pseudo-terminal/);
  });
});
