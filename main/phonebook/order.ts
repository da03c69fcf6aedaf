import { toHiragana as toKana } from 'wanakana';
import { locales, type Language } from '../../shared/i18n';
import type { Contact } from './vcard';
import { nextTurn, slicer } from '../slices';

/**
 * The contacts list's order, as a Japanese or an English head unit sorts it: by the reading
 * (katakana and half-width kana folded to hiragana) where there is one, else by the name. Japanese
 * readings come first in Japanese (あ…ん, then A…Z), Latin names first in English; names that are
 * neither (digits, kanji without a reading) come last.
 */
export function sortContacts(contacts: readonly Contact[], language: Language): Contact[] {
  return contactOrder(contacts, language).map((i) => contacts[i]!);
}

/** The same order as places in `contacts` (what a row needs to open its contact), worked out once. */
export function contactOrder(contacts: readonly Contact[], language: Language): number[] {
  const cached = sortedOnce.get(contacts)?.[language];
  if (cached) return cached;
  const order = orderFor(language);
  const keyed = contacts.map(order.keyed);
  keyed.sort(order.compare);
  return remember(
    contacts,
    language,
    keyed.map((k) => k.index),
  );
}

/**
 * The same order as `sortContacts`, worked out in slices of about `sliceMs` that give the event
 * loop back between them (keys, then sorted runs, then merges), and remembered for
 * `sortContacts`: a sync sorts a large address book without freezing the car.
 */
export async function sortContactsSliced(contacts: readonly Contact[], language: Language, sliceMs = 8, signal?: AbortSignal): Promise<number[]> {
  const cached = sortedOnce.get(contacts)?.[language];
  if (cached) return cached;
  const order = orderFor(language);
  const slice = slicer(sliceMs, 256, signal);
  const keyed: Keyed[] = [];
  for (let i = 0; i < contacts.length; i++) {
    keyed.push(order.keyed(contacts[i]!, i));
    await slice();
  }
  let runs: Keyed[][] = [];
  for (let i = 0; i < keyed.length; i += runLength) {
    runs.push(keyed.slice(i, i + runLength).sort(order.compare));
    await nextTurn();
    signal?.throwIfAborted();
  }
  while (runs.length > 1) {
    const merged: Keyed[][] = [];
    for (let i = 0; i < runs.length; i += 2) merged.push(runs[i + 1] ? await merge(runs[i]!, runs[i + 1]!, order.compare, slice) : runs[i]!);
    runs = merged;
  }
  return remember(
    contacts,
    language,
    (runs[0] ?? []).map((k) => k.index),
  );
}

interface Keyed {
  /** its place in the address book */
  index: number;
  key: string;
  group: number;
}

/** The order per language (places in the book), once per address book (a sync replaces a book, never changes it). */
const sortedOnce = new WeakMap<readonly Contact[], Partial<Record<Language, number[]>>>();
/** Short runs sort within one slice; merges keep the order stable. */
const runLength = 2000;

function remember(contacts: readonly Contact[], language: Language, sorted: number[]): number[] {
  sortedOnce.set(contacts, { ...sortedOnce.get(contacts), [language]: sorted });
  return sorted;
}

function orderFor(language: Language) {
  const { collation, scripts } = locales[language];
  const collator = new Intl.Collator(collation, { sensitivity: 'base', numeric: true });
  const groupOrder = { kana: scripts.indexOf('kana'), latin: scripts.indexOf('latin'), other: scripts.indexOf('other') };
  return {
    keyed: (contact: Contact, index: number): Keyed => {
      const key = sortKey(contact);
      return { index, key, group: groupOrder[groupOf(key)] };
    },
    compare: (a: Keyed, b: Keyed) => a.group - b.group || collator.compare(a.key, b.key),
  };
}

/** Merges two sorted runs (the left first on ties: stable), giving the loop turns as it goes. */
async function merge(left: Keyed[], right: Keyed[], compare: (a: Keyed, b: Keyed) => number, slice: () => Promise<void>): Promise<Keyed[]> {
  const out: Keyed[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    out.push(compare(right[j]!, left[i]!) < 0 ? right[j++]! : left[i++]!);
    await slice();
  }
  while (i < left.length) out.push(left[i++]!);
  while (j < right.length) out.push(right[j++]!);
  return out;
}

export function sortKey(contact: Contact): string {
  return toHiragana((contact.reading || contact.name).normalize('NFKC')).trim();
}

/** The initial a contact is filed under: a hiragana row (あ, か, …), a Latin letter, or "#". */
export function groupOf(key: string): 'kana' | 'latin' | 'other' {
  const first = key.codePointAt(0) ?? 0;
  if (first >= 0x3041 && first <= 0x309f) return 'kana';
  if (/^[a-z]/i.test(key.normalize('NFD'))) return 'latin';
  return 'other';
}

function toHiragana(text: string): string {
  return text.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

/**
 * Text as a search compares it: full-width and half-width forms folded (NFKC), katakana as
 * hiragana, Latin letters in lower case and without their accents (`Müller` as `muller`; the
 * Japanese voiced marks are kept: す is not ず).
 */
function folded(text: string): string {
  return toHiragana(text.normalize('NFKC'))
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .trim();
}

/**
 * What romaji typed on a Latin keyboard reads as in kana (`suzuki` → すずき), for matching against
 * readings; a syllable still being typed at the end is left out (`suzuk` → すず). Null when the
 * query is not romaji.
 */
function romajiAsKana(query: string): string | null {
  if (!/^[a-z' -]+$/.test(query)) return null;
  const kana = toKana(query).replace(/[a-z' -]+$/, '');
  return kana !== '' && !/[a-z]/.test(kana) ? kana : null;
}

/** A contact's text as searches compare it, worked out once per contact (a search runs at every key). */
const searchable = new WeakMap<Contact, { name: string; reading: string; spaceless: string; digits: string[] }>();
function searchableOf(contact: Contact) {
  let known = searchable.get(contact);
  if (!known) {
    const reading = folded(contact.reading);
    known = { name: folded(contact.name), reading, spaceless: reading.replace(/ /g, ''), digits: contact.numbers.map((n) => n.number.replace(/[^0-9+]/g, '')) };
    searchable.set(contact, known);
  }
  return known;
}

/**
 * What the driver typed, as a test of contacts: their name or reading (either kana, romaji for the
 * reading, accents ignored), or a number (three digits or more). An empty query matches all.
 */
export function matcher(query: string): (contact: Contact) => boolean {
  const q = folded(query);
  if (!q) return () => true;
  const kana = romajiAsKana(q);
  const digits = q.replace(/[^0-9+]/g, '');
  return (contact) => {
    const c = searchableOf(contact);
    if (c.name.includes(q) || c.reading.includes(q)) return true;
    if (kana !== null && (c.spaceless.includes(kana) || c.name.includes(kana))) return true;
    return digits.length >= 3 && c.digits.some((n) => n.includes(digits));
  };
}
