import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { phoneLogin } from '../support/phoneHttp';
import { defaultScenario, Scenario } from '../../shared/scenario';
import { startCloud, type Cloud } from '../../cloud/server';
import { DeviceFlow } from '../../cloud/oauth/deviceFlow';

/** The BMW ID cloud over real HTTP, as the car and a phone use it. */
let cloud: Cloud;
let clock = 1_000_000;
const now = () => clock;
const client_id = 'idrive-head-unit';
const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';

beforeEach(async () => {
  clock = 1_000_000;
  cloud = await startCloud({
    scenario: Scenario.parse({ ...defaultScenario, cloud: { deviceCodeLifetimeSeconds: 60, pollIntervalSeconds: 5, pollHoldSeconds: 1 } }),
    host: '127.0.0.1',
    port: 0,
    now,
  });
});
afterEach(async () => cloud.close());

async function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(path, cloud.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    /* an HTML page */
  }
  return { status: response.status, json, text, headers: response.headers };
}

const token = (form: Record<string, string>) => post('/oauth/token', { client_id, ...form });

describe('BMW ID in the cloud', () => {
  it('publishes RFC 8414 metadata', async () => {
    const meta = (await (await fetch(new URL('/.well-known/oauth-authorization-server', cloud.url))).json()) as { grant_types_supported: string[] };
    expect(meta).toMatchObject({
      issuer: cloud.url,
      device_authorization_endpoint: `${cloud.url}oauth/device_authorization`,
      token_endpoint: `${cloud.url}oauth/token`,
    });
    expect(meta.grant_types_supported).toContain(deviceGrant);
  });

  it('logs a car in by QR: code, pending, slow_down, the phone approves, tokens once', async () => {
    const auth = await post('/oauth/device_authorization', { client_id, scope: 'profile', vehicle_name: 'BMW 12345' });
    expect(auth.status).toBe(200);
    const { device_code, user_code, verification_uri_complete, interval, expires_in } = auth.json as {
      device_code: string;
      user_code: string;
      verification_uri_complete: string;
      interval: number;
      expires_in: number;
    };
    expect(user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(verification_uri_complete).toBe(`${cloud.url}device?user_code=${user_code}`);
    expect([interval, expires_in]).toEqual([5, 60]);

    expect((await token({ grant_type: deviceGrant, device_code })).json.error).toBe('authorization_pending');
    clock += 1000;
    const slow = await token({ grant_type: deviceGrant, device_code });
    expect(slow.json).toMatchObject({ error: 'slow_down' });
    clock += 10_000;

    // the phone: open the page, log in, approve
    const page = await (await fetch(verification_uri_complete)).text();
    expect(page).toContain('Log in with your BMW ID');
    const login = await phoneLogin(verification_uri_complete, 'Hanako@Example.com', 'onenumber-demo');
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly.*SameSite=Strict|SameSite=Strict.*HttpOnly/i);
    const ask = await (await fetch(verification_uri_complete, { headers: { cookie } })).text();
    expect(ask).toContain('BMW 12345 asks to add your BMW ID hanako@example.com.');
    const csrf = /name="csrf" value="([^"]+)"/.exec(ask)![1]!;
    expect((await post('/device/decision', { user_code, csrf: 'forged', decision: 'approve' }, { cookie })).status).toBe(400);
    const approved = await post('/device/decision', { user_code, csrf, decision: 'approve' }, { cookie });
    expect(approved.text).toContain('Approved. Continue on the car.');

    const tokens = await token({ grant_type: deviceGrant, device_code });
    expect(tokens.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(tokens.headers.get('cache-control')).toBe('no-store');
    expect((await token({ grant_type: deviceGrant, device_code })).json.error).toBe('invalid_grant');
    const me = await (await fetch(new URL('/oauth/userinfo', cloud.url), { headers: { authorization: `Bearer ${tokens.json.access_token}` } })).json();
    expect(me).toMatchObject({ email: 'hanako@example.com', name: 'Hanako Suzuki', settings: { language: 'ja', theme: 'night' } });
  });

  it('holds a pending poll open until the phone decides, and lets it go when the cloud closes', async () => {
    let at = 0;
    const flow = new DeviceFlow({ lifetimeSeconds: 600, intervalSeconds: 1, holdSeconds: 5, now: () => at });
    const code = flow.start(client_id, 'BMW 12345', 'http://cloud/device');
    const settled = (p: Promise<void>) => Promise.race([p.then(() => true), new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))]);
    const held = flow.awaitDecision(code.device_code, client_id);
    expect(await settled(held)).toBe(false);
    // Another car's client or an unknown code is never held.
    expect(await settled(flow.awaitDecision(code.device_code, 'someone-else'))).toBe(true);
    expect(await settled(flow.awaitDecision('unknown', client_id))).toBe(true);
    flow.decide(code.user_code, { kind: 'approved', accountId: 'a1' });
    expect(await settled(held)).toBe(true);
    expect(flow.poll(code.device_code, client_id)).toEqual({ accountId: 'a1' });

    // A poll too soon after the last answer is not held: it hears slow_down at once.
    const next = flow.start(client_id, 'BMW 12345', 'http://cloud/device');
    expect(() => flow.poll(next.device_code, client_id)).toThrow('waiting for the driver');
    at += 200;
    expect(await settled(flow.awaitDecision(next.device_code, client_id))).toBe(true);
    expect(() => flow.poll(next.device_code, client_id)).toThrow('poll at most every 6 s');
    at += 6000;
    const last = flow.awaitDecision(next.device_code, client_id);
    expect(await settled(last)).toBe(false);
    flow.releaseAll();
    expect(await settled(last)).toBe(true);
  });

  it('tells the car when the phone denied, and when the code expired', async () => {
    const a = (await post('/oauth/device_authorization', { client_id })).json as Record<string, string>;
    const login = await phoneLogin(a.verification_uri_complete!, 'taro@example.com', 'bmw-id-demo');
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(await (await fetch(a.verification_uri_complete!, { headers: { cookie } })).text())![1]!;
    await post('/device/decision', { user_code: a.user_code!, csrf, decision: 'deny' }, { cookie });
    expect((await token({ grant_type: deviceGrant, device_code: a.device_code! })).json.error).toBe('access_denied');

    const b = (await post('/oauth/device_authorization', { client_id })).json as Record<string, string>;
    clock += 61_000;
    expect((await token({ grant_type: deviceGrant, device_code: b.device_code! })).json.error).toBe('expired_token');
    expect(await (await fetch(b.verification_uri_complete!)).text()).toContain('This code cannot be used');
  });

  it('logs in by password, refreshes with rotation, and expires access tokens', async () => {
    const first = await token({ grant_type: 'password', username: 'taro@example.com', password: 'bmw-id-demo' });
    expect(first.status).toBe(200);
    const renewed = await token({ grant_type: 'refresh_token', refresh_token: String(first.json.refresh_token) });
    expect(renewed.status).toBe(200);
    const userinfo = (access: unknown) => fetch(new URL('/oauth/userinfo', cloud.url), { headers: { authorization: `Bearer ${String(access)}` } });
    expect((await userinfo(renewed.json.access_token)).status).toBe(200);
    // The first refresh token used again: stolen. Every token of that login is revoked (RFC 6819).
    expect((await token({ grant_type: 'refresh_token', refresh_token: String(first.json.refresh_token) })).json.error).toBe('invalid_grant');
    expect((await userinfo(renewed.json.access_token)).status).toBe(401);
    expect((await token({ grant_type: 'refresh_token', refresh_token: String(renewed.json.refresh_token) })).json.error).toBe('invalid_grant');
    // Another login's tokens are untouched, and expire in their time.
    const second = await token({ grant_type: 'password', username: 'taro@example.com', password: 'bmw-id-demo' });
    expect((await userinfo(second.json.access_token)).status).toBe(200);
    clock += 3601_000;
    const expired = await userinfo(second.json.access_token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: 'invalid_token', error_description: 'the access token expired' });
  });

  it('refuses wrong passwords alike for unknown accounts, and rate-limits each account', async () => {
    const wrong = await token({ grant_type: 'password', username: 'taro@example.com', password: 'nope-nope' });
    const unknown = await token({ grant_type: 'password', username: 'nobody@example.com', password: 'nope-nope' });
    expect(wrong.json).toEqual(unknown.json);
    expect(wrong.json).toEqual({ error: 'invalid_grant', error_description: 'wrong e-mail address or password' });
    for (let i = 0; i < 4; i++) await token({ grant_type: 'password', username: 'taro@example.com', password: 'nope-nope' });
    const limited = await token({ grant_type: 'password', username: 'taro@example.com', password: 'bmw-id-demo' });
    expect(limited.status).toBe(429);
    expect(limited.json.error).toBe('temporarily_unavailable');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    clock += 5 * 60_000 + 1000;
    expect((await token({ grant_type: 'password', username: 'taro@example.com', password: 'bmw-id-demo' })).status).toBe(200);
  });

  it('answers bad requests in the RFC 6749 error form', async () => {
    expect((await post('/oauth/token', { grant_type: 'client_credentials', client_id })).json.error).toBe('unsupported_grant_type');
    expect((await post('/oauth/token', { grant_type: 'password', client_id })).json.error).toBe('invalid_request');
    const badClient = await post('/oauth/device_authorization', { client_id: 'someone-else' });
    expect([badClient.status, badClient.json.error]).toEqual([401, 'invalid_client']);
    expect(badClient.json.error_description).toContain('"idrive-head-unit"');
    const json = await fetch(new URL('/oauth/token', cloud.url), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(((await json.json()) as { error: string }).error).toBe('invalid_request');
  });
});
