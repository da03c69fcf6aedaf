import { texts } from '../web/html';

/**
 * What NTT DOCOMO's pages say when something is not right (Japanese only, as the real site): the
 * logins' refusals and locks, the application's and the association's missing choices. `{name}`
 * parameters are filled in by `docomoText`.
 */
const catalog = {
  pinWrong: 'ネットワーク暗証番号が違います。あと{left}回間違えるとロックされます。',
  pinLocked: 'ネットワーク暗証番号がロックされました。ドコモショップで解除の手続きをするか、Wi-Fiに接続してdアカウントでログインしてください。',
  dAccountRefused: 'このdアカウントIDではログインできません。BMWで入力した電話番号の契約のdアカウントIDをご確認のうえ、もう一度入力してください。',
  passwordLocked:
    'パスワードを{tries}回続けて間違えたため、このdアカウントのログインを一時停止しています。約{minutes}分後にもう一度お試しください。パスワードを忘れた場合は、dアカウントのサイトで再設定してください。',
  passwordWrong: 'パスワードが違います。',
  codeWrong: 'セキュリティコードが違います。SMSのコードをもう一度ご確認ください。',
  codeExpired: 'セキュリティコードの有効期限が切れたか、入力回数の上限に達しました。「セキュリティコードを再送する」を押してください。',
  tooManyCodes: 'セキュリティコードの送信回数が上限に達しました。約{minutes}分後に「セキュリティコードを再送する」を押してください。',
  codeLocked: 'セキュリティコードを何度も間違えたため、この電話番号でのログインを一時停止しています。約{minutes}分後にもう一度お試しください。',
  chooseOption: 'マルチデバイスオプションにチェックを入れてください。',
  chooseOneNumber: '「ワンナンバーサービスを申し込む」にチェックを入れてください。',
  consent: '注意事項・利用規約・パーソナルデータの取扱いに同意してください。',
  payment: 'お支払い方法を選択してください。',
  requestExpired: 'My BMWアプリからのリクエストの有効期限が切れました。My BMWアプリからもう一度お進みください。',
  associationConsent: '「同意する」にチェックを入れてください。',
  association: 'アカウント連携',
  associated: 'サービスの連携を開始しました。',
};

export type DocomoKey = keyof typeof catalog;
/** One of docomo's messages, its parameters filled in. */
export const docomoText = texts(catalog);
/** A wait in whole minutes, as the carrier says it (at least one). */
export const minutesOf = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));
