import { languageFromLocale, type Language } from '../../shared/i18n';
/** The console's words, in the bench's language (the browser's: Japanese where it asks for it, else English). */
const en = {
  title: 'Bench console', connected: 'connected to the car', disconnected: 'not connected: retrying',
  cellular: 'Cellular', signal: 'Signal', registration: 'Registration', resetModule: 'Reset module',
  ringCar: 'Ring the car', number: 'Number', otherAnswers: 'Other party answers', otherHangsUp: 'Other party hangs up', calls: 'Calls', none: 'none',
  esim: 'eSIM and SM-DP+', step: 'Step', kind: 'Fault', reason: 'errorReason', afterSegments: 'After segments', addFault: 'Add fault',
  queue: 'Faults waiting (each applies to one download)', everyDownload: 'every download', clearFaults: 'Clear faults',
  phones: 'Bluetooth phones', inRange: 'In range', outOfRange: 'Out of range', paired: 'paired', connectedPhone: 'connected',
  goAway: 'Walk away', comeBack: 'Come back', allowSharing: 'Allow contact sharing', refuseSharing: 'Refuse contact sharing',
  pairFromPhone: 'Pair from the phone', forgetCar: 'Forget the car', pairingCode: 'Pairing code on the phone', accept: 'Accept', decline: 'Decline',
  car: 'Car', factoryReset: 'Factory reset', language: 'Language', theme: 'Display', resolution: 'Resolution', day: 'Day', night: 'Night',
  screenshot: 'Screenshot', saveScreenshot: 'Save display.png', worldReset: 'Factory reset of car and world',
  preset: 'Guide step', applyPreset: 'Go there', presetRunning: 'The car is driven there (the eSIM set-up takes its time)…',
  cloud: 'BMW IDs and lines', cloudUnreachable: 'the cloud does not answer', bmwId: 'BMW ID', line: 'NTT DOCOMO line', noLine: 'no line',
  subscribed: 'One Number', notSubscribed: 'One Number not subscribed', associated: 'associated',
  giveLine: 'Give a line', removeLine: 'Take the line away', step1: 'STEP 1', oneNumber: 'One Number', multiDevice: 'Multi-Device Option',
  rewindStep1: 'Rewind STEP 1', readSms: 'Text messages', smsInbox: 'Text messages on the phone',
  outage: 'The cloud for the car', 'outage.none': 'working', 'outage.unreachable': 'unreachable', 'outage.error': 'failing (503)',
  'outage.slow': 'slow', delaySeconds: 'Seconds per answer', applyOutage: 'Apply', networkPin: 'Network PIN', dAccount: 'd ACCOUNT ID', dPassword: 'd ACCOUNT password',
  timeline: 'Timeline', machines: 'Live machines', export: 'Export (JSON lines)', all: 'all', show: 'Show',
  real: 'real hardware: no world controls',
  checkpoints: 'Checkpoints', checkpointName: 'Name', saveCheckpoint: 'Save', restoreCheckpoint: 'Restore', noCheckpoints: 'none saved yet',
  savedAt: 'Saved', size: 'Size', restoring: 'Restoring: the car restarts…', restored: 'Restored',
  orders: 'SM-DP+ orders', matchingId: 'MatchingID', owner: 'For', state: 'State', expired: 'expired',
  fromContact: 'From a contact', behaviour: 'The world', phoneOn: 'The phone in STEP 1 is on', wifi: 'Wi-Fi (d ACCOUNT)',
  onCellular: 'cellular (network PIN)', qrLifetime: 'QR code lifetime (s)', applyQr: 'Set', pace: 'Pace of the module and phones',
  'pace.0': 'at once', 'pace.0.5': 'twice as fast', 'pace.1': 'real', 'pace.2': 'twice as slow', 'pace.5': 'five times as slow',
} as const;
export type ConsoleKey = keyof typeof en;
const ja: Record<ConsoleKey, string> = {
  title: 'ベンチコンソール', connected: 'クルマに接続中', disconnected: '未接続: 再接続しています',
  cellular: 'モバイル通信', signal: '電波', registration: '登録状態', resetModule: 'モジュールをリセット',
  ringCar: 'クルマに電話をかける', number: '電話番号', otherAnswers: '相手が応答', otherHangsUp: '相手が切断', calls: '通話', none: 'なし',
  esim: 'eSIMとSM-DP+', step: 'ステップ', kind: '障害', reason: 'errorReason', afterSegments: 'セグメント数の後', addFault: '障害を追加',
  queue: '待機中の障害（1回のダウンロードに1件ずつ）', everyDownload: '毎回のダウンロード', clearFaults: '障害をクリア',
  phones: 'Bluetoothの電話', inRange: '圏内', outOfRange: '圏外', paired: 'ペアリング済み', connectedPhone: '接続中',
  goAway: '離れる', comeBack: '戻る', allowSharing: '連絡先の共有を許可', refuseSharing: '連絡先の共有を拒否',
  pairFromPhone: '電話からペアリング', forgetCar: 'クルマの登録を削除', pairingCode: '電話のペアリングコード', accept: '許可', decline: '拒否',
  car: 'クルマ', factoryReset: '工場出荷時の設定に戻す', language: '言語', theme: '表示', resolution: '解像度', day: '昼', night: '夜',
  screenshot: 'スクリーンショット', saveScreenshot: 'display.pngを保存', worldReset: 'クルマとワールドを初期化',
  preset: 'ガイドのステップ', applyPreset: '移動', presetRunning: 'クルマを操作しています（eSIMの設定には時間がかかります）…',
  cloud: 'BMW IDと回線', cloudUnreachable: 'クラウドが応答しません', bmwId: 'BMW ID', line: 'NTT DOCOMOの回線', noLine: '回線なし',
  subscribed: 'ワンナンバー契約中', notSubscribed: 'ワンナンバー未契約', associated: '連携済み',
  giveLine: '回線を付与', removeLine: '回線を削除', step1: 'STEP 1', oneNumber: 'ワンナンバー', multiDevice: 'マルチデバイスオプション',
  rewindStep1: 'STEP 1をやり直す', readSms: 'SMS', smsInbox: '電話のSMS',
  outage: 'クルマから見たクラウド', 'outage.none': '正常', 'outage.unreachable': '接続不可', 'outage.error': '障害（503）',
  'outage.slow': '遅延', delaySeconds: '応答ごとの秒数', applyOutage: '適用', networkPin: 'ネットワーク暗証番号', dAccount: 'dアカウントID', dPassword: 'dアカウントのパスワード',
  timeline: 'タイムライン', machines: 'ステートマシン', export: 'エクスポート（JSON Lines）', all: 'すべて', show: '表示',
  real: '実機: ワールド操作なし',
  checkpoints: 'チェックポイント', checkpointName: '名前', saveCheckpoint: '保存', restoreCheckpoint: '復元', noCheckpoints: 'まだ保存されていません',
  savedAt: '保存日時', size: 'サイズ', restoring: '復元中: クルマを再起動しています…', restored: '復元しました',
  orders: 'SM-DP+の注文', matchingId: 'MatchingID', owner: '対象', state: '状態', expired: '期限切れ',
  fromContact: '連絡先から', behaviour: 'ワールド', phoneOn: 'STEP 1の電話の接続', wifi: 'Wi-Fi（dアカウント）',
  onCellular: 'モバイル通信（ネットワーク暗証番号）', qrLifetime: 'QRコードの有効期間（秒）', applyQr: '設定', pace: 'モジュールと電話の速さ',
  'pace.0': '即時', 'pace.0.5': '2倍速', 'pace.1': '実機どおり', 'pace.2': '2倍遅く', 'pace.5': '5倍遅く',
};

export type ConsoleText = (key: ConsoleKey) => string;
export function consoleText(language: string): ConsoleText {
  const table = ({ en, ja } satisfies Record<Language, Record<ConsoleKey, string>>)[languageFromLocale(language)];
  return (key) => table[key];
}
