import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openSerialModem } from '../../hardware/modem/at/serial';
import { exposeOnPty } from '../../hardware/modem/sim/pty';
import { SimModem } from '../../hardware/modem/sim/simModem';
import { instantTiming } from '../../hardware/modem/sim/timing';
import { useTempDirs } from '../support/tempDir';

/** `--modem-pty`'s relay (socat) killed: it is started again on the same path and said, and a terminal reaches the module again. */
const run = promisify(execFile);
const tempDir = useTempDirs();

describe('the simulated module’s pseudo-terminal', () => {
  it('starts its relay again when it is killed, on the same path, and says so', async () => {
    const world = new SimModem({ timing: instantTiming });
    const path = join(await tempDir(), 'modem');
    const said: string[] = [];
    const exposed = await exposeOnPty(world, path, (problem) => said.push(problem));
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
