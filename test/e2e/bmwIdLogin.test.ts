import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cursorOn, focusedItem, launchBrowser, openDisplay, type RunningHeadUnit, screenShown, startHeadUnit } from '../support/headUnit';
import { untilShown } from '../support/carFlows';
import { answerOnPhone, openOnPhone, readQr } from '../support/phone';

/**
 * Guide STEP 2 ① and ② in Chromium, by the controller keys: adding a BMW ID by QR code (the
 * test reads the code from the display's pixels and plays the phone in a second browser context)
 * and by e-mail, then the settings option and the PIN.
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

async function start(extra: string[] = []) {
  headUnit = await startHeadUnit(0, extra);
  page = await openDisplay(browser, headUnit.url);
}

const screenIs = (id: string) => screenShown(headUnit.car, page, id, 15_000);

describe('adding a BMW ID', () => {
  it('by QR code with My BMW App, then the settings option and a PIN', async () => {
    await start();
    await page.keyboard.press('Enter'); // Menu → BMW ID
    await screenIs('bmwId');
    await page.keyboard.press(']'); // Guest → Add BMW ID
    await cursorOn(page, 'add');
    await page.keyboard.press('Enter');
    await screenIs('login.method');
    expect(await focusedItem(page)).toBe('qr');
    await page.keyboard.press('Enter'); // Log in with My BMW App
    await screenIs('login.qr');
    const screen = await headUnit.car.screen();
    expect(screen.qr?.instructions).toContain('Scan QR code (BMW ID)');
    expect(screen.qr?.timeLeft).toMatch(/Code valid for \d+:\d\d/);

    // The phone: read the QR from the display's pixels, open it, log in, approve.
    await page.waitForFunction(() => (document.querySelector('img[data-qr]') as HTMLImageElement | null)?.complete);
    const url = readQr(await page.screenshot());
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/device\?user_code=[A-Z]{4}-[A-Z]{4}$/);
    const userCode = new URL(url!).searchParams.get('user_code')!;
    expect(screen.qr?.manual).toContain(userCode);
    const phone = await openOnPhone(browser, url!);
    const request = await answerOnPhone(phone, 'hanako@example.com', 'onenumber-demo', 'Approve');
    expect(request).toContain('BMW 12345 asks to add your BMW ID hanako@example.com.');
    expect(request).toContain(userCode);
    await phone.context().close();

    // The car continues by itself: the settings option (step 5).
    await screenIs('login.settings');
    expect(await focusedItem(page)).toBe('apply');
    await page.keyboard.press(']');
    await page.keyboard.press(']'); // → Continue
    await cursorOn(page, 'continue');
    await page.keyboard.press('Enter');
    await screenIs('login.pinOffer');
    await page.keyboard.press('Enter'); // Set up PIN now
    await screenIs('entry.pin');
    await page.keyboard.type('4821');
    await screenIs('entry.pinConfirm');
    await page.keyboard.type('4821');
    await screenIs('login.pinSet');
    await page.keyboard.press('Enter'); // Continue
    await screenIs('menu');
    // Applied: Hanako's BMW ID brings Japanese and night mode; the status bar shows the profile.
    await page.waitForSelector('.stage.theme-night');
    await expect(page.locator('[data-status="profile"]').textContent()).resolves.toBe('Hanako Suzuki');
    expect(await headUnit.car.screen()).toMatchObject({ language: 'ja', title: 'メニュー' });

    // Nothing secret in the car's output or its stored profiles.
    const profiles = await readFile(join(headUnit.dataDir, 'profiles.json'), 'utf8');
    const pins = await readFile(join(headUnit.dataDir, 'pins.json'), 'utf8');
    for (const text of [headUnit.output(), profiles, pins, JSON.stringify(await headUnit.car.screen())]) {
      expect(text).not.toContain('onenumber-demo');
      expect(text).not.toContain('4821');
    }
    // The tokens stay in their own file: never in the output, the screen's JSON, or the page.
    const tokens = Object.values(
      JSON.parse(await readFile(join(headUnit.dataDir, 'tokens.json'), 'utf8')).data as Record<string, { accessToken: string; refreshToken: string }>,
    );
    expect(tokens).toHaveLength(1);
    const html = await page.content();
    for (const secret of [tokens[0]!.accessToken, tokens[0]!.refreshToken]) {
      for (const text of [headUnit.output(), profiles, pins, JSON.stringify(await headUnit.car.screen()), html]) expect(text).not.toContain(secret);
    }
    expect(JSON.parse(pins)).toMatchObject({
      version: 1,
      data: { [JSON.parse(profiles).data.active]: { pin: { salt: expect.any(String), hash: expect.any(String) } } },
    });
  });

  it('shows a denial on the phone with a way forward', async () => {
    await start();
    for (const id of ['bmwId', 'add', 'qr']) await headUnit.car.touch(id);
    await screenIs('login.qr');
    await page.waitForFunction(() => (document.querySelector('img[data-qr]') as HTMLImageElement | null)?.complete);
    const phone = await openOnPhone(browser, readQr(await page.screenshot())!);
    await answerOnPhone(phone, 'taro@example.com', 'bmw-id-demo', 'Deny');
    await phone.context().close();
    await screenIs('login.denied');
    const denied = await headUnit.car.screen();
    expect(denied.items.map((i) => i.label)).toEqual([
      'The login was denied in the My BMW App. Try again, or log in with the BMW ID e-mail.',
      'Try again',
      'Log in with BMW ID',
      'Cancel',
    ]);
    expect(denied.focused).toBe('retry');
    await page.keyboard.press('Enter');
    await screenIs('login.qr');
  });

  it('shows a new QR code when the old one expires', async () => {
    const scenario = join(tmpdir(), `idrive-short-codes-${process.pid}.json`);
    await writeFile(
      scenario,
      JSON.stringify({
        version: 1,
        accounts: [{ email: 'taro@example.com', password: 'bmw-id-demo', name: 'Taro Yamada' }],
        cloud: { deviceCodeLifetimeSeconds: 2, pollIntervalSeconds: 1 },
      }),
    );
    await start(['--scenario', scenario]);
    for (const id of ['bmwId', 'add', 'qr']) await headUnit.car.touch(id);
    await screenIs('login.qr');
    const first = (await headUnit.car.screen()).qr!.manual;
    // The code expires after 2 s; the car asks for the next one by itself.
    await untilShown(headUnit.car, (screen) => !!screen.qr && screen.qr.manual !== first, 10_000);
    await screenIs('login.qr');
    expect((await headUnit.car.screen()).qr!.manual).not.toBe(first);
  });

  it('by e-mail and password, start to finish by controller keys, explaining mistakes', async () => {
    await start();
    const focusOn = (id: string) => cursorOn(page, id);
    const field = (text: string) => page.waitForFunction((t) => document.querySelector('[data-field]')?.textContent === t, text);
    /** On the keyboard, from wherever the cursor is: down to the last row, along it to a key, press. */
    const pressKey = async (id: 'key.ok' | 'key.reveal') => {
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
      for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
      for (let i = 0; i < (id === 'key.ok' ? 6 : 3); i++) await page.keyboard.press('ArrowRight');
      await focusOn(id);
      await page.keyboard.press('Enter');
    };
    const pressOk = () => pressKey('key.ok');
    await page.keyboard.press('Enter'); // BMW ID
    await screenIs('bmwId');
    await page.keyboard.press(']');
    await focusOn('add');
    await page.keyboard.press('Enter'); // Add BMW ID
    await screenIs('login.method');
    await page.keyboard.press(']');
    await focusOn('email');
    await page.keyboard.press('Enter'); // Log in with BMW ID
    await screenIs('entry.email');
    await page.keyboard.type('taro@example');
    await field('taro@example');
    await pressOk();
    await page.waitForSelector('.entry .error');
    await expect(page.locator('.entry .error').textContent()).resolves.toBe('Enter an e-mail address such as name@example.com.');
    await page.keyboard.type('.com');
    await field('taro@example.com');
    await pressOk();
    await screenIs('entry.password');
    await page.keyboard.type('not-the-password');
    await field('•'.repeat(16));
    await pressKey('key.reveal'); // Show
    await field('not-the-password');
    await pressOk();
    // (checked by the cloud, then back on the password with what was wrong)
    await untilShown(headUnit.car, (screen) => screen.screen === 'entry.password' && !!screen.error, 5000);
    await page.waitForSelector('.entry .error');
    await expect(page.locator('.entry .error').textContent()).resolves.toBe('The e-mail address or password is not correct. Check them and try again.');
    await page.keyboard.type('bmw-id-demo');
    await field('•'.repeat(11));
    await pressOk();
    await screenIs('login.settings');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await focusOn('continue');
    await page.keyboard.press('Enter');
    await screenIs('login.pinOffer');
    await page.keyboard.press(']');
    await focusOn('pinLater');
    await page.keyboard.press('Enter');
    await screenIs('menu');
    await expect(page.locator('[data-status="profile"]').textContent()).resolves.toBe('Taro Yamada');
    expect(headUnit.output()).not.toContain('bmw-id-demo');
    expect(headUnit.output()).not.toContain('not-the-password');
    const logged = await readFile(join(headUnit.dataDir, 'logs', 'head-unit.log'), 'utf8');
    expect(logged).toContain('"component":"machine"');
    for (const secret of ['bmw-id-demo', 'not-the-password']) expect(logged).not.toContain(secret);
  });
});
