import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloud } from '../cloud/server';
import type { Modem } from '../hardware/modem/contract';
import { openSerialModem } from '../hardware/modem/at/serial';
import { exposeOnPty, type PtyRelay } from '../hardware/modem/sim/pty';
import { exposeOnVpcd } from '../hardware/modem/sim/vpcd';
import { Lpa } from '../main/esim/lpa';
import { SimModem } from '../hardware/modem/sim/simModem';
import { instantTiming, realisticTiming, type Timing } from '../hardware/modem/sim/timing';
import { Core } from '../main/core';
import { isdRAid } from '../shared/es10/es10c';
import { defaultScenario } from '../shared/scenario';
import { simulatedParts } from '../main/world';

import { report, summary } from './stats';
import { addByEmail } from '../test/support/driver';

/**
 * The whole Personal eSIM set-up, from the driver opening Mobile devices with a new BMW ID to
 * Connected with data up: the core with zero simulated latency and with the realistic latency
 * model, on the simulated module directly and through the AT path (serialport on a pseudo-terminal
 * to the simulated module's AT port, as `--modem at:` drives a real module); one APDU's round trip
 * through that path and through the PC/SC card's vpcd socket; and a whole download with profile
 * protection keys against without.
 */

/** The simulated module, directly or behind its AT port on a pty (held in-process, or relayed by socat) with the AT backend in front. */
async function module(timing: Timing, path: 'direct' | PtyRelay): Promise<{ modem: Modem; world: SimModem; close(): Promise<void> }> {
  const world = new SimModem({ timing });
  if (path === 'direct') return { modem: world, world, close: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'idrive-bench-pty-'));
  const exposed = await exposeOnPty(world, join(dir, 'modem'), undefined, path);
  const opened = await openSerialModem(exposed.path);
  return {
    modem: opened.modem,
    world,
    close: async () => {
      await opened.close();
      await exposed.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function setUpOnce(timing: Timing, path: 'direct' | PtyRelay = 'direct'): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'idrive-bench-esim-'));
  const cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
  const { modem, world, close } = await module(timing, path);
  // (the module the car drives: the simulated one itself, or an AT modem on its pseudo-terminal)
  const parts = { ...simulatedParts(defaultScenario, { modem: world, timeScale: timing.scale }), modem };
  const core = new Core({ dataDir: dir, language: 'en', cloudUrl: () => cloud.url, parts, timeScale: timing.scale });
  await core.ready;
  try {
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    // (the set-up waits for the driver to open Mobile devices, as the guide's step 11 goes)
    await core.input({ kind: 'touch', itemId: 'mobileDevices' });
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const check = () => {
        if (core.view().status.data) {
          stop();
          resolve();
        }
      };
      const stop = core.onView(check);
      check();
    });
    return performance.now() - started;
  } finally {
    await core.stop();
    await close();
    await cloud.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** GetEUICCChallenge (a short STORE DATA and its answer) through the AT path, `n` times: each round trip in ms. */
async function apduRoundTrips(n: number, relay: PtyRelay): Promise<number[]> {
  const { modem, close } = await module(instantTiming, relay);
  try {
    const channel = await modem.uicc.openChannel(isdRAid);
    const apdu = Uint8Array.of(0x80 | channel, 0xe2, 0x91, 0x00, 0x03, 0xbf, 0x2e, 0x00);
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      await modem.uicc.transmit(channel, apdu);
      times.push(performance.now() - started);
    }
    await modem.uicc.closeChannel(channel);
    return times;
  } finally {
    await close();
  }
}

/** A whole download by the LPA (ES9+ over HTTPS, ES10b on the card), of an order protected with session keys or PPKs. */
async function downloadOnce(cloud: Awaited<ReturnType<typeof startCloud>>, protection: 'session' | 'ppk'): Promise<number> {
  const modem = new SimModem({ timing: instantTiming });
  const made = await fetch(new URL('/admin/smdp/orders', cloud.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ protection }),
  });
  const { activationCode } = (await made.json()) as { activationCode: string };
  const started = performance.now();
  await new Lpa(modem.euicc).download(activationCode);
  return performance.now() - started;
}

/** GetEUICCChallenge on a logical channel through the vpcd socket (what pcscd's vpcd sends; pcscd's own hop not included), `n` times. */
async function pcscRoundTrips(n: number): Promise<number[]> {
  const world = new SimModem({ timing: instantTiming });
  const exposed = await exposeOnVpcd(world, '127.0.0.1', 0);
  const socket = connect(Number(exposed.address.split(':').at(-1)), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let pending: ((answer: Buffer) => void) | null = null;
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    if (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
      const answer = buffer.subarray(2, 2 + buffer.readUInt16BE(0));
      buffer = buffer.subarray(2 + answer.length);
      pending?.(answer);
    }
  });
  const send = (apdu: number[]) =>
    new Promise<Buffer>((resolve) => {
      pending = resolve;
      socket.write(Buffer.from([apdu.length >> 8, apdu.length & 0xff, ...apdu]));
    });
  try {
    const channel = (await send([0x00, 0x70, 0x00, 0x00, 0x01]))[0]!;
    await send([channel, 0xa4, 0x04, 0x0c, 0x10, ...Buffer.from(isdRAid, 'hex')]);
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      await send([0x80 | channel, 0xe2, 0x91, 0x00, 0x03, 0xbf, 0x2e, 0x00]);
      times.push(performance.now() - started);
    }
    return times;
  } finally {
    socket.destroy();
    await exposed.close();
  }
}

const instant: number[] = [];
const throughAt: number[] = [];
const throughSocat: number[] = [];
// Interleaved, so that every path sees the same machine load.
for (let i = 0; i < 7; i++) {
  instant.push(await setUpOnce(instantTiming));
  throughAt.push(await setUpOnce(instantTiming, 'in-process'));
  throughSocat.push(await setUpOnce(instantTiming, 'socat'));
}
const realistic: number[] = [];
for (let i = 0; i < 3; i++) realistic.push(await setUpOnce(realisticTiming));
const apdu = summary(await apduRoundTrips(500, 'in-process'));
const apduSocat = summary(await apduRoundTrips(500, 'socat'));
const pcsc = summary(await pcscRoundTrips(500));
// Downloads with and without profile protection keys, interleaved on one cloud.
const cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
const withSessionKeys: number[] = [];
const withPpk: number[] = [];
for (let i = 0; i < 7; i++) {
  withSessionKeys.push(await downloadOnce(cloud, 'session'));
  withPpk.push(await downloadOnce(cloud, 'ppk'));
}
await cloud.close();
const sessionKeys = summary(withSessionKeys);
const ppk = summary(withPpk);
const fast = summary(instant);
const at = summary(throughAt);
const socat = summary(throughSocat);
const real = summary(realistic);
const ratio = Math.round((at.p50 / fast.p50) * 100) / 100;
await report(
  'esim',
  [
    { name: 'eSIM set-up, zero latency, direct (median of 7)', value: Math.round(fast.p50), unit: 'ms' },
    { name: 'eSIM set-up, zero latency, AT path on a pty (median of 7)', value: Math.round(at.p50), unit: 'ms' },
    { name: 'AT path against direct', value: ratio, unit: '×', goal: '≤ 1.2' },
    { name: 'eSIM set-up, zero latency, AT path on a pty relayed by socat (median of 7)', value: Math.round(socat.p50), unit: 'ms' },
    { name: 'AT path relayed by socat against direct', value: Math.round((socat.p50 / fast.p50) * 100) / 100, unit: '×' },
    { name: 'eSIM set-up, realistic latency (median of 3)', value: Math.round(real.p50), unit: 'ms' },
    { name: 'APDU round trip via +CGLA on a pty, p50', value: apdu.p50, unit: 'ms' },
    { name: 'APDU round trip via +CGLA on a pty, p99', value: apdu.p99, unit: 'ms' },
    { name: 'APDU round trip via +CGLA on a pty relayed by socat, p50', value: apduSocat.p50, unit: 'ms' },
    { name: 'APDU round trip via +CGLA on a pty relayed by socat, p99', value: apduSocat.p99, unit: 'ms' },
    { name: 'APDU round trip via the vpcd socket (PC/SC), p50', value: pcsc.p50, unit: 'ms' },
    { name: 'APDU round trip via the vpcd socket (PC/SC), p99', value: pcsc.p99, unit: 'ms' },
    { name: 'download (LPA, ES9+ and ES10b, 30 KB), session keys (median of 7)', value: Math.round(sessionKeys.p50), unit: 'ms' },
    { name: 'download with profile protection keys (median of 7)', value: Math.round(ppk.p50), unit: 'ms' },
    { name: 'PPKs against session keys', value: Math.round((ppk.p50 / sessionKeys.p50) * 100) / 100, unit: '×' },
  ],
  {
    instant: fast,
    at,
    socat,
    apduSocat,
    realistic: real,
    apdu,
    pcsc,
    sessionKeys,
    ppk,
    stages: 'entitlement → ES9+ over HTTPS / ES10b download (about 30 segments of 1 KB) → enable → register (440 10) → data up',
  },
);
