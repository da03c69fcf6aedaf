import { afterEach, describe, expect, it } from 'vitest';
import { BrowserDisplay } from '../../main/hosts/web/browserDisplay';
import { SupervisedDisplay } from '../../main/hosts/web/supervisor';
import { ReloadBudget } from '../../main/hosts/crashGuard';
import { startHeadUnit, type RunningHeadUnit } from '../support/headUnit';

/**
 * The web host's kiosk display on real Chromium: a page that hangs, or whose renderer crashes, is
 * opened again by itself and shows the car; one that keeps failing ends on the fallback screen.
 */
let headUnit: RunningHeadUnit | undefined;
let supervisor: SupervisedDisplay | undefined;
afterEach(async () => {
  await supervisor?.close().catch(() => undefined);
  await headUnit?.stop();
  supervisor = undefined;
  headUnit = undefined;
});

async function watched(budget?: ReloadBudget) {
  headUnit = await startHeadUnit(0);
  const url = headUnit.url;
  const restarts: string[] = [];
  let restarted: (() => void) | undefined;
  supervisor = await SupervisedDisplay.start(() => BrowserDisplay.open(url, () => '1920x720', { headless: true, kiosk: false }), {
    hangMs: 1000,
    checkEveryMs: 200,
    log: () => {},
    ...(budget ? { budget } : {}),
    onRestart: (reason) => {
      restarts.push(reason);
      restarted?.();
    },
  });
  const nextRestart = () => new Promise<void>((resolve) => (restarted = resolve));
  return { restarts, nextRestart };
}

describe('the kiosk display watchdog (web host, real Chromium)', () => {
  it('opens a hung display again, and it shows the car', async () => {
    const { restarts, nextRestart } = await watched();
    const before = supervisor!.current();
    const page = before.page;
    const cdp = await page.context().newCDPSession(page);
    const restart = nextRestart();
    void cdp.send('Runtime.evaluate', { expression: 'while (true) {}' }).catch(() => undefined); // the renderer stops answering
    await restart;
    expect(restarts).toEqual(['hung']);
    const after = supervisor!.current();
    expect(after).not.toBe(before);
    await expect(after.answers(2000)).resolves.toBe(true);
    await after.page.waitForSelector('.stage [data-screen-id="menu"]');
  });

  it('opens a crashed display again, and past the budget shows the fallback screen', async () => {
    const { restarts, nextRestart } = await watched(new ReloadBudget(1, 60_000));
    let restart = nextRestart();
    await supervisor!
      .current()
      .page.goto('chrome://crash')
      .catch(() => undefined);
    await restart;
    await supervisor!.current().page.waitForSelector('.stage [data-screen-id="menu"]');
    restart = nextRestart();
    await supervisor!
      .current()
      .page.goto('chrome://crash')
      .catch(() => undefined);
    await restart;
    expect(restarts).toEqual(['crashed', 'crashed']);
    await expect(supervisor!.current().page.textContent('body')).resolves.toContain('The display stopped working and was restarted too often.');
  });
});
