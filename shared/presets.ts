import type { Language } from './i18n';

/**
 * The presets of the bench: the car and its world at a step of the start-up guide's STEP 2
 * (main/bench/presets.ts drives them), with the step each stands for.
 */
export const presetIds = ['guest', 'pinOffer', 'esimSettingUp', 'telephonyOffer', 'pairing', 'connected'] as const;
export type PresetId = (typeof presetIds)[number];

/** Each preset's guide step, in English and Japanese, as the bench console labels it. */
export const presetSteps: Record<PresetId, Record<Language, string>> = {
  guest: { en: 'A new car, Guest (before ①)', ja: '新しいクルマ、ゲスト（①の前）' },
  pinOffer: { en: 'Logged in, at "Set up PIN now" (⑥)', ja: 'ログイン済み、「今すぐPINを設定」（⑥）' },
  esimSettingUp: { en: 'Personal eSIM setting up (⑪)', ja: 'Personal eSIMの設定中（⑪）' },
  telephonyOffer: { en: 'The telephony pop-up (⑫)', ja: '電話機能のポップアップ（⑫）' },
  pairing: { en: 'Pairing, the code on both screens (⑬)', ja: 'ペアリング、両方の画面にコード（⑬）' },
  connected: { en: 'Connected, the phone paired (⑭)', ja: '接続済み、電話もペアリング済み（⑭）' },
};
