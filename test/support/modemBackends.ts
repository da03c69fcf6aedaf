import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Modem, ModemEvent } from '../../hardware/modem/contract';
import { AtChannel } from '../../hardware/modem/at/channel';
import { AtModem } from '../../hardware/modem/at/atModem';
import { openSerialModem } from '../../hardware/modem/at/serial';
import { SimAtPort, type AtQuirks } from '../../hardware/modem/sim/atPort';
import { SimModem, type SimModemOptions } from '../../hardware/modem/sim/simModem';
import { exposeOnPty, type PtyRelay } from '../../hardware/modem/sim/pty';
import { instantTiming } from '../../hardware/modem/sim/timing';

/** A backend under test, and the simulated module behind it (its test controls: the world). */
export interface Made {
  modem: Modem;
  world: SimModem;
  close(): void | Promise<void>;
}

/** Two ends of a serial line in memory: each side's bytes reach the other on a later turn, as on a port. */
async function overAt(world: SimModem, quirks: AtQuirks = {}): Promise<Made> {
  const channel: AtChannel = new AtChannel((data) => setImmediate(() => port.receive(data)));
  const port: SimAtPort = new SimAtPort(world, (data) => setImmediate(() => channel.receive(data)), quirks);
  const modem = await AtModem.open(channel, { callPollMs: 20 });
  // Unplugged, the module's port goes away with it.
  world.on((event) => event.type === 'gone' && (channel.close(), modem.gone()));
  return { modem, world, close: () => port.close() };
}

/** The AT backend as `--modem at:` opens a real module: serialport on the simulated module's pseudo-terminal (`--modem-pty`), made as `relay` says. */
async function overPty(options: SimModemOptions | undefined, relay: PtyRelay): Promise<Made> {
  const world = new SimModem({ timing: instantTiming, ...options });
  const dir = await mkdtemp(join(tmpdir(), 'idrive-pty-'));
  const exposed = await exposeOnPty(world, join(dir, 'modem'), undefined, relay);
  const { modem, close } = await openSerialModem(exposed.path, { callPollMs: 20 });
  // Unplugged, the module's port goes away with it: the port closes, and the modem says `gone`.
  world.on((event) => event.type === 'gone' && void close());
  return {
    modem,
    world,
    close: async () => {
      await close();
      await exposed.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Every modem backend, each over a simulated module made with `options`: the simulated module
 * itself; the AT backend over its AT port in memory; the same on modules with real firmware's
 * quirks (AtQuirks); and the AT backend as `--modem at:`
 * opens a real module, with serialport on the simulated module's pseudo-terminal, held in-process
 * or relayed by socat.
 */
export const modemBackends: { name: string; make(options?: SimModemOptions): Promise<Made> }[] = [
  {
    name: 'simulated',
    make: async (options) => {
      const world = new SimModem({ timing: instantTiming, ...options });
      return { modem: world, world, close: () => {} };
    },
  },
  { name: "AT over the simulated module's port", make: async (options) => overAt(new SimModem({ timing: instantTiming, ...options })) },
  // Real modules' ways, as seen in the field (AtQuirks): +CSIM only (Dell DW5821e); hex session
  // ids without +CCHC (Sierra Wireless MC7455, EM9191); +CCHO answered with the bare number (Fibocom FM350-GL).
  { name: 'AT on a module with +CSIM only', make: async (options) => overAt(new SimModem({ timing: instantTiming, ...options }), { logicalChannels: false }) },
  {
    name: 'AT on a module with hex session ids and no +CCHC',
    make: async (options) => overAt(new SimModem({ timing: instantTiming, ...options }), { sessionIds: 'hex', noCchc: true }),
  },
  {
    name: 'AT on a module answering +CCHO with the bare number',
    make: async (options) => overAt(new SimModem({ timing: instantTiming, ...options }), { bareCcho: true }),
  },
  { name: 'AT through a pseudo-terminal with serialport (--modem at: on --modem-pty)', make: async (options) => overPty(options, 'in-process') },
  { name: 'AT through a pseudo-terminal relayed by socat, with serialport', make: async (options) => overPty(options, 'socat') },
];

/** The first event of `modem` that `match` accepts. */
export function until(modem: Modem, match: (event: ModemEvent) => boolean): Promise<ModemEvent> {
  return new Promise((resolve) => {
    const stop = modem.on((event) => {
      if (!match(event)) return;
      stop();
      resolve(event);
    });
  });
}
