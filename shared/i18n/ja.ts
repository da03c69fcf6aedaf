import type { Catalog } from './en';

/** Japanese wording. Guide steps use the start-up guide's own words. */
export const ja: Catalog = {
  'app.title': 'iDrive ヘッドユニット',
  'status.noNetwork': '圏外',
  'status.bluetoothOn': 'Bluetooth オン',
  'status.bluetoothOff': 'Bluetooth オフ',
  'status.guest': 'ゲスト',
  'status.data': 'データ',

  'menu.title': 'メニュー',
  'menu.bmwId': 'BMW ID',
  'menu.mobileDevices': '携帯機器',
  'menu.telephone': '電話',
  'menu.contacts': '連絡先',
  'menu.settings': '設定',

  'bmwId.title': 'BMW ID',
  'bmwId.guest': 'ゲスト',
  'bmwId.add': 'BMW IDの追加',
  'bmwId.active': '使用中',
  'bmwId.loginNotEmulated': 'BMW IDの追加は、このエミュレーターのBMW IDログイン機能で提供されます。',

  'mobileDevices.title': '携帯機器',
  'mobileDevices.none': 'ペアリングされた携帯機器はありません。',

  'telephone.title': '電話',
  'telephone.off': '電話はオフです。電話機が接続されておらず、パーソナルeSIMも設定されていません。',

  'contacts.title': '連絡先',
  'contacts.none': '連絡先はありません。電話機を接続すると電話帳が同期されます。',

  'settings.title': '設定',
  'settings.language': '言語',
  'settings.theme': 'デイ/ナイトモード',
  'settings.resolution': 'ディスプレイ解像度',
  'settings.vehicleName': '車両名',
  'settings.factoryReset': '工場出荷時の設定に戻す',
  'settings.themeDay': 'デイ',
  'settings.themeNight': 'ナイト',
  'settings.languageEn': 'English',
  'settings.languageJa': '日本語',

  'factoryReset.title': '工場出荷時の設定に戻す',
  'factoryReset.question': 'クルマを工場出荷時の設定に戻しますか？このクルマのプロフィール、機器、設定はすべて削除されます。',
  'factoryReset.confirm': 'リセット',
  'factoryReset.progress': 'クルマをリセットしています…',

  'keyboard.ok': 'OK',
  'keyboard.delete': '削除',
  'keyboard.space': 'スペース',
  'keyboard.shift': 'Shift',
  'keyboard.symbols': '@#&',
  'keyboard.letters': 'ABC',
  'keyboard.show': '表示',
  'keyboard.hide': '非表示',
  'keyboard.empty': '入力してください',
  'vehicleName.invalid': '英数字、スペース、- _ . を1～24文字で入力してください。',

  'pin.enter': 'PINを入力',
  'pin.delete': '削除',

  'common.ok': 'OK',
  'common.cancel': 'キャンセル',
  'common.close': '閉じる',
  'common.continue': '続行',
  'common.pleaseWait': 'お待ちください…',

  'options.title': 'オプション',
  'options.dayMode': 'デイモード',
  'options.nightMode': 'ナイトモード',

  'notEmulated.title': 'エミュレート対象外',
  'notEmulated.navigation': 'ナビゲーションはこのベンチではエミュレートされません。',
  'notEmulated.media': 'メディアはこのベンチではエミュレートされません。',

  'store.corruptTitle': '保存データの破損',
  'store.corrupt': '保存された{area}を読み込めませんでした。コピーを{file}として保存し、初期設定を使用しています。',
};
