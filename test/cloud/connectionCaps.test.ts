import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionsPerAddress, startCloud, type Cloud } from '../../cloud/server';
import { SimModem } from '../../hardware/modem/sim/simModem';
import { Lpa } from '../../main/esim/lpa';
import { defaultScenario } from '../../shared/scenario';

/**
 * Connection caps are no lever: silent sockets from one address (127.0.0.2 here) do not shut out
 * another's (127.0.0.1) requests, at the cloud and at the SM-DP+; and 200 downloads at once from one
 * address all complete, the LPA sending again what a loaded SM-DP+ turned away before TLS.
 */
let cloud: Cloud;
const silent: Socket[] = [];
beforeAll(async () => {
  cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  for (const socket of silent.splice(0)) socket.destroy();
  await cloud.close();
});

/** `n` TCP connections from 127.0.0.2 that never send a byte; resolves once each is open or refused. */
async function openSilent(port: number, n: number): Promise<Socket[]> {
  const sockets = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Socket>((resolve) => {
          const socket = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' });
          socket.on('error', () => undefined);
          socket.once('connect', () => resolve(socket));
          socket.once('close', () => resolve(socket));
        }),
    ),
  );
  silent.push(...sockets);
  return sockets;
}

const order = async () =>
  (await (await fetch(new URL('/admin/smdp/orders', cloud.url), { method: 'POST' })).json()) as { activationCode: string; iccid: string };

describe('the listeners under silent connections', () => {
  it('the SM-DP+: 300 silent sockets from one address, and a car elsewhere still downloads', async () => {
    const port = Number(cloud.smdpAddress.split(':').at(-1));
    const sockets = await openSilent(port, 300);
    // (beyond the per-address cap, closed at once)
    await expect.poll(() => sockets.filter((s) => s.destroyed || s.readyState === 'closed').length).toBeGreaterThanOrEqual(300 - 64);
    const { activationCode, iccid } = await order();
    expect((await new Lpa(new SimModem().euicc).download(activationCode)).iccid).toBe(iccid);
  });

  it('the cloud: 400 silent sockets from one address, and the phone pages still answer another', async () => {
    const sockets = await openSilent(Number(new URL(cloud.url).port), 400);
    await expect.poll(() => sockets.filter((s) => s.destroyed || s.readyState === 'closed').length).toBeGreaterThanOrEqual(400 - connectionsPerAddress);
    const page = await fetch(new URL('/app', cloud.url));
    expect(page.status).toBe(200);
  });

  it('200 downloads at once from one address all complete', async () => {
    for (const socket of silent.splice(0)) socket.destroy();
    const orders: Awaited<ReturnType<typeof order>>[] = [];
    for (let i = 0; i < 200; i++) orders.push(await order());
    const results = await Promise.all(orders.map(async ({ activationCode }) => (await new Lpa(new SimModem().euicc, 30_000).download(activationCode)).iccid));
    expect(results).toEqual(orders.map((o) => o.iccid));
  }, 120_000);
});
