import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCloud, type Cloud } from '../../cloud/server';
import { defaultScenario } from '../../shared/scenario';
import { phoneLogin } from '../support/phoneHttp';

/**
 * Limits that protect owners, not attackers. Each client is a loopback address of its own
 * (127.0.0.2, 127.0.0.3, …: Linux answers the whole 127/8), so the cloud tells them apart by
 * their address as it would on a network; loopback is limited here as any peer would be.
 */
let cloud: Cloud;
let clock = Date.parse('2026-11-29T09:00:00Z');
beforeEach(async () => {
  cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0, limitLoopback: true, now: () => clock });
});
afterEach(async () => cloud.close());

interface Answer {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}
function from(
  client: string,
  path: string,
  options: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const url = new URL(path, cloud.url);
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method: options.method ?? (body ? 'POST' : 'GET'),
        localAddress: client,
        headers: { ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...options.headers },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, text, headers: response.headers }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
const password = (client: string, username: string, secret: string) =>
  from(client, '/oauth/token', { form: { grant_type: 'password', client_id: 'idrive-head-unit', username, password: secret } });

describe("the BMW ID cloud's limits", () => {
  it('slows down a stranger guessing a password, never the owner on their own car', async () => {
    const stranger = '127.0.0.2';
    const owner = '127.0.0.3';
    for (let i = 0; i < 5; i++) expect((await password(stranger, 'taro@example.com', `guess-${i}`)).status).toBe(400);
    const slowed = await password(stranger, 'taro@example.com', 'guess-5');
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
    // The owner, from their own car, is let in at once.
    expect((await password(owner, 'taro@example.com', 'bmw-id-demo')).status).toBe(200);
    // The stranger's wait grows with every further try after it has passed.
    clock += 31_000;
    expect((await password(stranger, 'taro@example.com', 'guess-6')).status).toBe(400);
    const longer = await password(stranger, 'taro@example.com', 'guess-7');
    expect(Number(longer.headers['retry-after'])).toBeGreaterThan(30);
  });

  it('stops one client spraying passwords over many accounts', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 80; i++) answers.push((await password('127.0.0.4', `user${i}@example.com`, 'Winter2026!')).status);
    expect(answers.slice(0, 60).every((status) => status === 400)).toBe(true);
    expect(answers.slice(60).every((status) => status === 429)).toBe(true);
    // another client is not held back by it
    expect((await password('127.0.0.5', 'taro@example.com', 'bmw-id-demo')).status).toBe(200);
  });

  it('gives one answer to unknown, expired and answered user codes, and limits guessing them', async () => {
    const start = async () =>
      JSON.parse((await from('127.0.0.6', '/oauth/device_authorization', { form: { client_id: 'idrive-head-unit' } })).text) as {
        user_code: string;
        device_code: string;
        verification_uri_complete: string;
      };
    const expired = await start();
    const answered = await start();
    const login = await phoneLogin(answered.verification_uri_complete, 'taro@example.com', 'bmw-id-demo');
    const cookie = String(login.headers.get('set-cookie')).split(';')[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec((await from('127.0.0.7', `/device?user_code=${answered.user_code}`, { headers: { cookie } })).text)![1]!;
    await from('127.0.0.7', '/device/decision', { form: { user_code: answered.user_code, csrf, decision: 'deny' }, headers: { cookie } });
    clock += 601_000;
    const pages = await Promise.all(['BCDF-GHJK', expired.user_code, answered.user_code].map((code) => from('127.0.0.8', `/device?user_code=${code}`)));
    const message = (page: Answer) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(page.text)?.[1];
    expect(message(pages[0]!)).toBe(
      'This code cannot be used: it is not valid, it has expired, or it was already answered. Look at the car: scan the QR code it shows now.',
    );
    expect(pages.map(message)).toEqual([message(pages[0]!), message(pages[0]!), message(pages[0]!)]);
    expect(pages[0]!.headers['cache-control']).toBe('no-store');

    const guesses: number[] = [];
    for (let i = 0; i < 40; i++) guesses.push((await from('127.0.0.9', `/device?user_code=BCDF-${String(i).padStart(4, 'G')}`)).status);
    expect(guesses.filter((status) => status === 429).length).toBe(40 - 30);
  });

  it('refuses a login posted from another site (login CSRF): no token, a forged one, or a foreign Origin', async () => {
    const { verification_uri_complete, user_code } = JSON.parse(
      (await from('127.0.0.10', '/oauth/device_authorization', { form: { client_id: 'idrive-head-unit' } })).text,
    ) as { verification_uri_complete: string; user_code: string };
    const form = { user_code, email: 'taro@example.com', password: 'bmw-id-demo' };
    expect((await from('127.0.0.11', '/device/login', { form: { ...form, csrf: '' } })).status).toBe(403);
    expect((await from('127.0.0.11', '/device/login', { form: { ...form, csrf: 'forged' }, headers: { cookie: 'bmwid_login=other' } })).status).toBe(403);
    const foreign = await phoneLogin(verification_uri_complete, 'taro@example.com', 'bmw-id-demo', { origin: 'http://attacker.test' });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('This page has expired. Log in again.');
    // the page's own form, with its token, logs in
    expect((await phoneLogin(verification_uri_complete, 'taro@example.com', 'bmw-id-demo')).status).toBe(303);
  });
});
