import { isUtf8 } from 'node:buffer';
import { nextTurn } from '../slices';
/**
 * vCard 2.1 and 3.0 as phones send them over PBAP: folded lines (undone on bytes, because phones
 * fold inside a multi-byte character), QUOTED-PRINTABLE with soft line breaks, CHARSET, `item1.`
 * groups, bare 2.1 type parameters, and the Japanese readings (X-PHONETIC-*, SOUND;X-IRMC-N,
 * SORT-STRING). Photos are skipped. Nothing here throws on bad input: a card that makes no sense
 * is dropped, a property that makes no sense is ignored.
 */

export type NumberType = 'mobile' | 'home' | 'work' | 'fax' | 'other';

export interface ContactNumber {
  type: NumberType;
  number: string;
}

export interface Contact {
  /** the name as the list shows it; for a card without one, the organisation or the first number */
  name: string;
  /** the phonetic reading (hiragana/katakana or Latin), empty when the card has none */
  reading: string;
  numbers: ContactNumber[];
  organisation: string;
}

/** An entry of a PBAP call history (`ich`, `och`, `mch`, `cch`). */
export interface CallHistoryEntry {
  name: string;
  number: string;
  direction: 'missed' | 'received' | 'dialed';
  /** ISO 8601, local time of the phone as it sent it */
  at: string | null;
}

interface Property {
  name: string;
  /** parameters with a value (CHARSET, ENCODING, …), by upper-case name */
  params: Record<string, string>;
  /** bare parameters of 2.1 (TEL;CELL;PREF) and TYPE values of 3.0, upper-case */
  types: string[];
  value: string;
}

export function parseContacts(input: Uint8Array | string): Contact[] {
  return cards(input).flatMap((card) => {
    const contact = toContact(card);
    return contact ? [contact] : [];
  });
}

/** The first `count` contacts with a number, read lazily: a glance at a book of any size (the bench's callers). */
export function firstContacts(input: Uint8Array | string, count: number): Contact[] {
  const contacts: Contact[] = [];
  for (const card of cardsOf(input)) {
    if (contacts.length >= count) break;
    const contact = toContact(card);
    if (contact && contact.numbers.length > 0) contacts.push(contact);
  }
  return contacts;
}

/**
 * The same reading as `parseContacts`, in slices of about `sliceMs` that give the event loop back
 * between them: an address book of any size never freezes the car (the controller is answered
 * within a frame while it is read). `onProgress` hears how many contacts were read so far.
 */
export async function parseContactsSliced(input: Uint8Array | string, sliceMs = 8, onProgress?: (read: number) => void): Promise<Contact[]> {
  const contacts: Contact[] = [];
  let sliceStart = performance.now();
  for (const card of cardsOf(input)) {
    const contact = toContact(card);
    if (contact) contacts.push(contact);
    if (performance.now() - sliceStart >= sliceMs) {
      onProgress?.(contacts.length);
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  return contacts;
}

export function parseCallHistory(input: Uint8Array | string): CallHistoryEntry[] {
  return cards(input).flatMap((card): CallHistoryEntry[] => {
    const when = card.find((p) => p.name === 'X-IRMC-CALL-DATETIME');
    const number = card.find((p) => p.name === 'TEL')?.value.trim() ?? '';
    if (!when && !number) return [];
    const direction = when?.types.includes('MISSED') ? 'missed' : when?.types.includes('DIALED') ? 'dialed' : 'received';
    return [{ name: nameOf(card), number, direction, at: when ? isoOf(when.value) : null }];
  });
}

const utf8 = new TextDecoder('utf-8');
const shiftJis = new TextDecoder('shift_jis');

/**
 * Splits the input into cards of decoded properties. The input is read as latin1 (one character
 * per byte), so that folds and soft breaks are undone on the bytes with fast string operations;
 * each value is turned back into bytes and decoded in its own charset.
 */
function cards(input: Uint8Array | string): Property[][] {
  return [...cardsOf(input)];
}

/**
 * The cards one at a time, so that a long address book can be read in slices. A UTF-8 byte-order
 * mark (as Outlook and some exports start) is skipped.
 */
function* cardsOf(input: Uint8Array | string): Generator<Property[]> {
  let bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  let card: Property[] | null = null;
  for (const line of logicalLines(bytes.toString('latin1'))) {
    const property = parseLine(line);
    if (!property) continue;
    if (property.name === 'BEGIN' && property.value.toUpperCase() === 'VCARD') card = [];
    else if (property.name === 'END' && property.value.toUpperCase() === 'VCARD') {
      if (card) yield card;
      card = null;
    } else card?.push(property);
  }
}

/**
 * Lines as the format means them. Folding (CRLF + space/tab) is undone. A QUOTED-PRINTABLE
 * value that ends with "=" continues on the next line (2.1 soft line break).
 */
function* logicalLines(text: string): Generator<string> {
  let current = '';
  let quotedPrintable = false;
  // (scanned line by line rather than split at once: a large book is read in slices)
  for (let start = 0; start <= text.length;) {
    const end = text.indexOf('\n', start);
    const raw = text.slice(start, end < 0 ? text.length : end);
    start = end < 0 ? text.length + 1 : end + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const folded = current !== '' && (line.startsWith(' ') || line.startsWith('\t'));
    if (folded) {
      current += line.slice(1);
      continue;
    }
    if (quotedPrintable && current.endsWith('=')) {
      current = current.slice(0, -1) + line;
      continue;
    }
    if (current !== '') yield current;
    current = line;
    const colon = line.indexOf(':');
    quotedPrintable = colon > 0 && line.slice(0, colon).toUpperCase().includes('QUOTED-PRINTABLE');
  }
  if (current !== '') yield current;
}

function parseLine(line: string): Property | null {
  const colon = line.indexOf(':');
  if (colon < 0) return null;
  const [rawName = '', ...rawParams] = line.slice(0, colon).split(';');
  const dot = rawName.indexOf('.');
  const name = (dot < 0 ? rawName : rawName.slice(dot + 1)).toUpperCase();
  const params: Record<string, string> = {};
  const types: string[] = [];
  if (name === 'PHOTO' || name === 'LOGO') return { name, params, types, value: '' };
  for (const param of rawParams) {
    const eq = param.indexOf('=');
    if (eq < 0) {
      types.push(param.toUpperCase());
      continue;
    }
    const key = param.slice(0, eq).toUpperCase();
    const value = param.slice(eq + 1).replace(/^"|"$/g, '');
    if (key === 'TYPE') types.push(...value.toUpperCase().split(','));
    else params[key] = value;
  }
  const raw = line.slice(colon + 1);
  const qp = params.ENCODING?.toUpperCase() === 'QUOTED-PRINTABLE' || types.includes('QUOTED-PRINTABLE');
  const value = qp ? decodeQuotedPrintable(raw) : Buffer.from(raw, 'latin1');
  return { name, params, types, value: decode(value, params.CHARSET) };
}

/** The value of a hex digit, or -1. */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

function decodeQuotedPrintable(raw: string): Uint8Array {
  const out = Buffer.allocUnsafe(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    const high = code === 0x3d && i + 2 < raw.length ? hexValue(raw.charCodeAt(i + 1)) : -1;
    const low = high < 0 ? -1 : hexValue(raw.charCodeAt(i + 2));
    if (low >= 0) {
      out[n++] = high * 16 + low;
      i += 2;
    } else out[n++] = code;
  }
  return out.subarray(0, n);
}

/**
 * A value in its charset. Without CHARSET it is UTF-8, unless its bytes are not UTF-8 at all: then
 * it is Shift_JIS, the default of Japanese feature phones, as Android's vCard reader assumes for
 * them (docs/facts.md "vCards").
 */
function decode(bytes: Uint8Array, charset: string | undefined): string {
  if (!charset) return isUtf8(bytes) ? utf8.decode(bytes) : shiftJis.decode(bytes);
  if (/^utf-?8$/i.test(charset)) return utf8.decode(bytes);
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return utf8.decode(bytes);
  }
}

/** Structured values (N, ORG, SOUND) are split on unescaped semicolons; text escapes are undone. */
function components(value: string): string[] {
  return value.split(/(?<!\\);/).map(unescape);
}

function unescape(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c)).trim();
}

function nameOf(card: Property[]): string {
  const fn = unescape(card.find((p) => p.name === 'FN')?.value ?? '');
  if (fn) return fn;
  const [family = '', given = ''] = components(card.find((p) => p.name === 'N')?.value ?? '');
  return [family, given].filter(Boolean).join(' ');
}

/**
 * The reading the car sorts and searches a contact by, from what phones send: a company card's
 * X-PHONETIC-ORG (iPhone; shown as the company, X-ABShowAs:COMPANY or no person's name); a
 * person's X-PHONETIC-LAST-NAME/-MIDDLE-NAME/-FIRST-NAME (iPhone, Android), SOUND;X-IRMC-N
 * (feature phones, often half-width katakana) or N's SORT-AS (vCard 4.0, RFC 6350 §5.9); then
 * SORT-STRING (vCard 3.0). Kana are NFKC-normalised, so half-width katakana read as full-width.
 */
function readingOf(card: Property[], company: boolean): string {
  const get = (name: string) => unescape(card.find((p) => p.name === name)?.value ?? '');
  const sortAs = (name: string) => {
    const property = card.find((p) => p.name === name);
    // (parameters are kept as the line's bytes: decoded here like a value)
    const raw = property?.params['SORT-AS'];
    return raw
      ? decode(Buffer.from(raw, 'latin1'), property.params.CHARSET)
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean)
          .join(' ')
      : '';
  };
  const person = (): string => {
    const phonetic = [get('X-PHONETIC-LAST-NAME'), get('X-PHONETIC-MIDDLE-NAME'), get('X-PHONETIC-FIRST-NAME')].filter(Boolean).join(' ');
    if (phonetic) return phonetic;
    const sound = card.find((p) => p.name === 'SOUND' && (p.types.includes('X-IRMC-N') || p.types.length === 0));
    const [family = '', given = ''] = sound ? components(sound.value) : [];
    return [family, given].filter(Boolean).join(' ') || sortAs('N');
  };
  const reading = (company ? get('X-PHONETIC-ORG') || sortAs('ORG') : person()) || get('SORT-STRING');
  return reading.normalize('NFKC');
}

function numberType(types: string[]): NumberType {
  if (types.includes('FAX')) return 'fax';
  if (types.includes('CELL')) return 'mobile';
  if (types.includes('WORK')) return 'work';
  if (types.includes('HOME')) return 'home';
  return 'other';
}

function toContact(card: Property[]): Contact | null {
  const numbers = card
    .filter((p) => p.name === 'TEL' && p.value.trim() !== '')
    // (vCard 4.0 may give the number as a tel: URI, RFC 3966)
    .map((p) => ({ type: numberType(p.types), number: p.value.trim().replace(/^tel:/i, '').replace(/;.*$/, '') }));
  const organisation = components(card.find((p) => p.name === 'ORG')?.value ?? '')
    .filter(Boolean)
    .join(' ');
  const name = nameOf(card) || organisation || numbers[0]?.number || '';
  if (!name) return null;
  const showAs = card
    .find((p) => p.name === 'X-ABSHOWAS')
    ?.value.trim()
    .toUpperCase();
  const company = organisation !== '' && (showAs === 'COMPANY' || name === organisation);
  return { name, reading: readingOf(card, company), numbers, organisation };
}

/** 20261120T091500 → 2026-11-20T09:15:00 (Z kept when the phone sent it). */
function isoOf(value: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(value.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7]}` : null;
}
