import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  cursorOff,
  cursorOn,
  focusedItem,
  launchBrowser,
  openDisplay,
  rowText as rowOf,
  type RunningHeadUnit,
  screenShown,
  startHeadUnit,
} from '../support/headUnit';
import { answerOnPhone, openOnPhone, readQr } from '../support/phone';

/**
 * The whole of the guide's STEP 2 on a fresh car, in Chromium, by the controller keys: QR login
 * and the PIN; the Personal eSIM and "Also activate telephone functions"; pairing Hanako's phone
 * (the car's code must be the phone's); her contacts synced; "Connected" with both boxes ticked;
 * then a call out through the eSIM and One Number ringing the car.
 */
let browser: Browser;
let headUnit: RunningHeadUnit;
let page: Page;
const iphone = '5C:F9:38:A1:B2:C3';

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());
afterEach(async () => {
  await page?.close();
  await headUnit?.stop();
});

const focusOn = (id: string) => cursorOn(page, id);
const screenIs = (id: string) => screenShown(headUnit.car, page, id);
const rowText = (id: string) => rowOf(page, id);
const rowContains = (id: string, text: string) =>
  page.waitForFunction(([i, t]) => document.querySelector(`.screen [data-item-id="${i}"]`)?.textContent?.includes(t!), [id, text], { timeout: 20_000 });
/** Rotates the controller, one detent at a time, until the cursor is on `id`. */
async function rotateTo(id: string) {
  const focused = () => focusedItem(page);
  // The cursor is the DOM focus: wait until it is on the screen the core shows.
  const screen = await headUnit.car.screen();
  await page.waitForFunction((s) => document.activeElement?.closest(`[data-screen-id="${s}"]`) !== null, screen.screen);
  const order = screen.items.map((i) => i.id);
  for (let i = 0; i < order.length; i++) {
    const current = await focused();
    if (current === id) return;
    await page.keyboard.press(order.indexOf(id) > order.indexOf(current ?? '') ? ']' : '[');
    await cursorOff(page, current);
  }
  throw new Error(`the cursor did not reach ${id}`);
}

describe("the guide's STEP 2, from a fresh car", () => {
  it('logs in, sets up the eSIM, pairs the phone, syncs contacts, and calls out and in', async () => {
    headUnit = await startHeadUnit(0);
    page = await openDisplay(browser, headUnit.url);
    const { car } = headUnit;

    // ①–④ BMW ID by QR code with My BMW App.
    await page.keyboard.press('Enter');
    await screenIs('bmwId');
    await rotateTo('add');
    await page.keyboard.press('Enter');
    await screenIs('login.method');
    await page.keyboard.press('Enter');
    await screenIs('login.qr');
    await page.waitForFunction(() => (document.querySelector('img[data-qr]') as HTMLImageElement | null)?.complete);
    const phone = await openOnPhone(browser, readQr(await page.screenshot())!);
    await answerOnPhone(phone, 'hanako@example.com', 'onenumber-demo', 'Approve');
    await phone.context().close();
    // ④ the car says it completes the login, long enough to be read.
    await screenIs('login.waiting');
    await page.waitForFunction(() => document.querySelector('[data-screen-id="login.waiting"]')?.textContent?.includes('Logging in with your BMW ID…'));

    // ⑤ keep the car's settings, ⑥–⑨ the PIN.
    await screenIs('login.settings');
    await rotateTo('keep');
    await page.keyboard.press('Enter');
    await rotateTo('continue');
    await page.keyboard.press('Enter');
    await screenIs('login.pinOffer');
    await page.keyboard.press('Enter');
    await screenIs('entry.pin');
    await page.keyboard.type('4821');
    await screenIs('entry.pinConfirm');
    await page.keyboard.type('4821');
    await screenIs('login.pinSet');
    await page.keyboard.press('Enter');
    await screenIs('menu');

    // ⑩–⑫ Mobile devices: the Personal eSIM sets up, then offers telephony.
    await rotateTo('mobileDevices');
    await page.keyboard.press('Enter');
    await screenIs('mobileDevices');
    await expect(rowText('esim')).resolves.toContain('Setting up personal eSIM…');
    await page.waitForSelector('[data-popup-id="esim.telephony"]', { timeout: 30_000 });
    await focusOn('activate');
    await page.keyboard.press('Enter');

    // ⑬ pairing: the phone in the list, the code on both screens, confirmed.
    await screenIs('bt.search');
    await page.waitForSelector(`.screen [data-item-id="found.${iphone}"]`);
    await focusOn(`found.${iphone}`); // the strongest signal is first
    await expect(rowText('visible')).resolves.toContain('“BMW 12345”');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-popup-id="bt.pairing"]');
    const popup = await car.screen();
    const code = popup.popup!.highlight;
    const [name, question] = popup.popup!.text.split('\n');
    const onPhone = await car.phones({ action: 'phone', address: iphone });
    expect(code).toMatch(/^\d{6}$/);
    expect(code).toBe(onPhone.phone?.passkey);
    expect(name).toBe("Hanako's iPhone");
    expect(question).toBe('Confirm that this code is shown on your phone.');
    await expect(page.locator('[data-popup-id="bt.pairing"]').textContent()).resolves.toContain(code);
    await focusOn('confirm');
    await page.keyboard.press('Enter');
    await screenIs('mobileDevices');
    // The pairing confirmed beside Mobile devices: the phone connected, its address book's progress.
    await page.waitForSelector('[data-notice="bt.connected"]:has-text("Hanako\'s iPhone connected")');
    await page.waitForSelector('[data-notice="bt.connected"]:has-text("9 contacts")');
    await page.waitForSelector(`.screen [data-item-id="device.${iphone}"]`);
    await rowContains(`device.${iphone}`, 'Personal eSIM');
    await page.waitForSelector('[data-status="phone"]:has-text("Hanako\'s iPhone")');

    // ⑭ "Connected" under Personal eSIM; ⑮ both boxes ticked.
    await rowContains('esim', 'Connected');
    await focusOn('esim');
    await page.keyboard.press('Enter');
    await screenIs('esim');
    await page.waitForSelector('[data-item-id="voice"][aria-checked="true"]');
    await page.waitForSelector('[data-item-id="data"][aria-checked="true"]');

    // The address book, synced and sorted.
    await page.keyboard.press('Home');
    await screenIs('menu');
    await rotateTo('contacts');
    await page.keyboard.press('Enter');
    await screenIs('contacts');
    await page.waitForSelector('.screen [data-item-id^="c."]');
    const names = await page.locator('.screen [data-item-id^="c."] .label').allTextContents();
    expect(names).toHaveLength(9);
    expect(names.slice(0, 3)).toEqual(['Anna Smith', 'BMW Customer Interaction Center', 'Jürgen Müller']);

    // A call out through the Personal eSIM.
    await page.keyboard.press('Home');
    await rotateTo('telephone');
    await page.keyboard.press('Enter');
    await screenIs('telephone');
    await expect(rowText('line')).resolves.toBe('Calls via Personal eSIM (+81 90-1234-5678)');
    await rotateTo('dial');
    await page.keyboard.press('Enter');
    await screenIs('entry.dial');
    await page.keyboard.type('0312345678');
    // A touch on the display, in the same stream as the typed keys (the automation's own touch
    // is another stream, and could reach the car before the last digits).
    await page.locator('.screen [data-item-id="key.ok"]').click();
    await screenIs('call');
    await rowContains('state', 'Ringing…');
    await car.modem({ action: 'remoteAnswer' });
    await rowContains('state', 'Connected');
    // the call's running time, counted by the display
    await page.waitForFunction(() => /^0:0[1-9]$/.test(document.querySelector('.screen [data-item-id="state"] [data-elapsed]')?.textContent ?? ''));
    await focusOn('hangUp');
    await page.keyboard.press('Enter');
    await rowContains('state', 'Call ended');

    // One Number rings the car.
    await car.modem({ action: 'ring', number: '090-5555-6666' });
    await page.waitForSelector('[data-popup-id="call.incoming"]');
    await expect(page.locator('[data-popup-id="call.incoming"]').textContent()).resolves.toContain('鈴木 一郎');
    await focusOn('answer');
    await page.keyboard.press('Enter');
    await rowContains('state', 'Connected');
    await expect(rowText('party')).resolves.toBe('鈴木 一郎');
    await car.modem({ action: 'remoteHangUp' });
    await rowContains('state', 'Call ended');
    expect(headUnit.output()).not.toContain('鈴木');
  }, 120_000);
});
