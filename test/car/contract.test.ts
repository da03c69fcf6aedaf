import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../main/core';
import { createDispatch, RequestFailed } from '../../main/hosts/dispatch';
import { automationHandlers, rendererHandlers, fixedCar } from '../../main/hosts/handlers';
import { createClient } from '../../shared/client';
import { automationContract, invalidRequest, rendererContract } from '../../shared/contract';
import * as z from 'zod';
import { memoryTransport } from '../support/memoryTransport';
import { useTempDirs } from '../support/tempDir';
import { simulatedParts } from '../../main/world';
import { defaultScenario } from '../../shared/scenario';

const tempDir = useTempDirs();
const cores: Core[] = [];
afterEach(async () => Promise.all(cores.splice(0).map((c) => c.stop())));

async function setup() {
  const core = new Core({ dataDir: await tempDir(), language: 'en', parts: simulatedParts(defaultScenario) });
  cores.push(core);
  await core.ready;
  const logged: string[] = [];
  const noDisplay = async () => {
    throw new RequestFailed('no display');
  };
  const renderer = createDispatch(rendererContract, rendererHandlers(fixedCar(core)), (m) => logged.push(m));
  const automation = createDispatch(automationContract, automationHandlers(fixedCar(core), noDisplay), (m) => logged.push(m));
  return { core, renderer, automation, logged };
}

describe('the IPC contract over an in-memory transport', () => {
  it('gives the renderer the view and takes its input', async () => {
    const { renderer } = await setup();
    const client = createClient(rendererContract, memoryTransport(renderer));
    const view = await client['view.get']({});
    expect(view.screen.id).toBe('menu');
    expect(await client['input.send']({ kind: 'rotate', detents: 1 })).toEqual({ accepted: true });
    expect((await client['view.get']({})).screen.focus).toBe('mobileDevices');
  });

  it('answers an invalid payload or an unknown channel with a generic error and changes nothing', async () => {
    const { core, renderer } = await setup();
    const before = core.view();
    for (const [channel, payload] of [
      ['input.send', { kind: 'rotate', detents: 1.5 }],
      ['input.send', { kind: 'rotate', detents: 1, extra: true }],
      ['input.send', { kind: 'button', button: 'EJECT' }],
      ['view.get', { please: 'everything' }],
      ['car.reset', {}],
      ['__proto__', {}],
      [42, {}],
    ] as const) {
      expect(await renderer(channel, payload)).toEqual({ ok: false, error: invalidRequest });
    }
    expect(core.view()).toBe(before);
  });

  it('lets automation read the screen, wait for it, and time out with a message', async () => {
    const { automation } = await setup();
    const client = createClient(automationContract, memoryTransport(automation));
    expect((await client['screen.read']({})).screen).toBe('menu');
    const waiting = client['wait.screen']({ screen: 'settings', timeoutMs: 2000 });
    await client['input.send']({ kind: 'touch', itemId: 'settings' });
    expect((await waiting).title).toBe('Settings');
    await expect(client['wait.screen']({ screen: 'nowhere', timeoutMs: 20 })).rejects.toThrow(
      'timed out after 20 ms waiting for screen nowhere; the car shows settings',
    );
    await expect(client['screenshot.take']({})).rejects.toThrow('no display');
  });

  it('loads a scenario into a reset car', async () => {
    const { automation } = await setup();
    const client = createClient(automationContract, memoryTransport(automation));
    const screen = await client['scenario.load']({ scenario: { version: 1, car: { language: 'ja', theme: 'night' } } });
    expect(screen).toMatchObject({ screen: 'menu', language: 'ja', theme: 'night', title: 'メニュー' });
  });

  it('logs a fault inside a handler but tells the client only that it failed', async () => {
    const logged: string[] = [];
    const contract = { boom: { request: z.strictObject({}) } };
    const dispatch = createDispatch(
      contract,
      {
        boom: () => {
          throw new Error('secret internals');
        },
      },
      (m) => logged.push(m),
    );
    expect(await dispatch('boom', {})).toEqual({ ok: false, error: 'internal error' });
    expect(logged).toEqual(['boom failed: secret internals']);
  });
});
