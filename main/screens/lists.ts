import { resolutions, type Resolution } from '../../shared/view';
import type { ScreenId } from './ids';
import { infoRow, openRow, type ListModel, type Row, type ScreenInput } from './model';

type ListId = Exclude<ScreenId, 'entry'>;

const open = (screen: ScreenId) => ({ type: 'nav.open', screen }) as const;

function menu({ t }: ScreenInput): Row[] {
  return [
    openRow('bmwId', t('menu.bmwId'), open('bmwId')),
    openRow('mobileDevices', t('menu.mobileDevices'), open('mobileDevices')),
    openRow('telephone', t('menu.telephone'), open('telephone')),
    openRow('contacts', t('menu.contacts'), open('contacts')),
    openRow('settings', t('menu.settings'), open('settings')),
  ];
}

function bmwId({ t }: ScreenInput): Row[] {
  return [
    { id: 'profile.guest', kind: 'radio', label: t('bmwId.guest'), checked: true, detail: t('bmwId.active'),
      press: { type: 'nav.back' } },
    { id: 'add', kind: 'action', label: t('bmwId.add'), press: { type: 'popup.open', popup: 'bmwId.add' } },
  ];
}

function settings({ context, t }: ScreenInput): Row[] {
  const s = context.settings;
  return [
    openRow('language', t('settings.language'), open('settings.language'),
      t(s.language === 'ja' ? 'settings.languageJa' : 'settings.languageEn')),
    openRow('theme', t('settings.theme'), open('settings.theme'),
      t(s.theme === 'night' ? 'settings.themeNight' : 'settings.themeDay')),
    openRow('resolution', t('settings.resolution'), open('settings.resolution'), formatResolution(s.resolution)),
    openRow('vehicleName', t('settings.vehicleName'), { type: 'entry.open', purpose: 'vehicleName' }, s.vehicleName),
    { id: 'factoryReset', kind: 'action', label: t('settings.factoryReset'),
      press: { type: 'popup.open', popup: 'factoryReset' } },
  ];
}

export function formatResolution(r: Resolution): string {
  return r.replace('x', ' × ');
}

const titles = {
  menu: 'menu.title',
  bmwId: 'bmwId.title',
  mobileDevices: 'mobileDevices.title',
  telephone: 'telephone.title',
  contacts: 'contacts.title',
  settings: 'settings.title',
  'settings.language': 'settings.language',
  'settings.theme': 'settings.theme',
  'settings.resolution': 'settings.resolution',
} as const satisfies Record<ListId, string>;

function rowsOf(id: ListId, input: ScreenInput): Row[] {
  const { context: { settings: s }, t } = input;
  switch (id) {
    case 'menu': return menu(input);
    case 'bmwId': return bmwId(input);
    case 'mobileDevices': return [infoRow('none', t('mobileDevices.none'))];
    case 'telephone': return [infoRow('off', t('telephone.off'))];
    case 'contacts': return [infoRow('none', t('contacts.none'))];
    case 'settings': return settings(input);
    case 'settings.language':
      return (['en', 'ja'] as const).map((language) => ({
        id: language, kind: 'radio', checked: s.language === language,
        label: t(language === 'ja' ? 'settings.languageJa' : 'settings.languageEn'),
        press: { type: 'settings.set', patch: { language } },
      }));
    case 'settings.theme':
      return (['day', 'night'] as const).map((theme) => ({
        id: theme, kind: 'radio', checked: s.theme === theme,
        label: t(theme === 'night' ? 'settings.themeNight' : 'settings.themeDay'),
        press: { type: 'settings.set', patch: { theme } },
      }));
    case 'settings.resolution':
      return resolutions.map((resolution) => ({
        id: resolution, kind: 'radio', checked: s.resolution === resolution, label: formatResolution(resolution),
        press: { type: 'settings.set', patch: { resolution } },
      }));
  }
}

export function listScreen(id: ListId, input: ScreenInput): ListModel {
  return { kind: 'list', id, title: input.t(titles[id]), rows: rowsOf(id, input) };
}
