import { resolutions, type Icon, type Resolution } from '../../shared/view';
import { locales, type MessageKey } from '../../shared/i18n';
import type { ScreenId } from '../machines/ids';
import { esimRows } from './esim';
import { deviceRows, mobileDevicesRows, searchRows, chosenDevice } from './bluetooth';
import { callLogRows, callRows, contactRows, contactsRows, telephoneRows } from './phone';
import { infoRow, openRow, type ListModel, type Row, type ScreenInput } from './model';

type ListId = Exclude<ScreenId, 'entry'>;

const open = (screen: ScreenId) => ({ type: 'nav.open', screen }) as const;

/** The main menu, each entry with its symbol (the ids are the symbols' names). */
function menu({ t }: ScreenInput): Row[] {
  const entry = (id: Icon & ScreenId, label: MessageKey): Row => ({ ...openRow(id, t(label), open(id)), icon: id });
  return [
    entry('bmwId', 'menu.bmwId'),
    entry('mobileDevices', 'menu.mobileDevices'),
    entry('telephone', 'menu.telephone'),
    entry('contacts', 'menu.contacts'),
    entry('settings', 'menu.settings'),
  ];
}

/**
 * The profiles on this car (guide step 1–2): Guest, each BMW ID with the active one marked, and
 * "Add BMW ID". Choosing another profile switches to it (asking its PIN, or its login if logged
 * out); choosing the active one opens its management.
 */
function bmwId({ context, t }: ScreenInput): Row[] {
  const { active, profiles } = context.profiles;
  return [
    {
      id: 'profile.guest',
      kind: 'radio',
      label: t('bmwId.guest'),
      checked: active === null,
      ...(active === null ? { detail: t('bmwId.active') } : {}),
      press: { type: 'profile.select', id: null },
    },
    ...profiles.map((p): Row => ({
      id: `profile.${p.id}`,
      kind: 'radio',
      label: p.name,
      checked: p.id === active,
      detail: p.id === active ? t('bmwId.active') : p.loggedIn ? p.email : t('profile.loggedOut'),
      press: p.id === active ? { type: 'profile.open', id: p.id } : { type: 'profile.select', id: p.id },
    })),
    { id: 'add', kind: 'action', label: t('bmwId.add'), opens: true, press: { type: 'login.start' } },
  ];
}

/** Managing the active profile: log out, or remove it from this car (after asking). */
function bmwIdProfile({ context, t }: ScreenInput): Row[] {
  const profile = context.profiles.profiles.find((p) => p.id === context.chosenProfile);
  if (!profile) return [infoRow('none', t('bmwId.guest'))];
  return [
    infoRow('email', `${profile.email}${profile.hasPin ? ` · ${t('profile.pinOn')}` : ''}`),
    { id: 'changePin', kind: 'action', label: t(profile.hasPin ? 'profile.changePin' : 'login.pinNow'), press: { type: 'profile.changePin' } },
    { id: 'logOut', kind: 'action', label: t('profile.logOut'), press: { type: 'profile.logOut' } },
    { id: 'remove', kind: 'action', label: t('profile.remove'), press: { type: 'popup.open', popup: 'profile.remove' } },
  ];
}

function settings({ context, t }: ScreenInput): Row[] {
  const s = context.settings;
  return [
    openRow('language', t('settings.language'), open('settings.language'), t(locales[s.language].name)),
    openRow('theme', t('settings.theme'), open('settings.theme'), t(s.theme === 'night' ? 'settings.themeNight' : 'settings.themeDay')),
    openRow('resolution', t('settings.resolution'), open('settings.resolution'), formatResolution(s.resolution)),
    openRow('vehicleName', t('settings.vehicleName'), { type: 'entry.open', purpose: 'vehicleName' }, s.vehicleName),
    { id: 'factoryReset', kind: 'action', label: t('settings.factoryReset'), press: { type: 'popup.open', popup: 'factoryReset' } },
    openRow('about', t('settings.about'), open('settings.about'), context.about.version),
  ];
}

/** Settings → About: the version, where the car keeps its memory and log, and the licences of what it carries. */
function about({ context: { about: a }, t }: ScreenInput): Row[] {
  return [
    infoRow('version', t('about.version', { version: a.version })),
    infoRow('memory', t('about.memory', { path: a.dataDir })),
    infoRow('log', t('about.log', { path: a.logFile })),
    a.licences.length > 0
      ? openRow('licences', t('about.licences'), open('settings.licences'), t('about.packages', { count: a.licences.length }))
      : infoRow('licences', t('about.noLicences')),
  ];
}

/** Each bundled package with its licence (a long list: it scrolls like an address book). */
function licences({ context }: ScreenInput): Row[] {
  return context.about.licences.map((l, i): Row => ({ id: `l.${i}`, kind: 'action', label: `${l.name} ${l.version}`, detail: l.licence }));
}

export function formatResolution(r: Resolution): string {
  return r.replace('x', ' × ');
}

const titles = {
  menu: 'menu.title',
  bmwId: 'bmwId.title',
  'bmwId.profile': 'bmwId.title',
  mobileDevices: 'mobileDevices.title',
  esim: 'esim.title',
  'bt.search': 'bt.connectNew',
  'bt.device': 'bt.device',
  telephone: 'telephone.title',
  contacts: 'contacts.title',
  contact: 'contacts.title',
  calls: 'calls.title',
  call: 'call.title',
  settings: 'settings.title',
  'settings.language': 'settings.language',
  'settings.theme': 'settings.theme',
  'settings.resolution': 'settings.resolution',
  'settings.about': 'settings.about',
  'settings.licences': 'about.licences',
} as const satisfies Record<ListId, string>;

function rowsOf(id: ListId, input: ScreenInput): Row[] {
  const {
    context: { settings: s },
    t,
  } = input;
  switch (id) {
    case 'menu':
      return menu(input);
    case 'bmwId':
      return bmwId(input);
    case 'bmwId.profile':
      return bmwIdProfile(input);
    case 'mobileDevices':
      return mobileDevicesRows(input);
    case 'esim':
      return esimRows(input);
    case 'bt.search':
      return searchRows(input);
    case 'bt.device':
      return deviceRows(input);
    case 'telephone':
      return telephoneRows(input);
    case 'contacts':
      return contactsRows(input);
    case 'contact':
      return contactRows(input);
    case 'calls':
      return callLogRows(input);
    case 'call':
      return callRows(input);
    case 'settings':
      return settings(input);
    case 'settings.language':
      return (['en', 'ja'] as const).map((language) => ({
        id: language,
        kind: 'radio',
        checked: s.language === language,
        label: t(locales[language].name),
        press: { type: 'settings.set', patch: { language } },
      }));
    case 'settings.theme':
      return (['day', 'night'] as const).map((theme) => ({
        id: theme,
        kind: 'radio',
        checked: s.theme === theme,
        label: t(theme === 'night' ? 'settings.themeNight' : 'settings.themeDay'),
        press: { type: 'settings.set', patch: { theme } },
      }));
    case 'settings.about':
      return about(input);
    case 'settings.licences':
      return licences(input);
    case 'settings.resolution':
      return resolutions.map((resolution) => ({
        id: resolution,
        kind: 'radio',
        checked: s.resolution === resolution,
        label: formatResolution(resolution),
        press: { type: 'settings.set', patch: { resolution } },
      }));
  }
}

export function listScreen(id: ListId, input: ScreenInput): ListModel {
  const title = id === 'bt.device' ? (chosenDevice(input)?.name ?? input.t(titles[id])) : input.t(titles[id]);
  // Leaving the search screen ends the search: the car is pairable only while it is open.
  const back = id === 'bt.search' ? { back: { type: 'bt.stop' } as const } : {};
  return { kind: 'list', id, title, rows: rowsOf(id, input), ...back };
}
