import { BmwIdClient } from '../../main/bmwId/client';
import { afterEach, describe, expect, it } from 'vitest';
import { Associations, myBmwClientId, s256 } from '../../cloud/docomo/association';
import { CustomerDetails, fieldErrors } from '../../cloud/docomo/kyc';
import { SmsCenter } from '../../cloud/carrier/sms';
import { Carrier } from '../../cloud/carrier/carrier';
import { startCloud, type Cloud } from '../../cloud/server';
import { defaultScenario } from '../../shared/scenario';
import { appToCarrier, SiteClient } from '../support/siteClient';

/** STEP 1's cloud parts on their own: the association's OAuth rules, the details' validation, the SMS codes, forged forms. */
let clock = 1_000_000;
const now = () => clock;

describe('the BMW ID ↔ d ACCOUNT association (authorization code with PKCE)', () => {
  const verifier = 'a-verifier-of-enough-length-0123456789abcdefghij';
  const push = (associations: Associations) =>
    associations.push({
      clientId: myBmwClientId,
      accountId: 'bmwid-1',
      redirectUri: 'http://cloud/app/esim/return',
      state: 'st',
      codeChallenge: s256(verifier),
      via: 'phone',
    });

  it('gives the app a one-time code it redeems with its verifier, back at its redirect with its state', () => {
    const associations = new Associations(now);
    const back = new URL(associations.approve(push(associations)));
    expect(back.origin + back.pathname).toBe('http://cloud/app/esim/return');
    expect(back.searchParams.get('state')).toBe('st');
    const code = back.searchParams.get('code')!;
    expect(associations.redeem(code, verifier, myBmwClientId, 'http://cloud/app/esim/return')).toEqual({ accountId: 'bmwid-1' });
    expect(associations.redeem(code, verifier, myBmwClientId, 'http://cloud/app/esim/return')).toBe('invalid_grant');
  });

  it('refuses a wrong verifier, another client or redirect, an expired code, and a request pushed by someone else', () => {
    const associations = new Associations(now);
    const codeOf = () => new URL(associations.approve(push(associations))).searchParams.get('code')!;
    expect(associations.redeem(codeOf(), 'another-verifier-0123456789abcdefghijklmnop', myBmwClientId, 'http://cloud/app/esim/return')).toBe('invalid_grant');
    expect(associations.redeem(codeOf(), verifier, myBmwClientId, 'http://evil/return')).toBe('invalid_client');
    const late = codeOf();
    clock += 61_000;
    expect(associations.redeem(late, verifier, myBmwClientId, 'http://cloud/app/esim/return')).toBe('invalid_grant');
    expect(associations.request(push(associations), 'someone-else', 'visit-1')).toBeNull();
    // (RFC 9126: the request_uri is the first visit's; another browser opening it gets nothing)
    const uri = push(associations);
    expect(associations.request(uri, myBmwClientId, 'visit-1')).not.toBeNull();
    expect(associations.request(uri, myBmwClientId, 'visit-2')).toBeNull();
    expect(associations.request(uri, myBmwClientId, 'visit-1')).not.toBeNull();
  });

  it('sends the app access_denied with its state when the driver cancels', () => {
    const associations = new Associations(now);
    const back = new URL(associations.decline(push(associations)));
    expect([back.searchParams.get('error'), back.searchParams.get('state'), back.searchParams.get('code')]).toEqual(['access_denied', 'st', null]);
  });
});

describe("the customer's details (STEP 1 steps 20–23)", () => {
  const valid = {
    kanaLast: 'サトウ',
    kanaFirst: 'イチロウ',
    kanjiLast: '佐藤',
    kanjiFirst: '一郎',
    birthday: '1985-04-12',
    postalCode: '100-6150',
    address: '東京都千代田区永田町2-11-1',
    age: 'adult',
    delivery: 'email',
  };

  it('takes half-width katakana and full-width digits as a Japanese keyboard gives them', () => {
    const details = CustomerDetails.parse({ ...valid, kanaFirst: 'ｲﾁﾛｳ', postalCode: '１００６１５０' });
    expect([details.kanaFirst, details.postalCode]).toEqual(['イチロウ', '100-6150']);
  });

  it('says what is wrong with each field, in the site’s words', () => {
    const result = CustomerDetails.safeParse({ ...valid, kanaLast: 'さとう', birthday: '2023-02-30', postalCode: '100', age: 'old', address: '' });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!)).toEqual({
      kanaLast: 'フリガナ（セイ）は全角カタカナで入力してください。',
      birthday: '生年月日を正しく入力してください。',
      postalCode: '郵便番号は7桁の数字で入力してください。',
      address: '住所を入力してください。',
      age: 'ご利用者の年齢を選択してください。',
    });
    expect(CustomerDetails.safeParse({ ...valid, birthday: '2999-01-01' }).success).toBe(false);
  });
});

describe('the security code by SMS', () => {
  it('is good for three tries and ten minutes, and a new one replaces the old', () => {
    const sms = new SmsCenter(now);
    const codeIn = () => /(\d{6})/.exec(sms.inbox('+81 90-1').at(-1)!.text)![1]!;
    sms.sendCode('visit', '+81 90-1');
    const first = codeIn();
    const wrong = first === '000000' ? '111111' : '000000';
    expect([sms.checkCode('visit', wrong, '+81 90-1'), sms.checkCode('visit', wrong, '+81 90-1'), sms.checkCode('visit', wrong, '+81 90-1')]).toEqual([
      'wrong',
      'wrong',
      'expired',
    ]);
    expect(sms.checkCode('visit', first, '+81 90-1')).toBe('expired');
    sms.sendCode('visit', '+81 90-1');
    const second = codeIn();
    sms.sendCode('visit', '+81 90-1');
    if (second !== codeIn()) expect(sms.checkCode('visit', second, '+81 90-1')).toBe('wrong');
    clock += 11 * 60_000;
    expect(sms.checkCode('visit', codeIn(), '+81 90-1')).toBe('expired');
    sms.sendCode('visit', '+81 90-1');
    expect(sms.checkCode('visit', ` ${codeIn()} `, '+81 90-1')).toBe('ok');
  });

  it('sends a line at most five codes in half an hour, and locks its code login after ten wrong codes, with when to come back', () => {
    const sms = new SmsCenter(now);
    const line = '+81 90-2';
    const results = Array.from({ length: 6 }, (_, i) => sms.sendCode(`visit-${i}`, line));
    expect(results.slice(0, 5).every((r) => 'sent' in r)).toBe(true);
    expect(results[5]).toEqual({ retryAfterSeconds: 30 * 60 });
    // 750 resends in a row are no way around it (each visit its own)
    expect(Array.from({ length: 750 }, (_, i) => sms.sendCode(`other-${i}`, line)).some((r) => 'sent' in r)).toBe(false);
    clock += 31 * 60_000;
    const wrongs: string[] = [];
    for (let visit = 0; visit < 4; visit++) {
      sms.sendCode(`v${visit}`, line);
      const right = /(\d{6})/.exec(sms.inbox(line).at(-1)!.text)![1]!;
      const wrong = right === '000000' ? '111111' : '000000';
      for (let i = 0; i < 3; i++) wrongs.push(sms.checkCode(`v${visit}`, wrong, line));
    }
    expect(wrongs.slice(0, 9)).toEqual(['wrong', 'wrong', 'expired', 'wrong', 'wrong', 'expired', 'wrong', 'wrong', 'expired']);
    expect(wrongs[9]).toBe('locked');
    expect(sms.lockedFor(line)).toBeGreaterThan(0);
    expect('retryAfterSeconds' in sms.sendCode('v9', line)).toBe(true);
    clock += 31 * 60_000;
    expect(sms.lockedFor(line)).toBe(0);
    expect('sent' in sms.sendCode('v10', line)).toBe(true);
  });

  it('locks a d ACCOUNT’s login after five wrong passwords in a row, for half an hour', () => {
    const carrier = new Carrier([{ ...defaultScenario.accounts[0]!, id: 'bmwid-1' }]);
    const results = Array.from({ length: 5 }, () => carrier.checkDPassword('bmwid-1', 'not-it', clock));
    expect(results).toEqual(['wrong', 'wrong', 'wrong', 'wrong', { lockedForSeconds: 1800 }]);
    // (the right one does not open it meanwhile)
    expect(carrier.checkDPassword('bmwid-1', 'docomo-demo-1', clock)).toEqual({ lockedForSeconds: 1800 });
    expect(carrier.checkDPassword('bmwid-1', 'docomo-demo-1', clock + 30 * 60_000)).toBe('ok');
  });

  it('reaches automation through the admin endpoint, from this machine', async () => {
    const cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
    try {
      const inbox = async () =>
        (await (await fetch(new URL('/admin/carrier/sms/ichiro@example.com', cloud.url))).json()) as { msisdn: string; messages: { text: string }[] };
      expect(await inbox()).toEqual({ msisdn: '+81 90-2468-1357', messages: [] });
      // The phone asks for a code on the carrier's site; automation reads it as the phone shows it.
      const phone = new SiteClient(cloud.url);
      await appToCarrier(phone);
      await phone.post('/docomo/login/daccount', { dAccount: 'ichiro.docomo' });
      const { messages } = await inbox();
      const code = /(\d{6})/.exec(messages.at(-1)!.text)![1]!;
      expect(phone.page).toContain(code);
      expect((await fetch(new URL('/admin/carrier/sms/taro@example.com', cloud.url))).status).toBe(404);
    } finally {
      await cloud.close();
    }
  });
});

describe('the STEP 1 sites over HTTP', () => {
  let cloud: Cloud | undefined;
  afterEach(async () => cloud?.close());

  it('gives the carrier visit a new session id at login, and the app’s request to that visit alone', async () => {
    cloud = await startCloud({ scenario: { ...defaultScenario, cloud: { ...defaultScenario.cloud, phoneOn: 'cellular' } }, host: '127.0.0.1', port: 0 });
    const phone = new SiteClient(cloud.url);
    await appToCarrier(phone);
    const before = phone.cookie('docomo_session');
    // The same link opened in another browser is no visit of its own.
    const authorize = phone.redirects.find((href) => href.includes('/docomo/authorize'))!;
    const other = new SiteClient(cloud.url);
    await other.get(authorize);
    expect(other.status).toBe(400);
    await phone.post('/docomo/login/pin', { pin: '1357' });
    expect(phone.page).toContain('ワンナンバー');
    expect(phone.cookie('docomo_session')).not.toBe(before);
  });

  it('refuses forged forms and visits that did not start in the app, and keeps what STEP 1 did across a restart', async () => {
    cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
    const post = (path: string, form: Record<string, string>) =>
      fetch(new URL(path, cloud!.url), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      });
    expect((await post('/docomo/apply', { csrf: 'forged', oneNumber: 'on' })).status).toBe(403);
    expect((await post('/docomo/association', { csrf: 'forged', decision: 'associate', consent: 'on' })).status).toBe(403);
    expect((await (await fetch(new URL('/docomo/onenumber', cloud.url))).text()).replaceAll('<wbr>', '')).toContain('My BMWアプリから開始してください');
    expect((await fetch(new URL('/docomo/authorize?client_id=my-bmw-app&request_uri=urn:made-up', cloud.url))).status).toBe(400);
    const login = await post('/app/login', { csrf: 'forged', email: 'ichiro@example.com', password: 'onenumber-start' });
    expect(login.status).toBe(403);
    const page = await fetch(new URL('/app/style.css', cloud.url));
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");

    // What STEP 1 did stays done: the lines are kept with the world, and a restart brings them back.
    let saved: NonNullable<Parameters<typeof startCloud>[0]['state']> | undefined;
    await cloud.close();
    cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0, onChange: (state) => (saved = state) });
    const entitlement = async () => {
      const tokens = (await (
        await post('/oauth/token', { grant_type: 'password', client_id: 'idrive-head-unit', username: 'ichiro@example.com', password: 'onenumber-start' })
      ).json()) as { access_token: string };
      return (await new BmwIdClient(() => cloud!.url).entitlement(tokens.access_token, '89049032000000000000000000000001')).serviceStatus;
    };
    expect(await entitlement()).toBe('deactivated');
    const ichiro = saved!.lines!.find(([, line]) => line.msisdn === '+81 90-2468-1357')!;
    expect(ichiro[1]).toMatchObject({ subscribed: false, associated: false });
    await cloud.close();
    const after = {
      ...saved!,
      lines: saved!.lines!.map(([id, line]): [string, typeof line] => [id, id === ichiro[0] ? { ...line, subscribed: true, associated: true } : line]),
    };
    cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0, state: after });
    expect(await entitlement()).toBe('activating');
  });
});
