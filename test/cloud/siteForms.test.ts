import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type Cloud } from '../../cloud/server';
import { defaultScenario } from '../../shared/scenario';

/** Every form of the STEP 1 sites answers a form it cannot take with a page and a 4xx, never a 500. */
const forms = [
  '/app/esim/activate',
  '/app/esim/open',
  '/app/login',
  '/app/logout',
  '/app/pin',
  '/app/pin/confirm',
  '/app/register',
  '/app/terms',
  '/device/decision',
  '/device/login',
  '/device/logout',
  '/docomo/apply',
  '/docomo/apply/complete',
  '/docomo/apply/payment',
  '/docomo/apply/terms',
  '/docomo/association',
  '/docomo/daccount-setup',
  '/docomo/login/code',
  '/docomo/login/daccount',
  '/docomo/login/pin',
  '/docomo/login/resend',
  '/portal/esim/activate',
  '/portal/login',
  '/portal/logout',
  '/portal/numbers',
];
let cloud: Cloud;
beforeAll(async () => {
  cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
});
afterAll(async () => cloud.close());

const post = (path: string, body: string, contentType = 'application/x-www-form-urlencoded') =>
  fetch(new URL(path, cloud.url), { method: 'POST', headers: { 'content-type': contentType, 'accept-language': 'ja-JP' }, body, redirect: 'manual' });

describe('the sites’ forms under malformed posts', () => {
  it.each(forms)('%s: too large (413), a field twice or an object (400), each with the page in the reader’s language', async (path) => {
    const large = await post(path, `email=${'x'.repeat(17 * 1024)}`);
    expect(large.status).toBe(413);
    expect(large.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await large.text()).toContain('フォームを読み取れませんでした');
    for (const [body, type] of [
      ['csrf=a&csrf=b&email=x', undefined],
      ['{"email":["a"]}', 'application/json'],
    ] as const) {
      const malformed = await post(path, body, type);
      expect(malformed.status, body).toBe(400);
      expect(await malformed.text()).toContain('role="alert"');
    }
  });
});

describe('the sites as a browser asks for them', () => {
  it.each(['/app', '/device', '/docomo/connected-car', '/portal'])('%s/ with a trailing slash is the same page', async (site) => {
    const get = (path: string) => fetch(new URL(path, cloud.url), { redirect: 'manual' });
    const [plain, slashed] = [await get(site), await get(`${site}/`)];
    expect(slashed.status).toBe(plain.status);
    expect(slashed.headers.get('content-type')).toBe(plain.headers.get('content-type'));
    expect(slashed.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it.each([
    ['ja-JP', 'ページが見つかりません'],
    ['en-US', 'Page not found'],
  ])('answers an address a site does not have with a page (%s), and the APIs with JSON', async (language, title) => {
    for (const path of ['/docomo/', '/app/nothing-here', '/portal/x/y']) {
      const missing = await fetch(new URL(path, cloud.url), { headers: { 'accept-language': language } });
      expect(missing.status, path).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await missing.text()).toContain(title);
    }
    const api = await fetch(new URL('/oauth/nothing-here', cloud.url));
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('answers the icon every browser asks for, rather than a 404 in each console', async () => {
    const icon = await fetch(new URL('/favicon.ico', cloud.url));
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(await icon.text()).toMatch(/^<svg /);
  });
});
