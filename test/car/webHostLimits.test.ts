import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Core } from '../../main/core';
import { maxConnections, type WebHost } from '../../main/hosts/web/server';
import { bareWebHost } from '../support/bareWebHost';
import { useTempDirs } from '../support/tempDir';
import { simulatedParts } from '../../main/world';
import { defaultScenario } from '../../shared/scenario';

/** No client can take the car down through its web host: connections are capped, silent sockets closed. */
const tempDir = useTempDirs();
let host: WebHost | undefined;
let core: Core | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await host?.close();
  await core?.stop();
});

async function start(pingIntervalMs?: number): Promise<WebHost> {
  const started = await bareWebHost(await tempDir(), pingIntervalMs ? { pingIntervalMs } : {});
  ({ core, host } = started);
  return started.host;
}

describe('the web host under a flood of connections', () => {
  it('closes idle sockets beyond its cap at once, and the car keeps writing its memory', async () => {
    const { port } = new URL((await start()).url);
    const closed: Promise<void>[] = [];
    for (let i = 0; i < maxConnections + 20; i++) {
      const socket = connect(Number(port), '127.0.0.1');
      sockets.push(socket);
      closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
      await new Promise((resolve) => socket.once('connect', resolve));
    }
    // The 20 beyond the cap are closed by the server; the first 64 stay (until their timeout).
    const first = await Promise.race(closed.map((p, i) => p.then(() => i)));
    expect(first).toBeGreaterThanOrEqual(maxConnections);
    await Promise.all(closed.slice(maxConnections));
    // The car still remembers: a settings write goes through while the sockets are held.
    core!.applySettings({ theme: 'night' });
    await core!.settled();
    await core!.stop();
    const restarted = new Core({
      dataDir: (core as unknown as { options: { dataDir: string } }).options.dataDir,
      language: 'en',
      parts: simulatedParts(defaultScenario),
    });
    await restarted.ready;
    expect(restarted.view().theme).toBe('night');
    core = restarted;
  });

  it('closes an automation socket that stops answering pings', async () => {
    const url = new URL('/automation', (await start(50)).url);
    url.protocol = 'ws:';
    const silent = new WebSocket(url, { autoPong: false });
    await new Promise((resolve) => silent.once('open', resolve));
    const alive = new WebSocket(url);
    await new Promise((resolve) => alive.once('open', resolve));
    await new Promise((resolve) => silent.once('close', resolve));
    expect(alive.readyState).toBe(WebSocket.OPEN);
    alive.close();
  });
});
