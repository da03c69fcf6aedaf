import { createServer } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { BrowserDisplay } from '../../main/hosts/web/browserDisplay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openDisplay, type RunningHeadUnit, startHeadUnit } from '../support/headUnit';

/** What a new user's browser sees on the first load: every request answered, nothing missing. */
let browser: Browser;
let headUnit: RunningHeadUnit;

beforeAll(async () => {
  browser = await launchBrowser();
  headUnit = await startHeadUnit(0);
});
afterAll(async () => {
  await browser?.close();
  await headUnit?.stop();
});

describe('a first load', () => {
  it('of the display and of the phone page asks for nothing that is not there (an icon included)', async () => {
    const failed: string[] = [];
    const context = await browser.newContext();
    context.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    const page = await openDisplay(browser, headUnit.url);
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await page.reload();
    await page.waitForSelector('.stage [data-screen-id]');
    const icon = await page.evaluate(() => (document.querySelector('link[rel="icon"]') as HTMLLinkElement | null)?.href);
    expect(icon).toMatch(/favicon\.svg$/);
    expect((await page.request.get(icon!)).status()).toBe(200);

    const cloud = /BMW ID cloud at (\S+)/.exec(headUnit.output())![1]!;
    const phone = await context.newPage();
    await phone.goto(new URL('device', cloud).href);
    const phoneIcon = await phone.evaluate(() => (document.querySelector('link[rel="icon"]') as HTMLLinkElement | null)?.href);
    expect((await phone.request.get(phoneIcon!)).headers()['content-type']).toContain('image/svg+xml');
    await page.close();
    await context.close();
    expect(failed).toEqual([]);
  });

  it("removes the display's Chromium profile when the display closes", async () => {
    const own = await mkdtemp(join(tmpdir(), 'idrive-own-tmp-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = own;
    try {
      const display = await BrowserDisplay.open(headUnit.url, () => '1920x720', { headless: true, kiosk: false });
      expect((await readdir(own)).filter((name) => name.startsWith('idrive-display-'))).toHaveLength(1);
      await display.close();
      expect(await readdir(own)).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      await rm(own, { recursive: true, force: true });
    }
  });
});

describe('a port already taken', () => {
  async function startOn(args: string[]): Promise<{ code: number | null; output: string }> {
    const { spawn } = await import('node:child_process');
    const dir = await mkdtemp(join(tmpdir(), 'idrive-port-'));
    const child = spawn(process.execPath, ['dist/main/start.js', '--web', '--no-open', '--data-dir', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    await rm(dir, { recursive: true, force: true });
    return { code, output };
  }

  it('is named, with the option to choose another', async () => {
    const { createServer } = await import('node:net');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = String((busy.address() as { port: number }).port);
    try {
      const display = await startOn(['--port', port, '--cloud-port', '0']);
      expect(display.code).toBe(1);
      expect(display.output).toContain(`the head unit's display and automation port ${port} on 127.0.0.1 is in use`);
      expect(display.output).toContain('--port 0 for a free one');
      const cloud = await startOn(['--port', '0', '--cloud-port', port]);
      expect(cloud.code).toBe(1);
      expect(cloud.output).toContain(`the embedded BMW ID cloud's port ${port} is in use`);
      expect(cloud.output).toContain('--cloud-port 0 for a free one');
    } finally {
      busy.close();
    }
  });
});

describe('the display', () => {
  it('shows the focus the same way in a pop-up as in a list (the fill, not only the ring)', async () => {
    const page = await openDisplay(browser, headUnit.url);
    try {
      await page.keyboard.press('Home');
      await page.waitForSelector('.screen .row.focused');
      const listFill = await page.evaluate(() => getComputedStyle(document.querySelector('.screen .row.focused')!).backgroundColor);
      await page.keyboard.press('F1'); // OPTION: a pop-up with its first choice focused
      await page.waitForSelector('.popup .row.focused');
      const popupFill = await page.evaluate(() => getComputedStyle(document.querySelector('.popup .row.focused')!).backgroundColor);
      const popupOther = await page.evaluate(() => getComputedStyle(document.querySelector('.popup .row:not(.focused)')!).backgroundColor);
      expect(popupFill).toBe(listFill);
      expect(popupOther).not.toBe(popupFill);
      await page.keyboard.press('Escape');
    } finally {
      await page.close();
    }
  });

  it('says when the head unit is not running, and comes back by itself when it is again', async () => {
    const own = await startHeadUnit(0);
    const port = new URL(own.url).port;
    const page = await openDisplay(browser, own.url);
    try {
      await own.stop();
      // (the port is held while the head unit is away, so that no other test's server takes it)
      const holder = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => holder.listen(Number(port), '127.0.0.1', resolve));
      await page.waitForSelector('.offline[role="alert"]');
      expect(await page.locator('.offline').textContent()).toBe('The head unit is not running. Reconnecting…');
      await new Promise((resolve) => holder.close(resolve));
      const again = await startHeadUnit(Number(port));
      try {
        await page.waitForSelector('.offline', { state: 'detached' });
        await page.waitForSelector('.stage [data-screen-id="menu"]');
      } finally {
        await again.stop();
      }
    } finally {
      await page.close();
    }
  });
});
