import type { MessageKey } from '../../shared/i18n';
import type { PopupModel, ScreenInput } from './model';
import type { PopupId } from '../machines/ids';
import { chosenDevice, pairedDevices } from './bluetooth';
import { nameFor } from './phone';
import { failureReason, supportCode } from './esim';

const close = { type: 'popup.close' } as const;

/** What each stored area holds, in the driver's words. */
const areaLabels: Record<string, MessageKey> = {
  settings: 'store.area.settings',
  profiles: 'store.area.profiles',
  tokens: 'store.area.tokens',
  pins: 'store.area.pins',
  devices: 'store.area.devices',
  'esim-sessions': 'store.area.sessions',
  'sim-modem': 'store.area.simModem',
  'sim-phones': 'store.area.simPhones',
  'cloud-world': 'store.area.cloudWorld',
};

/** An area in the driver's words; a phone's own files (`<profile>.<address>.contacts`, `….calls`) by what they hold. */
function areaLabelOf(area: string): MessageKey {
  if (areaLabels[area]) return areaLabels[area];
  if (area.endsWith('.contacts')) return 'store.area.phoneContacts';
  if (area.endsWith('.calls')) return 'store.area.phoneCalls';
  return 'store.area.other';
}

/** Pop-ups: the first row is the default choice. */
export function popupModel(input: ScreenInput, id: PopupId): PopupModel {
  const { context, t } = input;
  const ok = { id: 'ok', kind: 'action' as const, label: t('common.ok'), press: close };
  switch (id) {
    case 'options': {
      const night = context.settings.theme === 'night';
      return {
        id,
        title: t('options.title'),
        text: '',
        dismiss: close,
        rows: [
          {
            id: 'theme',
            kind: 'action',
            label: t(night ? 'options.dayMode' : 'options.nightMode'),
            press: { type: 'settings.set', patch: { theme: night ? 'day' : 'night' } },
          },
          { id: 'close', kind: 'action', label: t('common.close'), press: close },
        ],
      };
    }
    case 'factoryReset':
      // Cancel is the default: a destructive choice is never one press away.
      return {
        id,
        title: t('factoryReset.title'),
        text: t('factoryReset.question'),
        dismiss: close,
        rows: [
          { id: 'cancel', kind: 'action', label: t('common.cancel'), press: close },
          { id: 'confirm', kind: 'action', label: t('factoryReset.confirm'), tone: 'stop', press: { type: 'reset.confirm' } },
        ],
      };
    case 'reset.done':
    case 'reset.doneWithoutEsim':
      return {
        id,
        title: t('factoryReset.title'),
        text: t(id === 'reset.done' ? 'factoryReset.done' : 'factoryReset.doneWithoutEsim'),
        dismiss: close,
        rows: [ok],
      };
    case 'notEmulated.navigation':
    case 'notEmulated.media':
      return {
        id,
        title: t('notEmulated.title'),
        dismiss: close,
        rows: [ok],
        text: t(id === 'notEmulated.navigation' ? 'notEmulated.navigation' : 'notEmulated.media'),
      };
    case 'profile.remove': {
      const profile = context.profiles.profiles.find((p) => p.id === context.chosenProfile);
      return {
        id,
        title: t('profile.removeTitle'),
        dismiss: close,
        text: t('profile.removeQuestion', { name: profile?.name ?? '', email: profile?.email ?? '' }),
        rows: [
          { id: 'cancel', kind: 'action', label: t('common.cancel'), press: close },
          { id: 'confirm', kind: 'action', label: t('profile.remove'), tone: 'stop', press: { type: 'profile.remove' } },
        ],
      };
    }
    case 'esim.telephony':
      // Guide step 12. Choosing it turns on telephony over the eSIM; pairing the phone (step 13) follows it.
      return {
        id,
        title: t('esim.title'),
        text: t('esim.setUpDone'),
        dismiss: close,
        rows: [
          { id: 'activate', kind: 'action', label: t('esim.activateTelephone'), press: { type: 'esim.activateTelephone' } },
          { id: 'notNow', kind: 'action', label: t('esim.notNow'), press: close },
        ],
      };
    case 'esim.failed': {
      // The set-up stopped: the reason, the code for a support call, and the way forward.
      const code = supportCode(input);
      return {
        id,
        title: t('esim.title'),
        dismiss: close,
        text: `${t('esim.failed')} ${failureReason(input)}${code ? `\n${t('esim.supportCode', { code })}` : ''}`,
        rows: [
          { id: 'retry', kind: 'action', label: t('esim.retry'), press: { type: 'esim.retry' } },
          { id: 'ok', kind: 'action', label: t('common.ok'), press: close },
        ],
      };
    }
    case 'bt.pairing': {
      // Guide step 13: the code the car shows must be the one on the phone.
      const ctx = input.bluetooth?.context;
      const reject = { type: 'bt.confirm', accept: false } as const;
      return {
        id,
        title: t('bt.pairingTitle'),
        dismiss: reject,
        highlight: ctx?.passkey ?? '',
        text: t('bt.pairingCode', { name: ctx?.target?.name ?? '' }),
        rows: [
          { id: 'confirm', kind: 'action', label: t('bt.confirm'), press: { type: 'bt.confirm', accept: true } },
          { id: 'cancel', kind: 'action', label: t('common.cancel'), press: reject },
        ],
      };
    }
    case 'bt.remove': {
      const device = chosenDevice(input);
      return {
        id,
        title: t('bt.remove'),
        dismiss: close,
        text: t('bt.removeQuestion', { name: device?.name ?? '' }),
        rows: [
          { id: 'cancel', kind: 'action', label: t('common.cancel'), press: close },
          { id: 'confirm', kind: 'action', label: t('bt.remove'), tone: 'stop', press: { type: 'bt.remove', address: device?.address ?? '' } },
        ],
      };
    }
    case 'bt.evict': {
      const devices = pairedDevices(input);
      return {
        id,
        title: t('bt.connectNew'),
        dismiss: close,
        text: t('bt.evictQuestion', { cap: devices.length, name: devices[0]?.name ?? '' }),
        rows: [
          { id: 'cancel', kind: 'action', label: t('common.cancel'), press: close },
          { id: 'confirm', kind: 'action', label: t('bt.evictConfirm'), tone: 'stop', press: { type: 'bt.evict' } },
        ],
      };
    }
    case 'call.incoming': {
      const call = input.telephone?.context.calls.find((c) => c.state === 'incoming' || c.state === 'waiting');
      const via = call?.via === 'phone' ? t('call.viaPhone') : t('call.viaEsim');
      return {
        id,
        title: t('call.incomingTitle'),
        dismiss: null,
        text: call ? `${nameFor(input, call.number)}\n${via}` : '',
        rows: [
          { id: 'answer', kind: 'action', label: t('call.answer'), tone: 'go', press: { type: 'tel.answer' } },
          { id: 'decline', kind: 'action', label: t('call.decline'), tone: 'stop', press: { type: 'tel.decline' } },
        ],
      };
    }
    case 'storeCorrupt': {
      const notice = context.notices[0];
      if (!notice) return { id, title: t('store.corruptTitle'), dismiss: close, rows: [ok], text: '' };
      const params = { area: t(areaLabelOf(notice.area)), file: notice.file, code: notice.code ?? '' };
      return {
        id,
        title: t(notice.kind === 'damaged' ? 'store.corruptTitle' : 'store.problemTitle'),
        dismiss: close,
        rows: [ok],
        text: t({ damaged: 'store.corrupt', unreadable: 'store.unreadable', unwritable: 'store.unwritable' }[notice.kind] as MessageKey, params),
      };
    }
  }
}
