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
  params: Map<string, string[]>;
  /** bare parameters of 2.1 (TEL;CELL;PREF) and TYPE values of 3.0, upper-case */
  types: Set<string>;
  value: string;
}

export function parseContacts(input: Uint8Array | string): Contact[] {
  return cards(input).flatMap((card) => {
    const contact = toContact(card);
    return contact ? [contact] : [];
  });
}

export function parseCallHistory(input: Uint8Array | string): CallHistoryEntry[] {
  return cards(input).flatMap((card): CallHistoryEntry[] => {
    const when = card.find((p) => p.name === 'X-IRMC-CALL-DATETIME');
    const number = card.find((p) => p.name === 'TEL')?.value.trim() ?? '';
    if (!when && !number) return [];
    const direction = when?.types.has('MISSED') ? 'missed' : when?.types.has('DIALED') ? 'dialed' : 'received';
    return [{ name: nameOf(card), number, direction, at: when ? isoOf(when.value) : null }];
  });
}

const utf8 = new TextDecoder('utf-8');

/** Splits the input into cards of decoded properties. */
function cards(input: Uint8Array | string): Property[][] {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const result: Property[][] = [];
  let card: Property[] | null = null;
  for (const line of logicalLines(bytes)) {
    const property = parseLine(line);
    if (!property) continue;
    if (property.name === 'BEGIN' && property.value.toUpperCase() === 'VCARD') card = [];
    else if (property.name === 'END' && property.value.toUpperCase() === 'VCARD') {
      if (card) result.push(card);
      card = null;
    } else card?.push(property);
  }
  return result;
}

/**
 * Lines as the format means them. Folding (CRLF + space/tab) is undone on the bytes. A
 * QUOTED-PRINTABLE value that ends with "=" continues on the next line (2.1 soft line break).
 */
function* logicalLines(bytes: Uint8Array): Generator<Uint8Array> {
  const physical: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      const end = i > start && bytes[i - 1] === 0x0d ? i - 1 : i;
      physical.push(bytes.subarray(start, end));
      start = i + 1;
    }
  }
  let current: Uint8Array[] = [];
  let quotedPrintable = false;
  const flush = function* () {
    if (current.length > 0) yield concat(current);
    current = [];
  };
  for (const line of physical) {
    const folded = line.length > 0 && (line[0] === 0x20 || line[0] === 0x09);
    const softBreak = quotedPrintable && current.length > 0 && endsWithEquals(current.at(-1)!);
    if (folded && current.length > 0) {
      current.push(line.subarray(1));
      continue;
    }
    if (softBreak) {
      const last = current.pop()!;
      current.push(last.subarray(0, last.length - 1), line);
      continue;
    }
    yield* flush();
    if (line.length === 0) continue;
    current = [line];
    quotedPrintable = /ENCODING=QUOTED-PRINTABLE|;QUOTED-PRINTABLE[;:]/i.test(headOf(line));
  }
  yield* flush();
}

function endsWithEquals(line: Uint8Array): boolean {
  return line.length > 0 && line[line.length - 1] === 0x3d;
}

/** The property's name and parameters: everything before the first colon, as ASCII. */
function headOf(line: Uint8Array): string {
  const colon = line.indexOf(0x3a);
  return String.fromCharCode(...line.subarray(0, colon < 0 ? Math.min(line.length, 200) : Math.min(colon, 200)));
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function parseLine(line: Uint8Array): Property | null {
  const colon = line.indexOf(0x3a);
  if (colon < 0) return null;
  const [rawName = '', ...rawParams] = String.fromCharCode(...line.subarray(0, colon)).split(';');
  const name = rawName.replace(/^[^.]*\./, '').toUpperCase();
  if (name === 'PHOTO' || name === 'LOGO') return { name, params: new Map(), types: new Set(), value: '' };
  const params = new Map<string, string[]>();
  const types = new Set<string>();
  for (const param of rawParams) {
    const eq = param.indexOf('=');
    if (eq < 0) {
      types.add(param.toUpperCase());
      continue;
    }
    const key = param.slice(0, eq).toUpperCase();
    const values = param.slice(eq + 1).split(',').map((v) => v.replace(/^"|"$/g, ''));
    params.set(key, [...(params.get(key) ?? []), ...values]);
    if (key === 'TYPE') for (const v of values) types.add(v.toUpperCase());
  }
  const raw = line.subarray(colon + 1);
  const qp = params.get('ENCODING')?.[0]?.toUpperCase() === 'QUOTED-PRINTABLE' || types.has('QUOTED-PRINTABLE');
  const bytes = qp ? decodeQuotedPrintable(raw) : raw;
  return { name, params, types, value: decode(bytes, params.get('CHARSET')?.[0]) };
}

function decodeQuotedPrintable(raw: Uint8Array): Uint8Array {
  const out = new Uint8Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const hex = raw[i] === 0x3d && i + 2 < raw.length ? String.fromCharCode(raw[i + 1]!, raw[i + 2]!) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out[n++] = parseInt(hex, 16);
      i += 2;
    } else out[n++] = raw[i]!;
  }
  return out.subarray(0, n);
}

function decode(bytes: Uint8Array, charset: string | undefined): string {
  if (!charset || /^utf-?8$/i.test(charset)) return utf8.decode(bytes);
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

function readingOf(card: Property[]): string {
  const get = (name: string) => unescape(card.find((p) => p.name === name)?.value ?? '');
  const phonetic = [get('X-PHONETIC-LAST-NAME'), get('X-PHONETIC-FIRST-NAME')].filter(Boolean).join(' ');
  if (phonetic) return phonetic.normalize('NFKC');
  const sound = card.find((p) => p.name === 'SOUND' && (p.types.has('X-IRMC-N') || p.types.size === 0));
  if (sound) {
    const [family = '', given = ''] = components(sound.value);
    const reading = [family, given].filter(Boolean).join(' ');
    if (reading) return reading.normalize('NFKC');
  }
  return get('SORT-STRING').normalize('NFKC');
}

function numberType(types: Set<string>): NumberType {
  if (types.has('FAX')) return 'fax';
  if (types.has('CELL')) return 'mobile';
  if (types.has('WORK')) return 'work';
  if (types.has('HOME')) return 'home';
  return 'other';
}

function toContact(card: Property[]): Contact | null {
  const numbers = card
    .filter((p) => p.name === 'TEL' && p.value.trim() !== '')
    .map((p) => ({ type: numberType(p.types), number: p.value.trim() }));
  const organisation = components(card.find((p) => p.name === 'ORG')?.value ?? '').filter(Boolean).join(' ');
  const name = nameOf(card) || organisation || numbers[0]?.number || '';
  if (!name) return null;
  return { name, reading: readingOf(card), numbers, organisation };
}

/** 20261120T091500 → 2026-11-20T09:15:00 (Z kept when the phone sent it). */
function isoOf(value: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(value.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7]}` : null;
}
