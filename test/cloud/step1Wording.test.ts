import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type Cloud } from '../../cloud/server';
import { defaultScenario } from '../../shared/scenario';
import { appToCarrier, SiteClient } from '../support/siteClient';

/**
 * The guide's words for STEP 1, page by page, in each language the guide gives them: the My BMW
 * app in Japanese and English (steps 2–12), the carrier's pages in Japanese. A label that drifts
 * from the guide fails here, with its step.
 */
let cloud: Cloud;
beforeAll(async () => {
  cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
});
afterAll(async () => cloud?.close());

const app = {
  'ja-JP': {
    '2': ['サインインまたは登録'],
    '3': ['続ける'],
    '4': ['BMW ID', 'パスワード', 'ログインする', 'はじめて登録する'],
    '6': ['暗証番号4桁を設定'],
    '7': ['確認のため暗証番号を再度入力'],
    '8': ['同意します。', '同意する'],
    '9': ['MY BMWへようこそ'],
    '10': ['パーソナルeSIM'],
    '11': ['パーソナルeSIMの有効化'],
    '12': ['国', '日本', '通信事業者', 'NTT DOCOMO', '契約中の電話番号の下4桁', '通信事業者のサイトに接続する'],
  },
  'en-US': {
    '2': ['LOGIN OR REGISTER'],
    '3': ['Continue'],
    '4': ['BMW ID', 'Password', 'Login', 'Register now'],
    '6': ['Set 4-digit PIN code'],
    '7': ['Enter the same PIN code again'],
    '8': ['I agree', 'AGREE'],
    '9': ['Welcome to MY BMW'],
    '10': ['Personal eSIM'],
    '11': ['ACTIVATE ESIM'],
    '12': ['Country', 'Japan', 'Mobile network provider', 'NTT DOCOMO', 'Last 4 digits of your phone number', 'CHECK WITH PROVIDER'],
  },
} as const;

describe("STEP 1's wording", () => {
  it.each(Object.keys(app) as (keyof typeof app)[])('the My BMW app in %s says what the guide says, step by step', async (language) => {
    const phone = new SiteClient(cloud.url, language);
    const seen: Record<string, string> = {};
    const look = () => (seen[phone.step()!] = phone.page);
    await phone.get('/app');
    look();
    await phone.get('/app/start');
    look();
    await phone.get('/app/login');
    look();
    await phone.post('/app/login', { email: 'ichiro@example.com', password: 'onenumber-start' });
    look();
    await phone.post('/app/pin', { pin: '2580' });
    look();
    await phone.post('/app/pin/confirm', { pin: '2580' });
    look();
    await phone.post('/app/terms', { agree: 'on' });
    look();
    await phone.get('/app/profile');
    look();
    await phone.get('/app/esim');
    look();
    await phone.get('/app/esim/activate');
    look();
    for (const [step, labels] of Object.entries(app[language])) {
      for (const label of labels) expect(seen[step], `step ${step}: "${label}"`).toContain(label);
    }
  });

  it("the carrier's pages say what the guide says, in Japanese", async () => {
    const phone = new SiteClient(cloud.url, 'en-US'); // (the carrier's site is Japanese whatever the phone's language)
    await appToCarrier(phone);
    expect(phone.page).toContain('lang="ja"');
    await phone.post('/docomo/login/daccount', { dAccount: 'ichiro.docomo' });
    expect(phone.page).toContain('セキュリティコード');
    await phone.post('/docomo/login/code', { password: 'docomo-demo-2', code: /セキュリティコード：(\d{6})/.exec(phone.page)![1]! });
    expect(phone.page).toContain('ワンナンバーサービスを申し込む');
    await phone.get('/docomo/apply');
    for (const label of [
      'ワンナンバーサービスを申し込む',
      'ワンナンバーサービス 注意事項・利用規約・パーソナルデータの取扱い',
      'ワンナンバーサービスの注意事項・利用規約・パーソナルデータの取扱いに同意する',
      '氏名［フリガナ］',
      '氏名［漢字］',
      '生年月日',
      '住所',
      'ご利用者の年齢',
      '適用開始日',
      'お申込書の交付方法',
      '次へ',
    ]) {
      expect(phone.page, label).toContain(label);
    }
    await phone.get('/docomo/terms?for=oneNumber');
    expect(phone.page).toContain('閉じる');
    // A box posted with a value no form sends is not ticked, and is explained on the form (not a server error).
    await phone.get('/docomo/apply');
    await phone.post('/docomo/apply', { oneNumber: 'yes', consent: 'sure' });
    expect(phone.status).toBe(200);
    expect(phone.page).toContain('「ワンナンバーサービスを申し込む」にチェックを入れてください。');
  });

  it('says in the app when the operator, the country or the last 4 digits are not the contract, before any carrier page', async () => {
    const phone = new SiteClient(cloud.url, 'en-US');
    await appToCarrier(phone, 'ichiro@example.com', 'onenumber-start', '0000');
    expect(phone.page).toContain('These are not the last 4 digits of the number contracted for this BMW ID.');
    await phone.post('/app/esim/activate', { country: 'JP', provider: 'other', last4: '1357' });
    expect(phone.page).toContain('Personal eSIM is available with NTT DOCOMO in Japan only.');
    await phone.post('/app/esim/activate', { country: 'DE', provider: 'docomo', last4: '1357' });
    expect(phone.page).toContain('Personal eSIM is available with NTT DOCOMO in Japan only.');
    const taro = new SiteClient(cloud.url, 'en-US');
    await appToCarrier(taro, 'taro@example.com', 'bmw-id-demo', '1234');
    expect(taro.page).toContain('No NTT DOCOMO contract is known for this BMW ID.');
    expect(taro.step()).toBe('12');
  });

  it('"Register now" makes a BMW ID, which goes on to the PIN; an e-mail address with one is told to log in', async () => {
    const phone = new SiteClient(cloud.url, 'en-US');
    await phone.get('/app/register');
    await phone.post('/app/register', { name: 'Saburo Ito', email: 'saburo@example.com', password: 'short' });
    expect(phone.page).toContain('a password of 8 characters or more');
    await phone.post('/app/register', { name: 'Saburo Ito', email: 'ichiro@example.com', password: 'long-enough-1' });
    expect(phone.page).toContain('A BMW ID with this e-mail address exists. Log in instead.');
    await phone.post('/app/register', { name: 'Saburo Ito', email: 'saburo@example.com', password: 'long-enough-1' });
    expect(phone.step()).toBe('6');
    // and it logs in from then on, on the app as on the car
    const again = new SiteClient(cloud.url, 'en-US');
    await again.get('/app/login');
    await again.post('/app/login', { email: 'saburo@example.com', password: 'long-enough-1' });
    expect(again.step()).toBe('6');
  });
});
