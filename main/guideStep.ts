import type { GuideStep } from '../shared/guide';
import type { View } from '../shared/view';

const pinScreens = new Set(['login.pinOffer', 'login.pinSet', 'entry.pin', 'entry.pinConfirm']);
const loginScreens = new Set(['bmwId', 'entry.email', 'entry.password', 'unlock.login']);
const esimScreens = new Set(['mobileDevices', 'esim', 'bt.search', 'bt.device']);
const esimPopups = new Set(['esim.telephony', 'esim.failed', 'bt.pairing']);

/**
 * The part of STEP 2 the car is at, from what the display shows (the pop-up first) and, on a
 * screen of no part, whether the Personal eSIM is being set up behind it (`esimState`: the eSIM
 * machine's state as JSON, e.g. `{"settingUp":"download"}`). Null: outside the guide (menus,
 * settings, calls).
 */
export function guideStepOf(view: Pick<View, 'screen' | 'popup'>, esimState: string | undefined): GuideStep | null {
  const popup = view.popup?.id;
  if (popup && esimPopups.has(popup)) return 'personalEsim';
  const screen = view.screen.id;
  if (pinScreens.has(screen)) return 'pinSetting';
  if (screen.startsWith('login.') || loginScreens.has(screen)) return 'bmwIdLogin';
  if (esimScreens.has(screen)) return 'personalEsim';
  if (esimState && /waitingForDriver|settingUp|retrying|enabling/.test(esimState)) return 'personalEsim';
  return null;
}
