/** Every screen the head unit can show. */
export const screenIds = [
  'menu',
  'bmwId',
  'bmwId.profile',
  'mobileDevices',
  'esim',
  'telephone',
  'contacts',
  'settings',
  'settings.language',
  'settings.theme',
  'settings.resolution',
  'entry',
] as const;
export type ScreenId = (typeof screenIds)[number];
