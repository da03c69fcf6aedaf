import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openDisplay, type RunningHeadUnit, screenShown, startHeadUnit } from '../support/headUnit';
import { addByEmail } from '../support/driver';

/**
 * The bench keyboard at a typist's speed, in Chromium: keys pressed with no wait after the Enter
 * that opens a keyboard reach the core in order and are read on the screen they land on.
 */
let browser: Browser;
let headUnit: RunningHeadUnit;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  headUnit = await startHeadUnit(0);
  page = await openDisplay(browser, headUnit.url);
});
afterAll(async () => {
  await page?.close();
  await browser?.close();
  await headUnit?.stop();
});

const screenIs = (id: string) => screenShown(headUnit.car, page, id, 15_000);

describe('typing straight after the Enter that opens a keyboard', () => {
  it('finds exactly the typed text, every time', async () => {
    await headUnit.car.touch('settings');
    await screenIs('settings');
    await headUnit.car.touch('vehicleName');
    await screenIs('entry.vehicleName');
    await page.keyboard.press('Escape');
    await screenIs('settings');
    let expected = 'BMW 12345';
    for (let round = 0; round < 8; round++) {
      // Enter opens the keyboard; Backspace, the letters and Enter follow with no wait at all.
      await page.keyboard.press('Enter');
      await page.keyboard.press('Backspace');
      await page.keyboard.type(`${round}x`);
      await page.keyboard.press('Enter');
      expected = `${expected.slice(0, -1)}${round}x`;
      await screenIs('settings');
      await page.waitForFunction((text) => document.querySelector('[data-item-id="vehicleName"]')?.textContent?.includes(text), expected);
    }
    expect(await page.locator('[data-item-id="vehicleName"]').textContent()).toContain(expected);
  });

  it('submits an e-mail and a password with Enter, and types a PIN pressed right after "Set up PIN now"', async () => {
    await page.keyboard.press('Home');
    // (the key goes through the display, the touches through automation: wait until the car has it)
    await screenIs('menu');
    await headUnit.car.touch('bmwId');
    await headUnit.car.touch('add');
    await headUnit.car.touch('email');
    await screenIs('entry.email');
    await page.keyboard.type('taro@example.com');
    await page.keyboard.press('Enter');
    await page.keyboard.type('bmw-id-demo');
    await page.keyboard.press('Enter');
    await screenIs('login.settings');
    await headUnit.car.touch('keep');
    await headUnit.car.touch('continue');
    await screenIs('login.pinOffer');
    await page.keyboard.press('Enter'); // "Set up PIN now", and at once the PIN, twice
    await page.keyboard.type('2580');
    await page.keyboard.type('2580');
    await screenIs('login.pinSet');
    await page.keyboard.press('Enter'); // Continue, and at once down to Mobile devices
    await page.keyboard.press(']');
    await page.keyboard.press('Enter');
    await screenIs('mobileDevices');
    expect(await headUnit.car.screen()).toMatchObject({ screen: 'mobileDevices' });
    // The PIN stored is the one typed.
    await page.keyboard.press('Home');
    // (the key goes through the display, the touches through automation: wait until the car has it)
    await screenIs('menu');
    await headUnit.car.touch('bmwId');
    await headUnit.car.touch('profile.guest');
    await screenIs('menu');
    await headUnit.car.touch('bmwId');
    const taro = (await headUnit.car.screen()).items.find((i) => i.label === 'Taro Yamada')!;
    await headUnit.car.touch(taro.id);
    await screenIs('entry.pinUnlock');
    await page.keyboard.type('2580');
    await screenIs('menu');
    await page.waitForFunction(() => document.querySelector('[data-status="profile"]')?.textContent === 'Taro Yamada');
  });
});

describe('an input method on the bench keyboard', () => {
  it('lets the text it composes through to a search, and its keys do not reach the core on their own', async () => {
    await headUnit.car.button('MENU');
    await addByEmail(headUnit.car, 'taro@example.com', 'bmw-id-demo');
    await headUnit.car.touch('mobileDevices');
    await headUnit.car.touch('connectNew');
    await page.waitForSelector('[data-item-id="found.5C:F9:38:A1:B2:C3"]');
    await headUnit.car.touch('found.5C:F9:38:A1:B2:C3');
    await page.waitForSelector('[data-popup-id="bt.pairing"]');
    await headUnit.car.touch('confirm');
    await headUnit.car.waitForScreen('mobileDevices', 10_000);
    await headUnit.car.button('MENU');
    await headUnit.car.touch('contacts');
    await page.waitForSelector('.screen [data-item-id^="c."]');
    await headUnit.car.touch('search');
    await screenIs('entry.contactSearch');
    // An IME composing すずき (its keys are the IME's: Process, then Enter to commit), as Chromium's
    // IME interface delivers it.
    const ime = await page.context().newCDPSession(page);
    await ime.send('Input.imeSetComposition', { text: 'すず', selectionStart: 2, selectionEnd: 2 });
    await ime.send('Input.imeSetComposition', { text: 'すずき', selectionStart: 3, selectionEnd: 3 });
    await ime.send('Input.insertText', { text: 'すずき' });
    await page.waitForFunction(() => document.querySelector('[data-field]')?.textContent === 'すずき');
    expect(await page.textContent('[data-note]')).toBe('1 contact: 鈴木 一郎');
    // Text put in without a composition (a virtual keyboard) comes through the same way.
    await page.keyboard.insertText(' いちろう');
    await page.waitForFunction(() => document.querySelector('[data-field]')?.textContent === 'すずき いちろう');
    await page.keyboard.press('Enter');
    await screenIs('contacts');
    expect((await headUnit.car.screen()).items.filter((i) => i.id.startsWith('c.')).map((i) => i.label)).toEqual(['鈴木 一郎']);
  }, 60_000);
});
