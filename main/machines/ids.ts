/*
 * The head unit's vocabulary, shared by its machines and its screens: which screens, pop-ups and
 * keyboard entries exist. The machines own it; the screens draw what it names.
 */

/** Every screen the head unit can show. */
export const screenIds = [
  'menu',
  'bmwId',
  'bmwId.profile',
  'mobileDevices',
  'esim',
  'bt.search',
  'bt.device',
  'telephone',
  'contacts',
  'contact',
  'calls',
  'call',
  'settings',
  'settings.language',
  'settings.theme',
  'settings.resolution',
  'settings.about',
  'settings.licences',
  'entry',
] as const;
export type ScreenId = (typeof screenIds)[number];

/** Every pop-up. */
export const popupIds = [
  'options',
  'factoryReset',
  'notEmulated.navigation',
  'notEmulated.media',
  'profile.remove',
  'storeCorrupt',
  'esim.telephony',
  'esim.failed',
  'bt.pairing',
  'bt.remove',
  'bt.evict',
  'call.incoming',
  'reset.done',
  'reset.doneWithoutEsim',
] as const;
export type PopupId = (typeof popupIds)[number];

/** What a keyboard entry is for (each has its own check and OK: `keyboard.ts`). */
export const entryPurposes = ['vehicleName', 'email', 'password', 'pin', 'pinConfirm', 'pinUnlock', 'dial', 'contactSearch'] as const;
export type EntryPurpose = (typeof entryPurposes)[number];
