import { BmwIdClient } from '../../main/bmwId/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type Cloud } from '../../cloud/server';
import { defaultScenario, Scenario } from '../../shared/scenario';
import { appToCarrier, SiteClient } from '../support/siteClient';

/**
 * Every path through the carrier's side of STEP 1, over HTTP as a phone makes it: the login
 * (network PIN on cellular, d ACCOUNT with its SMS code on Wi-Fi, each after a wrong try), the
 * line as it starts (nothing, One Number, One Number with the option), the application (One
 * Number alone or with the option, the option alone, none), and the association (agreed, or
 * cancelled). Each path ends in the app, which shows the result; the world must agree.
 */
type Start = 'none' | 'subscribed' | 'withOption';
type Apply = 'oneNumber' | 'both' | 'option' | 'skip';
const applies: Record<Start, Apply[]> = { none: ['oneNumber', 'both'], subscribed: ['option', 'skip'], withOption: ['skip'] };
const paths = (['wifi', 'cellular'] as const).flatMap((phoneOn) =>
  (Object.keys(applies) as Start[]).flatMap((start) =>
    applies[start].flatMap((apply) => (['associate', 'cancel'] as const).map((decision) => ({ phoneOn, start, apply, decision }))),
  ),
);

let cloud: Cloud;
beforeAll(async () => {
  cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
});
afterAll(async () => cloud?.close());

const details = {
  kanaLast: 'サトウ',
  kanaFirst: 'イチロウ',
  kanjiLast: '佐藤',
  kanjiFirst: '一郎',
  birthday: '1985-04-12',
  postalCode: '1006150',
  address: '東京都千代田区永田町2-11-1',
  age: 'adult',
  delivery: 'web',
};

describe('the carrier flow of STEP 1, path by path', () => {
  it(`walks all ${paths.length} paths and ends where the world says`, async () => {
    for (const path of paths) {
      const name = JSON.stringify(path);
      const line = { subscribed: path.start !== 'none', multiDevice: path.start === 'withOption' };
      cloud.load(
        Scenario.parse({
          ...defaultScenario,
          cloud: { phoneOn: path.phoneOn },
          accounts: defaultScenario.accounts.map((a) => (a.email === 'ichiro@example.com' ? { ...a, oneNumber: { ...a.oneNumber!, ...line } } : a)),
        }),
      );
      const phone = new SiteClient(cloud.url);
      // The app, up to "CHECK WITH PROVIDER".
      await appToCarrier(phone);
      expect(phone.step(), name).toBe('14');

      if (path.phoneOn === 'cellular') {
        await phone.post('/docomo/login/pin', { pin: '0000' });
        expect(phone.page, name).toContain('あと2回');
        await phone.post('/docomo/login/pin', { pin: '1357' });
      } else {
        await phone.post('/docomo/login/daccount', { dAccount: 'nobody.docomo' });
        expect(phone.page, name).toContain('このdアカウントIDではログインできません');
        await phone.post('/docomo/login/daccount', { dAccount: 'ICHIRO.docomo' });
        await phone.post('/docomo/login/resend', {});
        const code = /セキュリティコード：(\d{6})/.exec(phone.page)![1]!;
        await phone.post('/docomo/login/code', { password: 'not-the-password', code });
        expect(phone.page, name).toContain('パスワードが違います');
        await phone.post('/docomo/login/code', { password: 'docomo-demo-2', code: code === '999999' ? '000000' : '999999' });
        expect(phone.page, name).toContain('セキュリティコードが違います');
        await phone.post('/docomo/login/code', { password: 'docomo-demo-2', code });
      }
      expect(phone.page, name).toContain(
        line.subscribed
          ? line.multiDevice
            ? 'ワンナンバーサービス+マルチデバイスオプション契約中'
            : 'ワンナンバーサービス契約中'
          : 'ワンナンバーサービス未契約',
      );

      const expected = { ...line };
      if (path.apply !== 'skip') {
        await phone.get(path.apply === 'option' ? '/docomo/apply?option=multiDevice' : '/docomo/apply');
        await phone.post('/docomo/apply', {
          ...details,
          consent: 'on',
          ...(path.apply === 'option' ? { oneNumber: 'off', multiDevice: 'on' } : { oneNumber: 'on', ...(path.apply === 'both' ? { multiDevice: 'on' } : {}) }),
        });
        expect(phone.step(), `${name}: ${phone.page}`).toBe('24');
        await phone.post('/docomo/apply/payment', { payment: 'withPhone' });
        await phone.post('/docomo/apply/complete', {});
        expect(phone.page, name).toContain('お手続きが完了いたしました。');
        await phone.get(phone.link('戻る'));
        expected.subscribed = true;
        expected.multiDevice = path.apply !== 'oneNumber' || line.multiDevice;
        expect(phone.page, name).toContain(expected.multiDevice ? 'ワンナンバーサービス+マルチデバイスオプション契約中' : 'ワンナンバーサービス契約中');
      }
      // Without the option, the page offers it; with it, it does not.
      expect(phone.page.includes('マルチデバイスオプションを申し込む'), name).toBe(!expected.multiDevice);

      await phone.get(phone.link('クルマで利用する'));
      if (path.decision === 'cancel') {
        await phone.post('/docomo/association', { decision: 'cancel' });
        expect(phone.page, name).toContain('アカウント連携がキャンセルされました');
      } else {
        await phone.post('/docomo/association', { decision: 'associate' });
        expect(phone.page, name).toContain('「同意する」にチェックを入れてください'); // the consent is not ticked
        await phone.post('/docomo/association', { decision: 'associate', consent: 'on' });
        await phone.get(phone.link('戻る'));
        expect(phone.step(), name).toBe('39');
        await phone.post('/app/esim/open', {
          code: /name="code" value="([^"]+)"/.exec(phone.page)![1]!,
          state: /name="state" value="([^"]+)"/.exec(phone.page)![1]!,
        });
        expect(phone.page, name).toContain('リクエスト完了');
        await phone.get('/app/esim');
        expect(phone.page, name).toContain('+81 90-2468-1357 <span class="active" data-esim-state>有効</span>');
      }
      const world = new SiteClient(cloud.url);
      const tokens = JSON.parse(
        await world.post('/oauth/token', {
          grant_type: 'password',
          client_id: 'idrive-head-unit',
          username: 'ichiro@example.com',
          password: 'onenumber-start',
        }),
      ) as { access_token: string };
      const entitlement = await new BmwIdClient(() => cloud.url).entitlement(tokens.access_token, '89049032000000000000000000000009');
      expect(entitlement, name).toEqual(
        path.decision === 'associate' ? expect.objectContaining({ serviceStatus: 'activating' }) : { serviceStatus: 'deactivated', reason: 'notAssociated' },
      );
    }
  });
});
