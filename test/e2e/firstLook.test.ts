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

  it('removes the display\'s Chromium profile when the display closes', async () => {
    const own = await mkdtemp(join(tmpdir(), 'idrive-own-tmp-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = own;
    try {
      const display = await BrowserDisplay.open(headUnit.url, () => '1920x720', { headless: true, kiosk: false });
      expect((await readdir(own)).filter((name) => name.startsWith('idrive-display-'))).toHaveLength(1);
      await display.close();
      expect(await readdir(own)).toEqual([]);
    } finally {
      process.env.TMPDIR = previous;
      await rm(own, { recursive: true, force: true });
    }
  });
});
