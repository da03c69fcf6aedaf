import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startCloud } from '../../cloud/server';
import { Core } from '../../main/core';
import { defaultScenario } from '../../shared/scenario';
import { useTempDirs } from '../support/tempDir';
import { simulatedParts } from '../../main/world';

/**
 * The cloud failing under the car, over real sockets: nobody listening, a server answering 500,
 * and one that never answers. Each gets its own message and a retry that works once it is back.
 */
const tempDir = useTempDirs();
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => Promise.all(stops.splice(0).map((stop) => stop())));

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

async function carAt(url: () => string) {
  const core = new Core({
    dataDir: await tempDir(),
    language: 'en',
    cloudUrl: url,
    cloudTimeoutMs: 300,
    timeScale: 0,
    parts: simulatedParts(defaultScenario, { timeScale: 0 }),
  });
  stops.push(() => core.stop());
  await core.ready;
  for (const id of ['bmwId', 'add', 'qr']) core.input({ kind: 'touch', itemId: id });
  await core.waitForScreen('login.failed', 5000);
  return core;
}

describe('when the BMW ID cloud fails', () => {
  it('says it cannot be reached, and a retry works once it is back', async () => {
    const { url, server } = await listen(() => {});
    await new Promise((resolve) => server.close(resolve)); // the port is free: nobody answers
    let target = url;
    const core = await carAt(() => target);
    expect(core.snapshot().items.map((i) => i.label)).toEqual([
      'The BMW ID service cannot be reached. Check the connection and try again.',
      'Try again',
      'Cancel',
    ]);
    expect(core.snapshot().focused).toBe('retry');
    const cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
    stops.push(() => cloud.close());
    target = cloud.url;
    core.input({ kind: 'press' });
    await core.waitForScreen('login.qr', 5000);
  });

  it('explains a server error, and says so when trying again gives the same', async () => {
    const { url } = await listen((_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('boom'));
    const core = await carAt(() => url);
    expect(core.snapshot().items[0]?.label).toBe('The BMW ID service has a problem. Try again later.');
    expect(core.snapshot().items.some((i) => i.id === 'attempt')).toBe(false);
    core.input({ kind: 'touch', itemId: 'retry' });
    expect(core.snapshot().screen).toBe('login.requesting');
    await core.waitForScreen('login.failed', 5000);
    expect(core.snapshot().items.find((i) => i.id === 'attempt')?.label).toBe('Tried 2 times, with the same result.');
  });

  it('gives up waiting after its timeout and says so', async () => {
    const { url } = await listen(() => {}); // accepts, never answers
    const core = await carAt(() => url);
    expect(core.snapshot().items[0]?.label).toBe('The BMW ID service did not answer in time. Try again.');
    core.input({ kind: 'touch', itemId: 'cancel' });
    expect(core.snapshot().screen).toBe('login.method');
  });
});
