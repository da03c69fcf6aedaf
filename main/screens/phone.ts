import { languages, type Language, type MessageKey } from '../../shared/i18n';
import { addressBookOwner, lineOf, type CallRoute, type ActiveCall } from '../machines/telephone';
import { contactOrder, matcher, sortContactsSliced } from '../phonebook/order';
import { slicer } from '../slices';
import { joinRows, prepareRows } from './rowIndex';
import type { Contact } from '../phonebook/vcard';
import { displayNumber, numberKey } from '../phonebook/numbers';
import { pairedDevices, syncProgress } from './bluetooth';
import { infoRow, openRow, type Row, type ScreenInput } from './model';

interface Listed {
  contact: Contact;
  /** its place in the phone's address book: the row's id, stable while the list is re-sorted */
  index: number;
}
const sorted = new WeakMap<readonly Contact[], { ja?: Listed[]; en?: Listed[] }>();
const filtered = new WeakMap<Listed[], Map<string, Row[]>>();

/** The address book in the list's order, computed once per sync and language. */
export function contactsOf(input: ScreenInput): Listed[] {
  const contacts = addressBookOwner(input)?.contacts ?? [];
  const language = input.context.settings.language;
  return (
    sorted.get(contacts)?.[language] ??
    remember(
      contacts,
      language,
      contactOrder(contacts, language).map((index) => ({ contact: contacts[index]!, index })),
    )
  );
}

function remember(contacts: readonly Contact[], language: Language, list: Listed[]): Listed[] {
  sorted.set(contacts, { ...sorted.get(contacts), [language]: list });
  return list;
}

const rowOf = ({ contact, index }: Listed): Row => ({
  id: `c.${index}`,
  kind: 'action',
  label: contact.name,
  opens: true,
  press: { type: 'contact.open', index },
});

/** The rows of the list for a search (all for none), made once: an address book can have 10,000 entries. */
function contactRowsFor(list: Listed[], query: string): Row[] {
  const byQuery = filtered.get(list) ?? new Map<string, Row[]>();
  filtered.set(list, byQuery);
  let rows = byQuery.get(query);
  if (!rows) {
    const test = matcher(query);
    rows = list.filter(({ contact }) => test(contact)).map(rowOf);
    // The whole list, and the last search only: typing makes a new search per letter.
    for (const key of byQuery.keys()) if (key !== '') byQuery.delete(key);
    byQuery.set(query, rows);
  }
  return rows;
}

/**
 * Everything the Contacts list needs for an address book (its order, its rows, their indexes),
 * worked out in slices that give the event loop its turns: run by a sync before it hands the book
 * over, and at start for the books on disk, so that opening the list or stepping through it never
 * waits for work that grows with the book. Resolves once the car's language (`first`) is ready;
 * the other language follows in the background. `signal` (the car's lifetime) stops it at its next
 * turn, rejecting with the signal's reason: nothing half-made is kept.
 */
export async function prepareContacts(contacts: readonly Contact[], first?: Language, signal?: AbortSignal): Promise<void> {
  const [now, ...later] = first ? [first, ...languages.filter((l) => l !== first)] : languages;
  await prepareIn(contacts, now!, signal);
  const rest = (async () => {
    for (const language of later) await prepareIn(contacts, language, signal);
  })();
  // (in the background, a failure costs only the work done again when the list opens)
  if (first) void rest.catch(() => undefined);
  else await rest;
}

async function prepareIn(contacts: readonly Contact[], language: Language, signal?: AbortSignal): Promise<void> {
  const slice = slicer(8, 256, signal);
  let list = sorted.get(contacts)?.[language];
  if (!list) {
    const order = await sortContactsSliced(contacts, language, 8, signal);
    const made: Listed[] = [];
    for (const index of order) {
      made.push({ contact: contacts[index]!, index });
      await slice();
    }
    list = remember(contacts, language, made);
  }
  if (!filtered.get(list)?.has('')) {
    const rows: Row[] = [];
    for (const listed of list) {
      rows.push(rowOf(listed));
      await slice();
    }
    filtered.set(list, new Map([['', rows]]));
  }
  await prepareRows(filtered.get(list)!.get('')!, 8, signal);
}

const byNumber = new WeakMap<readonly Contact[], Map<string, string>>();

/**
 * The name the address book has for a number (whole numbers compared, the national and +81 forms
 * alike: docs/facts.md "Phone numbers"), or the number as a phone shows it.
 */
export function nameFor(input: ScreenInput, number: string): string {
  const contacts = addressBookOwner(input)?.contacts ?? [];
  let index = byNumber.get(contacts);
  if (!index) {
    index = new Map();
    for (const c of contacts)
      for (const n of c.numbers) {
        const key = numberKey(n.number);
        if (key !== '' && !index.has(key)) index.set(key, c.name);
      }
    byNumber.set(contacts, index);
  }
  return index.get(numberKey(number)) ?? displayNumber(number);
}

/** The Personal eSIM is set up, with "Telephone functions via eSIM" unticked: the box is the way to a line. */
function esimVoiceOff({ esim }: ScreenInput): boolean {
  return esim?.state === 'ready' && !esim.context.switches.voice;
}

/**
 * What the driver can do when no line can carry a call: a Personal eSIM with telephony off is
 * ticked on its page; Guest, or a BMW ID without Personal eSIM, pairs a phone right here.
 */
function lineAdvice(input: ScreenInput): Row[] {
  const { t } = input;
  if (esimVoiceOff(input) || esimWithoutNetwork(input)) return [openRow('esim', t('esim.title'), { type: 'nav.open', screen: 'esim' })];
  return [{ id: 'connectNew', kind: 'action', label: t('bt.connectNew'), opens: true, press: { type: 'bt.connectNew' } }];
}

/** Telephony over the Personal eSIM is ticked, but the network has not (or no longer) registered its voice. */
function esimWithoutNetwork({ esim }: ScreenInput): boolean {
  return esim?.state === 'ready' && esim.context.switches.voice && !esim.context.registration?.voice;
}

function lineText(input: ScreenInput, route: CallRoute | null): string {
  const { t } = input;
  if (!route && esimWithoutNetwork(input)) return t('telephone.failure.notRegistered');
  if (!route) return t(esimVoiceOff(input) ? 'telephone.off' : 'telephone.offPairPhone');
  if (route.via === 'esim') return t('telephone.viaEsim', { msisdn: input.esim?.context.msisdn ?? '' });
  return t('telephone.viaPhone', { name: pairedDevices(input).find((d) => d.address === route.address)?.name ?? '' });
}

const failureText: Record<string, MessageKey> = {
  voiceOff: 'telephone.failure.voiceOff',
  notRegistered: 'telephone.failure.notRegistered',
  notConnected: 'telephone.failure.notConnected',
  invalidNumber: 'telephone.failure.invalidNumber',
  failed: 'telephone.failure.failed',
};

export function telephoneRows(input: ScreenInput): Row[] {
  const { t, telephone } = input;
  const route = lineOf(input);
  const rows: Row[] = [infoRow('line', lineText(input, route))];
  const failure = telephone?.context.failure;
  if (failure) rows.push(infoRow('failure', t(failureText[failure] ?? 'telephone.failure.failed')));
  const current = telephone?.context.calls[0];
  if (current) rows.push(openRow('current', t('telephone.current', { name: nameFor(input, current.number) }), { type: 'nav.open', screen: 'call' }));
  if (!route) return [...rows, ...lineAdvice(input)];
  return [
    ...rows,
    openRow('dial', t('telephone.dial'), { type: 'entry.open', purpose: 'dial' }),
    openRow('contacts', t('contacts.title'), { type: 'nav.open', screen: 'contacts' }),
    openRow('calls', t('calls.title'), { type: 'nav.open', screen: 'calls' }),
  ];
}

/** Under the search field, as the driver types: how many contacts match, and the first of them. */
export function searchNote(input: ScreenInput, text: string): string {
  const found = contactRowsFor(contactsOf(input), text.trim());
  if (found.length === 0) return input.t('contacts.noMatch', { query: text.trim() });
  return input.t('contacts.matching', {
    count: found.length,
    names: found
      .slice(0, 3)
      .map((row) => row.label)
      .join(', '),
  });
}

export function contactsRows(input: ScreenInput): Row[] {
  const { t, context, bluetooth } = input;
  const all = contactsOf(input);
  const rows: Row[] = [];
  if (bluetooth?.context.sync) rows.push(infoRow('sync', syncProgress(input)));
  if (all.length === 0) return [...rows, infoRow('none', t('contacts.none'))];
  rows.push(openRow('search', t('contacts.search'), { type: 'entry.open', purpose: 'contactSearch' }, context.contactQuery || undefined));
  const found = contactRowsFor(all, context.contactQuery);
  if (found.length === 0) rows.push(infoRow('noMatch', t('contacts.noMatch', { query: context.contactQuery })));
  return headed(rows, found);
}

const withHead = new WeakMap<Row[], { key: string; rows: Row[] }>();
/**
 * The list's first rows (progress, search) before the contacts, as one array made once while the
 * head stays the same: a controller step then finds it (and its indexes) ready, whatever its length.
 */
function headed(head: Row[], found: Row[]): Row[] {
  const key = JSON.stringify(head);
  const known = withHead.get(found);
  if (known?.key === key) return known.rows;
  const rows = joinRows(head, found);
  withHead.set(found, { key, rows });
  return rows;
}

const numberType: Record<string, MessageKey> = {
  mobile: 'contact.mobile',
  home: 'contact.home',
  work: 'contact.work',
  fax: 'contact.fax',
  other: 'contact.other',
};

export function contactRows(input: ScreenInput): Row[] {
  const { t, context } = input;
  const contact = addressBookOwner(input)?.contacts[context.chosenContact ?? -1];
  if (!contact) return [infoRow('gone', t('contacts.none'))];
  const canCall = lineOf(input) !== null;
  return [
    infoRow('name', contact.reading ? `${contact.name} (${contact.reading})` : contact.name),
    ...(contact.organisation ? [infoRow('organisation', contact.organisation)] : []),
    ...contact.numbers.map((n, i): Row => ({
      id: `n.${i}`,
      kind: 'action',
      label: n.number,
      detail: t(numberType[n.type] ?? 'contact.other'),
      disabled: !canCall || n.type === 'fax',
      press: { type: 'tel.call', number: n.number },
    })),
  ];
}

const directionText: Record<string, MessageKey> = { missed: 'calls.missed', received: 'calls.received', dialed: 'calls.dialed' };

/** The call log of the address book's phone: its own history and the car's eSIM calls, newest first. */
export function callLogRows(input: ScreenInput): Row[] {
  const { t } = input;
  const log = addressBookOwner(input)?.callLog ?? [];
  if (log.length === 0) return [infoRow('none', t('calls.none'))];
  const canCall = lineOf(input) !== null;
  return log.map((entry, i): Row => ({
    id: `l.${i}`,
    kind: 'action',
    label: entry.name || nameFor(input, entry.number) || t('calls.unknown'),
    detail: [t(directionText[entry.direction]!), entry.at?.replace('T', ' ').slice(0, 16) ?? '', entry.via === 'esim' ? t('esim.title') : '']
      .filter(Boolean)
      .join(' · '),
    disabled: !canCall || entry.number === '',
    press: { type: 'tel.call', number: entry.number },
  }));
}

const stateText: Record<ActiveCall['state'], MessageKey> = {
  dialing: 'call.dialing',
  alerting: 'call.alerting',
  active: 'call.active',
  held: 'call.held',
  incoming: 'call.incoming',
  waiting: 'call.waiting',
  disconnected: 'call.ended',
};

/** The call in progress (or the one that just ended), with what can be done with it. */
export function callRows(input: ScreenInput): Row[] {
  const { t, telephone } = input;
  const call = telephone?.context.calls.find((c) => c.state !== 'held') ?? telephone?.context.calls[0];
  const shown = call ?? telephone?.context.ended;
  // A call that could not be made says why here, where the driver is looking.
  const failure = telephone?.context.failure;
  if (!shown && failure) return [infoRow('failure', t(failureText[failure] ?? 'telephone.failure.failed'))];
  if (!shown) return [infoRow('none', t('call.none'))];
  const rows: Row[] = [
    infoRow('party', nameFor(input, shown.number)),
    {
      ...infoRow('state', t(call ? stateText[call.state] : shown.endReason === 'noAnswer' ? 'call.noAnswer' : 'call.ended')),
      ...(call?.state === 'active' && call.connectedAt ? { since: call.connectedAt } : {}),
    },
    infoRow('via', shown.via === 'esim' ? t('call.viaEsim') : t('call.viaPhone')),
  ];
  if (!call) return rows;
  if (call.state === 'incoming' || call.state === 'waiting')
    rows.push({ id: 'answer', kind: 'action', label: t('call.answer'), tone: 'go', press: { type: 'tel.answer' } });
  rows.push({ id: 'hangUp', kind: 'action', label: t('call.hangUp'), tone: 'stop', press: { type: 'tel.hangUp' } });
  return rows;
}
