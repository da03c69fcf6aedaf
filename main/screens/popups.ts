import type { PopupModel, ScreenInput } from './model';

export const popupIds = ['options', 'factoryReset', 'notEmulated.navigation', 'notEmulated.media', 'profile.remove', 'storeCorrupt', 'esim.telephony'] as const;
export type PopupId = (typeof popupIds)[number];

const close = { type: 'popup.close' } as const;

/** Pop-ups: the first row is the default choice. */
export function popupModel({ context, t }: ScreenInput, id: PopupId): PopupModel {
  const ok = { id: 'ok', kind: 'action' as const, label: t('common.ok'), press: close };
  switch (id) {
    case 'options': {
      const night = context.settings.theme === 'night';
      return {
        id, title: t('options.title'), text: '', dismiss: close,
        rows: [
          { id: 'theme', kind: 'action', label: t(night ? 'options.dayMode' : 'options.nightMode'),
            press: { type: 'settings.set', patch: { theme: night ? 'day' : 'night' } } },
          { id: 'close', kind: 'action', label: t('common.close'), press: close },
        ],
      };
    }
    case 'factoryReset':
      // Cancel is the default: a destructive choice is never one press away.
      return {
        id, title: t('factoryReset.title'), text: t('factoryReset.question'), dismiss: close,
        rows: [
          { id: 'cancel', kind: 'action', label: t('common.cancel'), press: close },
          { id: 'confirm', kind: 'action', label: t('factoryReset.confirm'), press: { type: 'reset.confirm' } },
        ],
      };
    case 'notEmulated.navigation':
    case 'notEmulated.media':
      return {
        id, title: t('notEmulated.title'), dismiss: close, rows: [ok],
        text: t(id === 'notEmulated.navigation' ? 'notEmulated.navigation' : 'notEmulated.media'),
      };
    case 'profile.remove': {
      const profile = context.profiles.profiles.find((p) => p.id === context.chosenProfile);
      return {
        id, title: t('profile.removeTitle'), dismiss: close,
        text: t('profile.removeQuestion', { name: profile?.name ?? '', email: profile?.email ?? '' }),
        rows: [
          { id: 'cancel', kind: 'action', label: t('common.cancel'), press: close },
          { id: 'confirm', kind: 'action', label: t('profile.remove'), press: { type: 'profile.remove' } },
        ],
      };
    }
    case 'esim.telephony':
      // Guide step 12. Choosing it turns on telephony over the eSIM; pairing the phone (step 13) follows it.
      return {
        id, title: t('esim.title'), text: t('esim.setUpDone'), dismiss: close,
        rows: [
          { id: 'activate', kind: 'action', label: t('esim.activateTelephone'), press: { type: 'esim.switch', patch: { voice: true } } },
          { id: 'notNow', kind: 'action', label: t('esim.notNow'), press: close },
        ],
      };
    case 'storeCorrupt': {
      const notice = context.notices[0];
      return {
        id, title: t('store.corruptTitle'), dismiss: close, rows: [ok],
        text: notice ? t('store.corrupt', { area: t(`store.area.${notice.area}`), file: notice.movedTo }) : '',
      };
    }
  }
}
