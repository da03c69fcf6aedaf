import { describe, expect, it } from 'vitest';
import { Core } from '../../main/core';
import { createDispatch } from '../../main/hosts/dispatch';
import { automationHandlers } from '../../main/hosts/handlers';
import { chromiumFlags } from '../../main/hosts/web/chromium';
import { automationContract } from '../../shared/contract';
import { useTempDirs } from '../support/tempDir';

/** Small things a long-running bench meets: nothing leaks, and a client's mistake is named. */
const tempDir = useTempDirs();

describe('the core and its hosts', () => {
  it('leaves no listener behind when a wait is met at once (wait.screen for the screen shown)', async () => {
    const core = new Core({ dataDir: await tempDir(), language: 'en' });
    await core.ready;
    const listeners = () => (core as unknown as { viewListeners: Set<unknown> }).viewListeners.size;
    const before = listeners();
    for (let i = 0; i < 5000; i++) await core.waitForScreen('menu', 1000);
    expect(listeners()).toBe(before);
    await core.stop();
  });

  it('answers a world control used wrongly with what is wrong, not "internal error"', async () => {
    const core = new Core({ dataDir: await tempDir(), language: 'en' });
    await core.ready;
    const logged: string[] = [];
    const dispatch = createDispatch(automationContract, automationHandlers(core, async () => { throw new Error('no display'); }), (m) => logged.push(m));
    expect(await dispatch('world.modem', { action: 'remoteAnswer' })).toEqual({ ok: false, error: 'no call in progress' });
    expect(logged).toEqual([]);
    await core.stop();
  });

  it('runs the display\'s Chromium sandboxed unless it must run as root', () => {
    expect(chromiumFlags(1000)).not.toContain('--no-sandbox');
    expect(chromiumFlags(0)).toContain('--no-sandbox');
    expect(chromiumFlags(1000)).toContain('--disable-background-networking');
  });
});
