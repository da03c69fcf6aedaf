import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type Cloud } from '../../cloud/server';
import { defaultScenario, Scenario } from '../../shared/scenario';
import { launchBrowser } from '../support/headUnit';
import { breaksInsideWords, japaneseLines } from '../support/lineBreaks';

/**
 * The screenshot matrix of STEP 1: every page of the phone's path (the My BMW app, NTT DOCOMO's
 * site, back to the app) at a phone's size and of the PC's path (docomo's connected-car page, the
 * BMW web portal, docomo's site) at a desktop's, both in Japanese and English browsers, with the
 * error pages a customer meets on the way. Kept in test-results/step1/ for a person to look at
 * before a change to the look lands. What can be asserted is asserted on every page: nothing wider
 * than the window, no text cut inside its box, every Japanese line broken between BudouX's phrases
 * (or at punctuation) and not inside a word, and nothing the browser complains about (a missing
 * icon, a page answered as an error).
 */
interface PageFit {
  /** elements wider than the window, or past its right edge */
  overflow: string[];
  /** text cut at its box's edge */
  clipped: string[];
}

/** In the page: what does not fit. */
function measure(): PageFit {
  const result: PageFit = { overflow: [], clipped: [] };
  const width = document.documentElement.clientWidth;
  const name = (e: Element) =>
    `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).split(' ')[0]}` : ''} "${(e.textContent ?? '').trim().slice(0, 40)}"`;
  for (const element of document.querySelectorAll<HTMLElement>('body *')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1) result.overflow.push(name(element));
    const style = getComputedStyle(element);
    const ownText = [...element.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
    if (
      ownText &&
      style.overflow !== 'visible' &&
      style.textOverflow !== 'ellipsis' &&
      (element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1)
    )
      result.clipped.push(name(element));
  }
  return result;
}

const sizes = { phone: { width: 390, height: 844 }, desktop: { width: 1366, height: 768 } } as const;
const locales = { ja: 'ja-JP', en: 'en-US' } as const;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

/**
 * A browser on one of the sites at one size and language: `shot(name)` keeps a screenshot of the
 * page as it is and notes what does not fit; `problems` and `complaints` are what the test checks.
 */
async function visitor(cloud: Cloud, size: keyof typeof sizes, language: keyof typeof locales) {
  const context = await browser.newContext({
    viewport: sizes[size],
    locale: locales[language],
    ...(size === 'phone' ? { isMobile: true, hasTouch: true } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const complaints: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') complaints.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => complaints.push(`${page.url()}: ${error.message}`));
  const problems: Record<string, unknown> = {};
  const dir = join('test-results', 'step1');
  await mkdir(dir, { recursive: true });
  let n = 0;
  const shot = async (name: string) => {
    await page.waitForLoadState('load');
    const file = `${size}-${language}-${String(++n).padStart(2, '0')}-${name}`;
    await page.screenshot({ path: join(dir, `${file}.png`), fullPage: true });
    const fit = await page.evaluate(measure);
    const inside = breaksInsideWords(await page.evaluate(japaneseLines, 'body'));
    if (fit.overflow.length + fit.clipped.length + inside.length > 0)
      problems[file] = { overflow: fit.overflow, clipped: fit.clipped, breaksInsideWords: inside };
  };
  const url = cloud.url;
  return { page, shot, problems, complaints, url, close: () => context.close() };
}

type Visitor = Awaited<ReturnType<typeof visitor>>;
const submit = (page: Page, action: string) => page.locator(`form[action="${action}"] button:not([formaction]):not(.secondary)`).first().click();
const follow = (page: Page, href: string) => page.locator(`a[href="${href}"]`).first().click();

/** A BMW ID login form: a wrong password first (the page kept as shown), then the right one. */
async function logIn({ page, shot }: Visitor, action: string, name: string) {
  await page.fill('#email', 'ichiro@example.com');
  await page.fill('#password', 'not-the-password');
  await submit(page, action);
  await shot(`${name}-wrong`);
  await page.fill('#password', 'onenumber-start');
  await submit(page, action);
}

/** docomo's part (steps 14–38) from its d ACCOUNT login, with a wrong ID, password and an empty application on the way. */
async function docomo({ page, shot }: Visitor, dAccount: string, password: string, association: boolean) {
  await page.waitForSelector('body[data-guide-step="14"]');
  await shot('daccount');
  await page.fill('#daccount', 'nobody.docomo');
  await submit(page, '/docomo/login/daccount');
  await shot('daccount-wrong');
  await page.fill('#daccount', dAccount);
  await submit(page, '/docomo/login/daccount');
  await shot('code');
  const code = /(\d{6})/.exec(await page.locator('[data-sms]').innerText())![1]!;
  await page.fill('#dpassword', 'wrong-password');
  await page.fill('#code', code);
  await submit(page, '/docomo/login/code');
  await shot('code-wrong');
  await page.fill('#dpassword', password);
  await page.fill('#code', code);
  await submit(page, '/docomo/login/code');
  await shot('status');
  await follow(page, '/docomo/apply');
  // (on the PC path the line's d ACCOUNT is not set up yet: what to do, then the application)
  if (await page.locator('form[action="/docomo/daccount-setup"]').count()) {
    await shot('daccount-setup');
    await submit(page, '/docomo/daccount-setup');
  }
  await shot('apply');
  await page.locator('form[action="/docomo/apply"] > button').last().click();
  await shot('apply-empty');
  await page.check('input[name="oneNumber"]');
  await page.check('input[name="multiDevice"]');
  await page.fill('#kanjiLast', '佐藤');
  await page.locator('button[formaction="/docomo/apply/terms"]').click();
  await shot('terms');
  await follow(page, '/docomo/apply');
  await shot('apply-kept');
  await page.fill('#kanaLast', 'さとう');
  await page.fill('#kanaFirst', 'ｲﾁﾛｳ');
  await page.fill('#kanjiFirst', '一郎');
  await page.fill('#birthday', '1985-04-12');
  await page.fill('#postalCode', '１００６１５０');
  await page.fill('#address', '東京都千代田区永田町2-11-1');
  await page.selectOption('#age', 'adult');
  await page.selectOption('#delivery', 'email');
  await page.locator('form[action="/docomo/apply"] > button').last().click();
  await shot('apply-wrong');
  await page.fill('#kanaLast', 'サトウ');
  await page.check('input[name="consent"]');
  await page.locator('form[action="/docomo/apply"] > button').last().click();
  await shot('payment');
  await submit(page, '/docomo/apply/payment');
  await shot('confirm');
  await submit(page, '/docomo/apply/complete');
  await shot('done');
  await follow(page, '/docomo/onenumber');
  await shot('subscribed');
  await follow(page, '/docomo/association');
  await shot('association');
  await page.locator('button[value="associate"]').click();
  await shot('association-no-consent');
  if (association) {
    await page.check('input[name="consent"]');
    await page.locator('button[value="associate"]').click();
    await shot('associated');
    await page.locator('a.button').click();
  }
}

describe('STEP 1 pages, as a customer sees them', () => {
  it.each(['ja', 'en'] as const)(
    'the phone path (%s): every page fits, Japanese breaks between phrases, nothing complained of',
    async (language) => {
      const cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
      const v = await visitor(cloud, 'phone', language);
      try {
        const { page, shot, url } = v;
        await page.goto(`${url}app`);
        await shot('app-start');
        await follow(page, '/app/start');
        await shot('app-continue');
        await follow(page, '/app/login');
        await shot('app-login');
        await logIn(v, '/app/login', 'app-login');
        await shot('app-pin');
        await page.fill('#pin', '2580');
        await submit(page, '/app/pin');
        await shot('app-pin-again');
        await page.fill('#pin', '2580');
        await submit(page, '/app/pin/confirm');
        await shot('app-terms');
        await submit(page, '/app/terms');
        await shot('app-terms-not-ticked');
        await page.check('input[name="agree"]');
        await submit(page, '/app/terms');
        await shot('app-home');
        await page.locator('[data-tab="profile"]').click();
        await shot('app-profile');
        // The car's QR login, scanned from the logged-in app (the Profile tab's settings): the car's
        // request is answered at once, without logging in again.
        const car = await fetch(`${url}oauth/device_authorization`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: 'idrive-head-unit', vehicle_name: 'BMW 12345' }),
        });
        const { user_code: userCode } = (await car.json()) as { user_code: string };
        await page.locator('[data-link="settings"]').click();
        await shot('app-settings');
        await page.locator('[data-link="scanQr"]').click();
        await page.fill('#code', userCode);
        await page.locator('form[action="/device"] button').click();
        await page.locator('button[value="approve"]').waitFor();
        expect(await page.locator('#password').count()).toBe(0);
        await shot('device-approve');
        await page.goto(`${url}app/profile`);
        await follow(page, '/app/esim');
        await shot('app-esim');
        await follow(page, '/app/esim/activate');
        await shot('app-activate');
        await page.fill('#last4', '9999');
        await submit(page, '/app/esim/activate');
        await shot('app-activate-wrong');
        await page.fill('#last4', '1357');
        await submit(page, '/app/esim/activate');
        await docomo(v, 'ichiro.docomo', 'docomo-demo-2', true);
        await page.waitForSelector('body[data-guide-step="39"]');
        await shot('app-open');
        // "Cancel" closes the phone's alert and leaves the carrier's page, with the way to open the app again.
        await page.locator('a[href="#dismissed"]').click();
        await page.locator('.scrim').waitFor({ state: 'hidden' });
        await shot('app-open-cancelled');
        await page.locator('a[data-reopen]').click();
        await page.locator('.scrim').waitFor({ state: 'visible' });
        await submit(page, '/app/esim/open');
        await shot('app-request-completed');
        await follow(page, '/app/esim');
        await shot('app-esim-active');
        expect(v.problems).toEqual({});
        expect(v.complaints).toEqual([]);
      } finally {
        await v.close();
        await cloud.close();
      }
    },
    120_000,
  );

  it.each(['ja', 'en'] as const)(
    'the PC path (%s): every page fits, Japanese breaks between phrases, nothing complained of',
    async (language) => {
      const scenario = Scenario.parse({
        ...defaultScenario,
        cloud: { phoneOn: 'cellular' },
        accounts: defaultScenario.accounts.map((a) => (a.email === 'ichiro@example.com' ? { ...a, oneNumber: { ...a.oneNumber!, dAccountSetUp: false } } : a)),
      });
      const cloud = await startCloud({ scenario, host: '127.0.0.1', port: 0 });
      const v = await visitor(cloud, 'desktop', language);
      try {
        const { page, shot, url } = v;
        await page.goto(`${url}docomo/connected-car`);
        await shot('docomo-connected-car');
        await follow(page, '/portal/');
        await shot('portal-login');
        await logIn(v, '/portal/login', 'portal-login');
        await shot('portal-esim');
        await page.locator('main a.button[href="/portal/esim/activate"]').click();
        await shot('portal-no-number');
        await follow(page, '/portal/numbers');
        await shot('portal-numbers');
        await follow(page, '/portal/numbers?add=1');
        await shot('portal-add-number');
        await page.fill('#number', '090-2468-135');
        await submit(page, '/portal/numbers');
        await shot('portal-add-number-wrong');
        await page.fill('#number', '０９０-２４６８-１３５７');
        await submit(page, '/portal/numbers');
        await shot('portal-numbers-added');
        await page.locator('main a.button[href="/portal/esim/activate"]').click();
        await shot('portal-activate');
        await submit(page, '/portal/esim/activate');
        await docomo(v, 'ichiro.docomo', 'docomo-demo-2', true);
        await page.waitForSelector('body[data-guide-step="19"]');
        await shot('portal-esim-active');
        expect(v.problems).toEqual({});
        expect(v.complaints).toEqual([]);
      } finally {
        await v.close();
        await cloud.close();
      }
    },
    120_000,
  );
});
