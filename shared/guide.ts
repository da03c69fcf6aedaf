import type { Language } from './i18n';

/**
 * The parts of the start-up guide an event of the car's timeline belongs to: STEP 1 (the phone's or
 * PC's side, as the bench changes it) and STEP 2's BMW ID login, PIN code setting and Personal eSIM
 * setting (which ends with the telephone functions and the phone's pairing).
 */
export const guideSteps = ['step1', 'bmwIdLogin', 'pinSetting', 'personalEsim'] as const;
export type GuideStep = (typeof guideSteps)[number];

/** Each part as the bench console names it, after the guide's own headings. */
export const guideStepNames: Record<GuideStep, Record<Language, string>> = {
  step1: { en: 'STEP 1 Activate Personal eSIM (phone or PC)', ja: 'STEP 1 パーソナルeSIMの有効化（スマートフォン・パソコン）' },
  bmwIdLogin: { en: 'STEP 2 BMW ID login', ja: 'STEP 2 BMW ID ログイン' },
  pinSetting: { en: 'STEP 2 PIN code setting', ja: 'STEP 2 PINコードの設定' },
  personalEsim: { en: 'STEP 2 Personal eSIM setting', ja: 'STEP 2 パーソナルeSIMの設定' },
};
