import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type Cloud } from '../../cloud/server';
import { defaultScenario } from '../../shared/scenario';

/** Every form of the STEP 1 sites answers a form it cannot take with a page and a 4xx, never a 500. */
const forms = [
  '/app/esim/activate', '/app/esim/open', '/app/login', '/app/logout', '/app/pin', '/app/pin/confirm', '/app/register', '/app/terms',
  '/device/decision', '/device/login', '/device/logout',
  '/docomo/apply', '/docomo/apply/complete', '/docomo/apply/payment', '/docomo/association', '/docomo/daccount-setup',
  '/docomo/login/code', '/docomo/login/daccount', '/docomo/login/pin', '/docomo/login/resend',
  '/portal/esim/activate', '/portal/login', '/portal/logout', '/portal/numbers',
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
    for (const [body, type] of [['csrf=a&csrf=b&email=x', undefined], ['{"email":["a"]}', 'application/json']] as const) {
      const malformed = await post(path, body, type);
      expect(malformed.status, body).toBe(400);
      expect(await malformed.text()).toContain('role="alert"');
    }
  });
});
