import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cursorOn, launchBrowser, openDisplay, rowText, type RunningHeadUnit, startHeadUnit } from '../support/headUnit';
import { startCloud, type Cloud } from '../../cloud/server';
import { defaultScenario, Scenario } from '../../shared/scenario';
import { addByEmail } from '../support/driver';

/**
 * The guide's STEP 1 on a phone (a phone-sized Chromium context in Japanese), for the demo BMW ID
 * with nothing done: the My BMW app, NTT DOCOMO's site (d ACCOUNT with the SMS code, the One
 * Number application, the association), back to the app; then the car, already running, sets up
 * the Personal eSIM without a restart and ends "Connected". Each page names its guide step.
 */
let browser: Browser;
let headUnit: RunningHeadUnit | undefined;
let cloud: Cloud | undefined;
let display: Page | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());
afterEach(async () => {
  await display?.close();
  await headUnit?.stop();
  await cloud?.close();
  headUnit = undefined;
  cloud = undefined;
  display = undefined;
});

async function phone(locale = 'ja-JP'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

/** Waits for the page of a guide step (Japanese numbering), as each page names it. */
const atStep = (page: Page, step: string) => page.waitForSelector(`body[data-guide-step="${step}"]`);
const press = (page: Page, name: string) =>
  page
    .getByRole('button', { name, exact: true })
    .or(page.getByRole('link', { name, exact: true }))
    .first()
    .click();

/** Steps 1–12 in the app, for a BMW ID: ends on the Personal eSIM's activation form. */
async function appUntilActivation(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}app`);
  await atStep(page, '2');
  await press(page, 'サインインまたは登録');
  await press(page, '続ける');
  await page.getByLabel('BMW ID').fill(email);
  await page.getByLabel('パスワード').fill(password);
  await press(page, 'ログインする');
  await atStep(page, '6');
  await page.getByLabel('暗証番号').fill('2580');
  await press(page, '次へ');
  await atStep(page, '7');
  await page.getByLabel('暗証番号').fill('2580');
  await press(page, '次へ');
  await page.getByLabel('同意します。').check();
  await press(page, '同意する');
  await expect(page.locator('h1').innerText()).resolves.toBe('MY BMWへようこそ');
  await page.locator('[data-tab="profile"]').click();
  await press(page, 'パーソナルeSIM');
  await press(page, 'パーソナルeSIMの有効化');
  await atStep(page, '12');
  await expect(page.getByLabel('国').inputValue()).resolves.toBe('JP');
  await expect(page.getByLabel('通信事業者').inputValue()).resolves.toBe('docomo');
}

/** The security code from the SMS banner the phone shows. */
async function smsCode(page: Page): Promise<string> {
  const text = await page.locator('[data-sms]').innerText();
  return /(\d{6})/.exec(text)![1]!;
}

/** Steps 20–23: the customer's details, as a Japanese user types them. */
async function fillDetails(page: Page, kanaLast = 'サトウ'): Promise<void> {
  await page.getByLabel('氏名［フリガナ］（セイ）').fill(kanaLast);
  await page.getByLabel('氏名［フリガナ］（メイ）').fill('ｲﾁﾛｳ');
  await page.getByLabel('氏名［漢字］（姓）').fill('佐藤');
  await page.getByLabel('氏名［漢字］（名）').fill('一郎');
  await page.getByLabel('生年月日').fill('1985-04-12');
  await page.getByLabel('郵便番号').fill('１００６１５０');
  await page.getByLabel('住所').fill('東京都千代田区永田町2-11-1');
  await page.getByLabel('ご利用者の年齢').selectOption('adult');
  await page.getByLabel('お申込書の交付方法').selectOption('email');
}

describe("the guide's STEP 1 on the phone", () => {
  it('runs for a BMW ID with nothing done, and the running car then sets up its Personal eSIM', async () => {
    headUnit = await startHeadUnit(0);
    const base = /BMW ID cloud at (\S+)/.exec(headUnit.output())![1]!;
    display = await openDisplay(browser, headUnit.url);
    // The car first: this BMW ID has no Personal eSIM yet.
    await addByEmail(headUnit.car, 'ichiro@example.com', 'onenumber-start');
    await cursorOn(display, 'bmwId');
    await display.keyboard.press(']');
    await cursorOn(display, 'mobileDevices');
    await display.keyboard.press('Enter');
    await display.waitForSelector('[data-screen-id="mobileDevices"]');
    await display.waitForFunction(
      () =>
        document.querySelector('[data-item-id="esim"]')?.textContent?.includes('利用できません') ||
        document.querySelector('[data-item-id="esim"]')?.textContent?.includes('Not available'),
    );

    const page = await phone();
    await appUntilActivation(page, base, 'ichiro@example.com', 'onenumber-start');
    // A wrong number is caught in the app, before the carrier.
    await page.getByLabel('契約中の電話番号の下4桁').fill('9999');
    await press(page, '通信事業者のサイトに接続する');
    await expect(page.getByRole('alert').innerText()).resolves.toContain('一致しません');
    await page.getByLabel('契約中の電話番号の下4桁').fill('１３５７'); // full-width digits, as a Japanese keyboard may give
    await press(page, '通信事業者のサイトに接続する');

    // ② NTT DOCOMO: on Wi-Fi, the d ACCOUNT and the security code by SMS.
    await atStep(page, '14');
    await page.getByLabel('dアカウントID').fill('jiro.docomo'); // another line's d ACCOUNT
    await press(page, '次へ');
    await expect(page.getByRole('alert').innerText()).resolves.toContain('このdアカウントIDではログインできません');
    await page.getByLabel('dアカウントID').fill('ichiro.docomo');
    await press(page, '次へ');
    const code = await smsCode(page);
    await page.getByLabel('パスワード').fill('wrong-password');
    await page.getByLabel('セキュリティコード').fill(code);
    await press(page, 'ログイン');
    await expect(page.getByRole('alert').innerText()).resolves.toContain('パスワードが違います');
    await page.getByLabel('パスワード').fill('docomo-demo-2');
    await page.getByLabel('セキュリティコード').fill(code === '000000' ? '111111' : '000000');
    await press(page, 'ログイン');
    await expect(page.getByRole('alert').innerText()).resolves.toContain('セキュリティコードが違います');
    await page.getByLabel('パスワード').fill('docomo-demo-2');
    await page.getByLabel('セキュリティコード').fill(code);
    await press(page, 'ログイン');

    // ②–③ the One Number application.
    await expect(page.locator('[data-status]').innerText()).resolves.toBe('ワンナンバーサービス未契約');
    await press(page, 'ワンナンバーサービスを申し込む');
    // What is ticked and typed before reading the terms (steps 16–18) is there after 「閉じる」.
    await page.getByLabel('ワンナンバーサービスを申し込む').check();
    await page.getByLabel('マルチデバイスオプションを申し込む').check();
    await page.getByLabel('氏名［漢字］（姓）').fill('佐藤');
    await press(page, 'ワンナンバーサービス 注意事項・利用規約・パーソナルデータの取扱い');
    await atStep(page, '18');
    await press(page, '閉じる');
    await expect(page.getByLabel('ワンナンバーサービスを申し込む').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('マルチデバイスオプションを申し込む').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('氏名［漢字］（姓）').inputValue()).resolves.toBe('佐藤');
    await page.getByLabel('マルチデバイスオプションを申し込む').uncheck();
    // Without consent, with a name not in katakana: both explained, nothing lost.
    await fillDetails(page, 'さとう');
    await press(page, '次へ');
    const alerts = await page.getByRole('alert').allInnerTexts();
    expect(alerts).toContain('フリガナ（セイ）は全角カタカナで入力してください。');
    expect(alerts).toContain('注意事項・利用規約・パーソナルデータの取扱いに同意してください。');
    await expect(page.getByLabel('氏名［漢字］（姓）').inputValue()).resolves.toBe('佐藤');
    await page.getByLabel('氏名［フリガナ］（セイ）').fill('サトウ');
    await page.getByLabel('ワンナンバーサービスの注意事項・利用規約・パーソナルデータの取扱いに同意する').check();
    await press(page, '次へ');
    await atStep(page, '24');
    await press(page, '次へ');
    await atStep(page, '25');
    await expect(page.locator('dl').innerText()).resolves.toContain('〒100-6150');
    await expect(page.locator('dl').innerText()).resolves.toContain('サトウ イチロウ');
    await press(page, '手続きを完了する');
    await expect(page.locator('.done').innerText()).resolves.toBe('お手続きが完了いたしました。');
    await press(page, '戻る');
    await expect(page.locator('[data-status]').innerText()).resolves.toBe('ワンナンバーサービス契約中');

    // ④ the association, and back to the app.
    await press(page, 'クルマで利用する');
    await press(page, 'アカウント連携');
    await expect(page.getByRole('alert').innerText()).resolves.toContain('同意する');
    await page.getByLabel('同意する').check();
    await press(page, 'アカウント連携');
    await expect(page.locator('.done').innerText()).resolves.toBe('サービスの連携を開始しました。');
    await press(page, '戻る');
    await atStep(page, '39');
    await press(page, '開く');
    await expect(page.locator('h1').innerText()).resolves.toBe('リクエスト完了');
    await press(page, 'OK');
    await atStep(page, '42');
    await expect(page.locator('[data-msisdn]').innerText()).resolves.toBe('+81 90-2468-1357 有効');
    // Neither the console nor the log file has the secrets or the personal details of STEP 1.
    const logged = await readFile(`${headUnit.dataDir}/logs/head-unit.log`, 'utf8');
    for (const secret of [code, 'docomo-demo-2', 'onenumber-start', '2580', '佐藤', 'サトウ', '1985-04-12', '永田町']) {
      expect(headUnit.output()).not.toContain(secret);
      expect(logged).not.toContain(secret);
    }
    await page.context().close();

    // STEP 2 ③ on the running car (logged in before STEP 1): Mobile devices again, the set-up, by the controller.
    await display.keyboard.press('Escape');
    await display.waitForSelector('[data-screen-id="menu"]');
    await cursorOn(display, 'mobileDevices');
    await display.keyboard.press('Enter');
    await display.waitForSelector('[data-popup-id="esim.telephony"]', { timeout: 30_000 });
    // ⑫–⑬ "Also activate telephone functions", and a phone paired, by the controller's keys.
    await cursorOn(display, 'activate');
    await display.keyboard.press('Enter');
    await display.waitForSelector('[data-screen-id="bt.search"]');
    const iphone = '5C:F9:38:A1:B2:C3';
    await display.waitForSelector(`.screen [data-item-id="found.${iphone}"]`);
    await cursorOn(display, `found.${iphone}`);
    await display.keyboard.press('Enter');
    await display.waitForSelector('[data-popup-id="bt.pairing"]');
    await cursorOn(display, 'confirm');
    await display.keyboard.press('Enter');
    await display.waitForSelector('[data-screen-id="mobileDevices"]');
    // ⑭ "Connected" under Personal eSIM; ⑮ both check boxes ticked.
    await display.waitForFunction(() => document.querySelector('[data-item-id="esim"]')?.textContent?.includes('Connected'), undefined, { timeout: 30_000 });
    await cursorOn(display, 'esim');
    await display.keyboard.press('Enter');
    await display.waitForSelector('[data-screen-id="esim"]');
    await display.waitForSelector('[data-item-id="voice"][aria-checked="true"]');
    await display.waitForSelector('[data-item-id="data"][aria-checked="true"]');
    await expect(rowText(display, 'number')).resolves.toContain('+81 90-2468-1357');
  });

  it('logs in on cellular with the network PIN, which three wrong ones lock', async () => {
    cloud = await startCloud({ scenario: Scenario.parse({ ...defaultScenario, cloud: { phoneOn: 'cellular' } }), host: '127.0.0.1', port: 0 });
    const page = await phone();
    await appUntilActivation(page, cloud.url, 'jiro@example.com', 'onenumber-next');
    await page.getByLabel('契約中の電話番号の下4桁').fill('2468');
    await press(page, '通信事業者のサイトに接続する');
    await atStep(page, '14');
    for (const left of [2, 1]) {
      await page.getByLabel('ネットワーク暗証番号').fill('0000');
      await press(page, '暗証番号確認');
      await expect(page.getByRole('alert').innerText()).resolves.toContain(`あと${left}回`);
    }
    await page.getByLabel('ネットワーク暗証番号').fill('0000');
    await press(page, '暗証番号確認');
    await expect(page.getByRole('alert').innerText()).resolves.toContain('ロックされました');
    // Locked: even the right PIN no longer opens it.
    await page.getByLabel('ネットワーク暗証番号').fill('2468');
    await press(page, '暗証番号確認');
    await expect(page.getByRole('alert').innerText()).resolves.toContain('ロックされました');
    await page.context().close();
  });

  it('goes straight to the association when One Number is subscribed, and a cancelled association is explained in the app', async () => {
    cloud = await startCloud({ scenario: Scenario.parse({ ...defaultScenario, cloud: { phoneOn: 'cellular' } }), host: '127.0.0.1', port: 0 });
    const page = await phone('en-US');
    await page.goto(`${cloud.url}app`);
    await press(page, 'LOGIN OR REGISTER');
    await press(page, 'Continue');
    await page.getByLabel('BMW ID').fill('jiro@example.com');
    await page.getByLabel('Password').fill('onenumber-next');
    await press(page, 'Login');
    for (const _ of [1, 2]) {
      await page.getByLabel('PIN code').fill('2580');
      await press(page, 'Next');
    }
    await page.getByLabel('I agree').check();
    await press(page, 'AGREE');
    await expect(page.locator('h1').innerText()).resolves.toBe('Welcome to MY BMW');
    await page.locator('[data-tab="profile"]').click();
    await press(page, 'Personal eSIM');
    await press(page, 'ACTIVATE ESIM');
    await page.getByLabel('Last 4 digits of your phone number').fill('2468');
    await press(page, 'CHECK WITH PROVIDER');
    await page.getByLabel('ネットワーク暗証番号').fill('2468');
    await press(page, '暗証番号確認');
    await expect(page.locator('[data-status]').innerText()).resolves.toBe('ワンナンバーサービス契約中');
    await press(page, 'クルマで利用する');
    await press(page, 'キャンセル');
    await expect(page.getByRole('alert').innerText()).resolves.toContain('The account association was cancelled.');
    await atStep(page, '11');
    await page.context().close();
  });

  it("runs the PC path: the carrier's page, the BMW web portal with a mobile number added, the d ACCOUNT set up, the association", async () => {
    const scenario = Scenario.parse({
      ...defaultScenario,
      cloud: { phoneOn: 'cellular' }, // a PC has no network PIN: the d ACCOUNT all the same
      accounts: defaultScenario.accounts.map((a) => (a.email === 'ichiro@example.com' ? { ...a, oneNumber: { ...a.oneNumber!, dAccountSetUp: false } } : a)),
    });
    cloud = await startCloud({ scenario, host: '127.0.0.1', port: 0 });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${cloud.url}docomo/connected-car`);
    await atStep(page, '1');
    await press(page, 'BMWで利用する');
    await atStep(page, '2');
    await page.getByLabel('BMW ID').fill('ichiro@example.com');
    await page.getByLabel('パスワード').fill('onenumber-start');
    await press(page, 'ログインする');
    await atStep(page, '3');
    await press(page, 'パーソナルeSIMの有効化');
    await atStep(page, '4');
    await press(page, '携帯電話番号を入力して下さい');
    await press(page, '+電話番号の追加');
    await page.getByLabel('電話番号', { exact: true }).fill('090-2468-135');
    await page.getByLabel('電話番号の種類').selectOption('mobile');
    await press(page, '新規電話番号の追加');
    await expect(page.getByRole('alert').innerText()).resolves.toContain('電話番号を正しく入力してください');
    await page.getByLabel('電話番号', { exact: true }).fill('０９０-２４６８-１３５７');
    await press(page, '新規電話番号の追加');
    await atStep(page, '6');
    await page.locator('a.button', { hasText: 'パーソナルeSIM' }).click(); // (not the menu's link of the same name)
    await atStep(page, '7');
    await expect(page.getByLabel('携帯番号').inputValue()).resolves.toBe('090-2468-1357');
    await press(page, 'パーソナルeSIMの有効化');
    await atStep(page, '14');
    await page.getByLabel('dアカウントID').fill('ichiro.docomo');
    await press(page, '次へ');
    const code = await smsCode(page);
    await page.getByLabel('パスワード').fill('docomo-demo-2');
    await page.getByLabel('セキュリティコード').fill(code);
    await press(page, 'ログイン');
    await press(page, 'ワンナンバーサービスを申し込む');
    // Step 11: the d ACCOUNT is not set up for the line yet: what to do, and doing it.
    await atStep(page, '11');
    await expect(page.getByRole('alert').innerText()).resolves.toContain('dアカウントを利用する設定が必要です');
    await press(page, 'dアカウントを設定する');
    await page.getByLabel('ワンナンバーサービスを申し込む').check();
    await page.getByLabel('マルチデバイスオプションを申し込む').check();
    await page.getByLabel('ワンナンバーサービスの注意事項・利用規約・パーソナルデータの取扱いに同意する').check();
    await fillDetails(page);
    await press(page, '次へ');
    await press(page, '次へ');
    await press(page, '手続きを完了する');
    await press(page, '戻る');
    await expect(page.locator('[data-status]').innerText()).resolves.toBe('ワンナンバーサービス+マルチデバイスオプション契約中');
    await press(page, 'クルマで利用する');
    await page.getByLabel('同意する').check();
    await press(page, 'アカウント連携');
    await press(page, '戻る');
    await atStep(page, '19');
    await expect(page.locator('[data-msisdn]').innerText()).resolves.toBe('+81 90-2468-1357');
    await expect(page.locator('[data-operator]').innerText()).resolves.toBe('NTT DOCOMO');
    await context.close();
  });
});
