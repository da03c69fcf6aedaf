import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cursorOn, launchBrowser, openDisplay, rowText as rowOf, type RunningHeadUnit, startHeadUnit } from '../support/headUnit';
import { addByEmail } from '../support/driver';

/**
 * Guide STEP 2 steps 10–15 in Chromium: after the BMW ID login, Mobile devices → "Setting up
 * personal eSIM…" → the pop-up → "Connected" under Personal eSIM → the page with both check boxes
 * ticked; an account without Personal eSIM; a modem reset in the middle of the download.
 */
let browser: Browser;
let headUnit: RunningHeadUnit;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());
afterEach(async () => {
  await page?.close();
  await headUnit?.stop();
});

async function loginByEmail(email: string, password: string) {
  headUnit = await startHeadUnit(0);
  page = await openDisplay(browser, headUnit.url);
  await addByEmail(headUnit.car, email, password);
}

const focusOn = (id: string) => cursorOn(page, id);
const rowText = (id: string) => rowOf(page, id);

describe('the Personal eSIM', () => {
  it('sets up, offers telephony, and ends Connected with both check boxes ticked', async () => {
    await loginByEmail('hanako@example.com', 'onenumber-demo');
    await focusOn('bmwId');
    await page.keyboard.press(']');
    await focusOn('mobileDevices');
    await page.keyboard.press('Enter'); // step 10: Mobile devices
    await page.waitForSelector('[data-screen-id="mobileDevices"]');
    await expect(rowText('esim')).resolves.toContain('Setting up personal eSIM…'); // step 11
    await page.waitForSelector('[data-popup-id="esim.telephony"]', { timeout: 20_000 }); // step 12
    await expect(page.locator('[data-popup-id] [data-item-id="activate"]').textContent()).resolves.toBe('Also activate telephone functions');
    await focusOn('activate');
    await page.keyboard.press('Enter');
    // Step 13 follows: the car searches for the phone; the driver can come back to it later.
    await page.waitForSelector('[data-screen-id="bt.search"]');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.querySelector('.screen [data-item-id="esim"]')?.textContent?.includes('Connected'), undefined, {
      timeout: 20_000,
    }); // step 14
    await focusOn('esim');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen-id="esim"] [data-item-id="voice"][aria-checked="true"]');
    await page.waitForSelector('[data-screen-id="esim"] [data-item-id="data"][aria-checked="true"]'); // step 15
    await expect(rowText('roaming')).resolves.toBe('Data roaming');
    await expect(page.locator('[data-status="network"]').textContent()).resolves.toContain('NTT DOCOMO');
    await page.waitForSelector('[data-status="data"]');
    const screen = await headUnit.car.screen();
    expect(screen.items.filter((i) => i.kind === 'check').map((i) => [i.label, i.checked])).toEqual([
      ['Telephone functions via eSIM', true],
      ['Mobile data via eSIM', true],
      ['Data roaming', false],
    ]);
    expect(screen.items.find((i) => i.id === 'number')?.label).toBe('Phone number: +81 90-1234-5678');
  });

  it('says what to do for a BMW ID without Personal eSIM', async () => {
    await loginByEmail('taro@example.com', 'bmw-id-demo');
    await headUnit.car.touch('mobileDevices');
    await page.waitForFunction(() => document.querySelector('.screen [data-item-id="esim"]')?.textContent?.includes('Not available'), undefined, {
      timeout: 10_000,
    });
    await headUnit.car.touch('esim');
    await page.waitForSelector('[data-screen-id="esim"]');
    await expect(page.locator('.screen').textContent()).resolves.toContain('Activate it in the My BMW App (STEP 1 of the start-up guide).');
  });

  it('recovers from a modem reset in the middle of the download', async () => {
    headUnit = await startHeadUnit(0);
    page = await openDisplay(browser, headUnit.url);
    await headUnit.car.modem({ action: 'downloadFault', step: 'load', kind: 'reset', afterSegments: 3 });
    const { car } = headUnit;
    await addByEmail(car, 'hanako@example.com', 'onenumber-demo');
    await car.touch('mobileDevices');
    // The reset interrupts the install; the car retries by itself and gets there.
    await page.waitForSelector('[data-popup-id="esim.telephony"]', { timeout: 30_000 });
    await car.touch('notNow');
    await page.waitForFunction(() => document.querySelector('.screen [data-item-id="esim"]')?.textContent?.includes('Connected'), undefined, {
      timeout: 20_000,
    });
    await car.touch('esim');
    expect((await car.screen()).items.filter((i) => i.kind === 'check').map((i) => i.checked)).toEqual([false, true, false]);
  }, 60_000);
});
