import { existsSync, watch } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { within } from '../support/within';
import { cursorOn, displayCaughtUp, focusedItem, launchBrowser, openDisplay, shownScreen, startHeadUnit, type RunningHeadUnit } from '../support/headUnit';

/**
 * The head unit as a driver at the bench meets it: the built app in its own process, the display
 * in Debian's Chromium, driven by the bench keyboard (the controller) and by touch.
 */
let headUnit: RunningHeadUnit;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  headUnit = await startHeadUnit(0);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await headUnit?.stop();
});

/** Presses keys on the bench keyboard, then waits until the display shows the core's answer to them. */
async function controller(...keys: string[]) {
  for (const name of keys) await page.keyboard.press(name);
  await displayCaughtUp(headUnit.car, page);
}

describe('the iDrive shell in Chromium', () => {
  it('starts on the main menu with the cursor on the first item as DOM focus', async () => {
    page = await openDisplay(browser, headUnit.url);
    expect(await shownScreen(page)).toBe('menu');
    expect(await focusedItem(page)).toBe('bmwId');
    await expect(page.locator('.screen .title').textContent()).resolves.toBe('Menu');
    await expect(page.locator('.screen .row').allTextContents()).resolves.toEqual(['BMW ID›', 'Mobile devices›', 'Telephone›', 'Contacts›', 'Settings›']);
  });

  it('moves through the menu by controller keys only', async () => {
    await controller(']', ']');
    expect(await focusedItem(page)).toBe('telephone');
    await controller('ArrowUp');
    expect(await focusedItem(page)).toBe('mobileDevices');
    await controller('Enter');
    expect(await shownScreen(page)).toBe('mobileDevices');
    await expect(page.locator('.screen').textContent()).resolves.toContain('Personal eSIMNot available');
    await controller('Escape');
    expect(await shownScreen(page)).toBe('menu');
    expect(await focusedItem(page)).toBe('mobileDevices');
    await controller('F2'); // TEL
    expect(await shownScreen(page)).toBe('telephone');
    await controller('Home'); // MENU
    expect(await shownScreen(page)).toBe('menu');
    await controller('F3'); // NAV is not emulated, and says so
    await expect(page.locator('[data-popup-id]').textContent()).resolves.toContain('Navigation is not emulated');
    expect(await focusedItem(page)).toBe('ok');
    await controller('Enter');
    expect(await page.locator('[data-popup-id]').count()).toBe(0);
  });

  it('switches the language live and shows both wordings', async () => {
    expect(await focusedItem(page)).toBe('mobileDevices'); // MENU kept the menu's cursor
    await controller(']', ']', ']', 'Enter', 'Enter'); // Settings → Language
    expect(await shownScreen(page)).toBe('settings.language');
    await controller(']', 'Enter'); // 日本語
    await expect(page.locator('.screen .title').textContent()).resolves.toBe('言語');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja');
    await controller('Home');
    await expect(page.locator('.screen .row').allTextContents()).resolves.toEqual(['BMW ID›', '携帯機器›', '電話›', '連絡先›', '設定›']);
    expect(await focusedItem(page)).toBe('settings');
    await controller('Enter', 'Enter', '[', 'Enter'); // back to English (the list opens on the current choice)
    await expect(page.locator('.screen .title').textContent()).resolves.toBe('Language');
  });

  it('keeps the screen and the cursor across a reload of the display', async () => {
    await controller('Escape', ']', ']');
    const before = await headUnit.car.screen();
    expect(before).toMatchObject({ screen: 'settings', focused: 'resolution' });
    await page.reload();
    await page.waitForSelector('[data-screen-id="settings"]');
    await cursorOn(page, 'resolution');
    expect(await headUnit.car.screen()).toEqual(before);
  });

  it('works by touch, and automation taps land on what is shown there', async () => {
    await page.locator('[data-item-id="theme"]').click();
    await page.waitForSelector('[data-screen-id="settings.theme"]');
    await page.locator('[data-item-id="night"]').click();
    await page.waitForSelector('.stage.theme-night');
    await page.locator('[data-item-id="day"]').click();
    await page.waitForSelector('.stage.theme-day');
    // A tap at display coordinates: find where the Night row is drawn at 1920×720, tap there.
    const box = (await page.locator('[data-item-id="night"]').boundingBox())!;
    const tapped = await headUnit.car.tap(box.x + box.width / 2, box.y + box.height / 2);
    expect(tapped).toBe('night');
    await page.waitForSelector('.stage.theme-night');
  });

  it('takes a screenshot of the display at its resolution', async () => {
    const png = await headUnit.car.screenshot();
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1920, 720]);
  });

  it('keeps secrets and internals out of its output, and stores settings atomically', async () => {
    expect(headUnit.output()).not.toMatch(/Error:|at .*\.ts:\d+/);
    // (the embedded cloud keeps its SM-DP+'s port and TLS identity from the first start, once its SM-DP+ listens)
    await within(present(headUnit.dataDir, 'cloud-world.json'), 10_000, "the embedded cloud's world file");
    expect((await readdir(headUnit.dataDir)).sort()).toEqual(['cloud-world.json', 'logs', 'settings.json']);
    expect(await readFile(join(headUnit.dataDir, 'logs', 'head-unit.log'), 'utf8')).not.toMatch(/Error:|at .*\.ts:\d+/);
    expect(JSON.parse(await readFile(join(headUnit.dataDir, 'settings.json'), 'utf8'))).toMatchObject({ version: 1, data: { language: 'en', theme: 'night' } });
  });
});

/** Resolves once `name` is in `dir`, at once if it already is: watched, never polled. */
function present(dir: string, name: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!existsSync(join(dir, name))) return;
      watcher.close();
      resolve();
    };
    const watcher = watch(dir, check);
    check();
  });
}
