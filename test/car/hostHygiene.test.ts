import { describe, expect, it } from 'vitest';
import { Core } from '../../main/core';
import { createDispatch } from '../../main/hosts/dispatch';
import { automationHandlers, fixedCar } from '../../main/hosts/handlers';
import { chromiumFlags } from '../../main/hosts/web/chromium';
import { automationContract } from '../../shared/contract';
import { useTempDirs } from '../support/tempDir';
import { simulatedParts } from '../../main/world';
import { defaultScenario } from '../../shared/scenario';

/** Small things a long-running bench meets: nothing leaks, and a client's mistake is named. */
const tempDir = useTempDirs();

describe('the core and its hosts', () => {
  it('leaves no listener behind when a wait is met at once (wait.screen for the screen shown)', async () => {
    const core = new Core({ dataDir: await tempDir(), language: 'en', parts: simulatedParts(defaultScenario) });
    await core.ready;
    const listeners = () => (core as unknown as { viewListeners: Set<unknown> }).viewListeners.size;
    const before = listeners();
    for (let i = 0; i < 5000; i++) await core.waitForScreen('menu', 1000);
    expect(listeners()).toBe(before);
    await core.stop();
  });

  it('answers a world control used wrongly with what is wrong, not "internal error"', async () => {
    const core = new Core({ dataDir: await tempDir(), language: 'en', parts: simulatedParts(defaultScenario) });
    await core.ready;
    const logged: string[] = [];
    const dispatch = createDispatch(
      automationContract,
      automationHandlers(fixedCar(core), async () => {
        throw new Error('no display');
      }),
      (m) => logged.push(m),
    );
    expect(await dispatch('world.modem', { action: 'remoteAnswer' })).toEqual({ ok: false, error: 'no call in progress' });
    expect(logged).toEqual([]);
    await core.stop();
  });

  it("runs the display's Chromium sandboxed unless it must run as root", () => {
    expect(chromiumFlags(1000)).not.toContain('--no-sandbox');
    expect(chromiumFlags(0)).toContain('--no-sandbox');
    expect(chromiumFlags(1000)).toContain('--disable-background-networking');
  });
});

describe('the cloud for a team', () => {
  it('says at its address what it is and how a car uses it, with the client ids', async () => {
    const { startCloud } = await import('../../cloud/server');
    const { defaultScenario } = await import('../../shared/scenario');
    const cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
    try {
      const answer = await fetch(cloud.url);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ clients: ['idrive-head-unit'], useFromACar: `npm start -- --cloud-url ${cloud.url}` });
    } finally {
      await cloud.close();
    }
  });

  it('is said not to answer at start when --cloud-url points at nothing', async () => {
    const { vi } = await import('vitest');
    const { bootCore } = await import('../../main/boot');
    const { parseOptions } = await import('../../main/options');
    const warnings: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((message: unknown) => void warnings.push(String(message)));
    try {
      const options = parseOptions(['--data-dir', await tempDir(), '--cloud-url', 'http://127.0.0.1:9/', '--lang', 'en'], {});
      if (options === 'help') throw new Error('unexpected');
      const booted = await bootCore(options);
      await booted.stop();
    } finally {
      spy.mockRestore();
    }
    expect(warnings.some((w) => w.includes('the BMW ID cloud at http://127.0.0.1:9/ does not answer'))).toBe(true);
  });
});

describe('revoking a token while the cloud is away', () => {
  it('never rejects (a log-out or removal must not take the car down), and logs no token', async () => {
    const { vi } = await import('vitest');
    const { BmwIdClient } = await import('../../main/bmwId/client');
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((message: unknown) => void logged.push(String(message)));
    try {
      await expect(new BmwIdClient(() => 'http://127.0.0.1:9/', 2000).revoke('secret-token-value')).resolves.toBeUndefined();
    } finally {
      spy.mockRestore();
    }
    expect(logged.join('\n')).toContain('was not revoked');
    expect(logged.join('\n')).not.toContain('secret-token-value');
  });
});
