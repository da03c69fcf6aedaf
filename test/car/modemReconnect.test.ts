import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModemEvent } from '../../hardware/modem/contract';
import { ReconnectingModem } from '../../hardware/modem/at/reconnecting';
import { exposeOnPty } from '../../hardware/modem/sim/pty';
import { SimModem } from '../../hardware/modem/sim/simModem';
import { instantTiming } from '../../hardware/modem/sim/timing';
import { useTempDirs } from '../support/tempDir';

/**
 * `--modem at:` when the module goes away and comes back (a USB module resetting, unplugged and
 * plugged in again): calls say `gone` meanwhile, and once its port answers again at the same path
 * the car is told its registration and profiles, and calls work again, with no restart.
 */
const tempDir = useTempDirs();

describe('a real module that goes away and comes back', () => {
  it('says gone while it is away, finds it again at its path, and tells its state anew', async () => {
    const world = new SimModem({ timing: instantTiming });
    const path = join(await tempDir(), 'modem');
    let port = await exposeOnPty(world, path);
    const said: string[] = [];
    const modem = await ReconnectingModem.open(path, {}, (news) => said.push(news));
    const events: ModemEvent['type'][] = [];
    modem.on((event) => events.push(event.type));
    try {
      const eid = await modem.euicc.eid();
      // The module goes: its port with it.
      await port.close();
      await expect.poll(() => events.includes('gone'), { timeout: 10_000 }).toBe(true);
      await expect(modem.euicc.eid()).rejects.toMatchObject({ code: 'gone' });
      expect(modem.present()).toBe(false);
      // It comes back at the same path.
      port = await exposeOnPty(world, path);
      await expect.poll(() => modem.present(), { timeout: 15_000 }).toBe(true);
      await expect.poll(() => events.includes('profiles'), { timeout: 10_000 }).toBe(true);
      expect(await modem.euicc.eid()).toBe(eid);
      expect(said.join('\n')).toMatch(/went away[\s\S]*is back/);
    } finally {
      await modem.close();
      await port.close();
    }
  }, 40_000);
});
