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
  'entry',
] as const;
export type ScreenId = (typeof screenIds)[number];
