/**
 * The English catalog is the source of keys: every other catalog must have exactly these keys
 * (a missing one is a type error). Wording for the guide's steps follows the start-up guide verbatim.
 * `{name}` placeholders are filled by `translate`.
 */
export const en = {
  'app.title': 'iDrive head unit',
  'status.noNetwork': 'No network',
  'status.bluetoothOn': 'Bluetooth on',
  'status.bluetoothOff': 'Bluetooth off',
  'status.guest': 'Guest',
  'status.data': 'Data',

  'menu.title': 'Menu',
  'menu.bmwId': 'BMW ID',
  'menu.mobileDevices': 'Mobile devices',
  'menu.telephone': 'Telephone',
  'menu.contacts': 'Contacts',
  'menu.settings': 'Settings',

  'bmwId.title': 'BMW ID',
  'bmwId.guest': 'Guest',
  'bmwId.add': 'Add BMW ID',
  'bmwId.active': 'Active',
  'bmwId.loginNotEmulated': 'Adding a BMW ID arrives with the BMW ID login of this emulator.',

  'mobileDevices.title': 'Mobile devices',
  'mobileDevices.none': 'No mobile devices paired.',

  'telephone.title': 'Telephone',
  'telephone.off': 'The telephone is off: no phone is connected and no Personal eSIM is set up.',

  'contacts.title': 'Contacts',
  'contacts.none': 'No contacts. Connect a phone to sync its address book.',

  'settings.title': 'Settings',
  'settings.language': 'Language',
  'settings.theme': 'Day/night mode',
  'settings.resolution': 'Display resolution',
  'settings.vehicleName': 'Vehicle name',
  'settings.factoryReset': 'Factory reset',
  'settings.themeDay': 'Day',
  'settings.themeNight': 'Night',
  'settings.languageEn': 'English',
  'settings.languageJa': '日本語',

  'factoryReset.title': 'Factory reset',
  'factoryReset.question': 'Reset the car to factory settings? All profiles, devices and settings on this car are deleted.',
  'factoryReset.confirm': 'Reset',
  'factoryReset.progress': 'Resetting the car…',

  'keyboard.ok': 'OK',
  'keyboard.delete': 'Delete',
  'keyboard.space': 'Space',
  'keyboard.shift': 'Shift',
  'keyboard.symbols': '@#&',
  'keyboard.letters': 'ABC',
  'keyboard.show': 'Show',
  'keyboard.hide': 'Hide',
  'keyboard.empty': 'Enter text',
  'vehicleName.invalid': 'Use 1 to 24 letters, digits, spaces or - _ . characters.',

  'pin.enter': 'Enter PIN',
  'pin.delete': 'Delete',

  'common.ok': 'OK',
  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.continue': 'Continue',
  'common.pleaseWait': 'Please wait…',

  'options.title': 'Options',
  'options.dayMode': 'Day mode',
  'options.nightMode': 'Night mode',

  'notEmulated.title': 'Not emulated',
  'notEmulated.navigation': 'Navigation is not emulated on this bench.',
  'notEmulated.media': 'Media is not emulated on this bench.',

  'phone.title': 'Scan QR code (BMW ID)',
  'phone.codePrompt': 'Enter the code shown on the car.',
  'phone.code': 'Code',
  'phone.next': 'Next',
  'phone.unknownCode': 'This code is not valid. Check the code on the car.',
  'phone.expiredCode': 'This code has expired. The car shows a new QR code: scan it again.',
  'phone.decidedCode': 'This login was already answered. Look at the car.',
  'phone.loginPrompt': 'Log in with your BMW ID to add it to the car.',
  'phone.email': 'E-mail',
  'phone.password': 'Password',
  'phone.login': 'Log in',
  'phone.wrongLogin': 'The e-mail address or password is not correct.',
  'phone.tooMany': 'Too many attempts. Try again in {seconds} s.',
  'phone.request': '{vehicle} asks to add your BMW ID {email}.',
  'phone.session': 'Session code: {code}',
  'phone.approve': 'Approve',
  'phone.deny': 'Deny',
  'phone.approved': 'Approved. Continue on the car.',
  'phone.denied': 'Denied. The car will not be logged in.',
  'phone.logout': 'Not {email}? Log out',
  'store.corruptTitle': 'Saved data damaged',
  'store.corrupt': 'The saved {area} could not be read. A copy was kept as {file}; defaults are in use.',
} as const;

export type MessageKey = keyof typeof en;
export type Catalog = { readonly [K in MessageKey]: string };
