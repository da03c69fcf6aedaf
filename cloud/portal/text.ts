import type { Language } from '../../shared/i18n';
import { texts } from '../web/html';

/** The BMW web portal's words (PC path, STEP 1 (2)); the guide gives them in Japanese. */
const ja = {
  'portal.title': 'BMW Webポータル',
  'portal.login': 'ログイン',
  'portal.bmwId': 'BMW ID',
  'portal.password': 'パスワード',
  'portal.loginButton': 'ログインする',
  'portal.wrongLogin': 'BMW IDまたはパスワードが正しくありません。',
  'portal.tooMany': '試行回数が多すぎます。{seconds}秒後にもう一度お試しください。',
  'portal.formExpired': 'このページの有効期限が切れました。もう一度お試しください。',
  'portal.personalEsim': 'パーソナルeSIM',
  'portal.activate': 'パーソナルeSIMの有効化',
  'portal.esimIntro': 'パーソナルeSIMで、クルマがお客様の携帯電話番号を利用できます（NTT DOCOMO ワンナンバーサービス）。',
  'portal.enterNumber': '携帯電話番号を入力して下さい',
  'portal.numbers': '電話番号',
  'portal.addNumber': '+電話番号の追加',
  'portal.number': '電話番号',
  'portal.numberType': '電話番号の種類',
  'portal.type.mobile': '携帯',
  'portal.type.home': '自宅',
  'portal.type.work': '勤務先',
  'portal.addNew': '新規電話番号の追加',
  'portal.numberInvalid': '電話番号を正しく入力してください。日本の電話番号として桁数が合いません（例：090-1234-5678）。',
  'portal.numberNotDigits': '電話番号は数字とハイフンで入力してください（例：090-1234-5678）。',
  'portal.notMobile': 'これは携帯電話の番号ではありません。携帯電話番号（070・080・090で始まる番号など）を入力するか、電話番号の種類を選び直してください。',
  'portal.tooManyNumbers': '電話番号は10件まで登録できます。',
  'portal.noNumbers': '登録されている電話番号はありません。',
  'portal.chooseNumber': '国、通信事業者、携帯番号をそれぞれ一覧から選んでください。',
  'portal.country': '国',
  'portal.japan': '日本',
  'portal.provider': '通信事業者',
  'portal.mobileNumber': '携帯番号',
  'portal.notTheLine': 'この携帯番号は、このBMW IDのNTT DOCOMOの契約と一致しません。契約中の携帯電話番号を選んでください。',
  'portal.noLine': 'このBMW IDのNTT DOCOMOの契約が見つかりません。',
  'portal.operator': 'NTT DOCOMO',
  'portal.cancelled': 'アカウント連携がキャンセルされました。パーソナルeSIMは有効になっていません。',
  'portal.failed': 'アカウント連携を完了できませんでした。もう一度「パーソナルeSIMの有効化」からお進みください。',
  'portal.logout': 'ログアウト',
};
type Key = keyof typeof ja;

const en: Record<Key, string> = {
  'portal.title': 'BMW web portal',
  'portal.login': 'Login',
  'portal.bmwId': 'BMW ID',
  'portal.password': 'Password',
  'portal.loginButton': 'Login',
  'portal.wrongLogin': 'The BMW ID or the password is not correct.',
  'portal.tooMany': 'Too many attempts. Try again in {seconds} s.',
  'portal.formExpired': 'This page has expired. Please try again.',
  'portal.personalEsim': 'Personal eSIM',
  'portal.activate': 'Activate Personal eSIM',
  'portal.esimIntro': 'With Personal eSIM, your BMW uses your mobile phone number (NTT DOCOMO One Number service).',
  'portal.enterNumber': 'Please enter your mobile phone number',
  'portal.numbers': 'Phone numbers',
  'portal.addNumber': '+ Add phone number',
  'portal.number': 'Phone number',
  'portal.numberType': 'Number type',
  'portal.type.mobile': 'Mobile',
  'portal.type.home': 'Home',
  'portal.type.work': 'Work',
  'portal.addNew': 'Add new phone number',
  'portal.numberInvalid': 'Enter the phone number in full: it has too few or too many digits for a number in Japan (for example 090-1234-5678).',
  'portal.numberNotDigits': 'Enter the phone number with digits and hyphens only (for example 090-1234-5678).',
  'portal.notMobile':
    'This is not a mobile phone number. Enter a mobile number (one starting with 070, 080 or 090, for example), or choose another number type.',
  'portal.tooManyNumbers': 'A profile holds up to 10 phone numbers.',
  'portal.noNumbers': 'No phone numbers yet.',
  'portal.chooseNumber': 'Choose the country, the provider and the mobile number from their lists.',
  'portal.country': 'Country',
  'portal.japan': 'Japan',
  'portal.provider': 'Mobile network provider',
  'portal.mobileNumber': 'Mobile number',
  'portal.notTheLine': "This number is not the NTT DOCOMO contract of this BMW ID's owner. Choose the contracted mobile number.",
  'portal.noLine': 'No NTT DOCOMO contract is known for this BMW ID.',
  'portal.operator': 'NTT DOCOMO',
  'portal.cancelled': 'The account association was cancelled. The Personal eSIM is not active.',
  'portal.failed': 'The account association could not be completed. Start again from "Activate Personal eSIM".',
  'portal.logout': 'Log out',
};

export type PortalKey = Key;
export type PortalT = (key: PortalKey, params?: Record<string, string | number>) => string;

/** The portal's words: Japanese, or English for an English browser. */
export function portalText(language: Language): PortalT {
  return texts(language === 'en' ? en : ja);
}
