import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Core } from '../../main/core';
import { createDispatch, RequestFailed } from '../../main/hosts/dispatch';
import { automationHandlers, rendererHandlers, fixedCar } from '../../main/hosts/handlers';
import type { WebHost } from '../../main/hosts/web/server';
import { bareWebHost } from '../support/bareWebHost';
import { automationContract, invalidRequest, rendererContract } from '../../shared/contract';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Random payloads at every channel: never a throw, never a change of state, always the generic
 * error. Valid-looking channel names with junk payloads are the interesting half.
 */
const channels = [...Object.keys(rendererContract), ...Object.keys(automationContract)];
const schemas: Record<string, { safeParse(v: unknown): { success: boolean } }> = Object.fromEntries(
  [...Object.entries(rendererContract), ...Object.entries(automationContract)].map(([name, c]) => [name, c.request]),
);
/** A case is junk if no channel of that name would accept what arrives (after JSON, on the wire). */
const isJunk = (channel: string, payload: unknown, wire: boolean) => {
  const arrives = wire ? (JSON.parse(JSON.stringify({ payload })) as { payload: unknown }).payload : payload;
  return !(Object.hasOwn(schemas, channel) && schemas[channel]!.safeParse(arrives).success);
};
const emptyObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
const junk = fc.oneof(
  // `{}` is the one valid payload of view.get, screen.read, … : everything else is junk
  fc.anything({ withNullPrototype: true, withBigInt: false, maxDepth: 3 }).filter((v) => !emptyObject(v)),
  fc.record(
    {
      kind: fc.constantFrom('rotate', 'tilt', 'press', 'button', 'touch', 'type', 'zoom'),
      detents: fc.anything(),
      direction: fc.anything(),
      button: fc.string(),
      extra: fc.anything(),
    },
    { requiredKeys: ['kind', 'extra'] },
  ),
  fc.record({ screen: fc.anything(), timeoutMs: fc.anything() }, { requiredKeys: ['timeoutMs'] }).filter((r) => typeof r.timeoutMs !== 'number'),
  fc.record({ scenario: fc.anything() }).filter((r) => !(typeof r.scenario === 'object' && r.scenario !== null && 'version' in r.scenario)),
);

let dir: string;
let core: Core;
let host: WebHost;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idrive-fuzz-'));
  ({ core, host } = await bareWebHost(dir));
});
afterAll(async () => {
  await host.close();
  await core.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('fuzzing the handlers', () => {
  it('the in-process dispatch refuses junk without throwing or changing the car', async () => {
    const noDisplay = async () => {
      throw new RequestFailed('no display');
    };
    const dispatchers = [
      createDispatch(rendererContract, rendererHandlers(fixedCar(core)), () => {}),
      createDispatch(automationContract, automationHandlers(fixedCar(core), noDisplay), () => {}),
    ];
    const before = core.view();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...channels), fc.string()), junk, fc.nat(1), async (channel, payload, which) => {
        fc.pre(isJunk(channel, payload, false));
        const reply = await dispatchers[which]!(channel, payload);
        expect(reply).toEqual({ ok: false, error: invalidRequest });
      }),
      { numRuns: 400 },
    );
    expect(core.view()).toBe(before);
  });

  it('both WebSocket endpoints answer junk frames with the generic error and stay up', async () => {
    for (const path of ['bridge', 'automation']) {
      const socket = new WebSocket(`${host.url.replace('http', 'ws')}${path}`);
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      const replies: unknown[] = [];
      let allAnswered = () => {};
      const answered = new Promise<void>((resolve) => (allAnswered = resolve));
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString());
        if (!('push' in message)) replies.push(message);
        if (replies.length === frames.length) allAnswered();
      });
      const before = core.view();
      const frames = fc.sample(
        fc.oneof(
          fc.string().map((s) => s),
          fc
            .tuple(fc.nat(), fc.constantFrom(...channels), junk)
            // judged after serialisation: `{ a: undefined }` arrives as `{}`, a valid payload
            .filter(([, channel, payload]) => isJunk(channel, payload, true))
            .map(([id, channel, payload]) => JSON.stringify({ id, channel, payload })),
          fc.anything({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null'),
        ),
        150,
      );
      for (const frame of frames) socket.send(frame);
      await answered;
      for (const reply of replies) expect(reply).toMatchObject({ ok: false, error: invalidRequest });
      expect(core.view()).toBe(before);
      socket.close();
    }
  });

  it('refuses a socket from another origin or an unexpected Host', async () => {
    for (const headers of [{ Origin: 'http://evil.example' }, { Host: 'evil.example' }]) {
      const socket = new WebSocket(`${host.url.replace('http', 'ws')}automation`, { headers });
      const status = await new Promise<number | undefined>((resolve) => {
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode));
        socket.once('open', () => resolve(101));
      });
      expect(status).toBe(403);
    }
  });
});
