import type { MessageKey } from '../../shared/i18n';
import { VehicleName } from '../../shared/scenario';
import type { HeadUnitEvent } from './events';
import type { EntryPurpose } from './ids';

/*
 * The keyboard's model: the on-screen keyboard's and PIN pad's state and what each key does to
 * it. One entry is open at a time; its purpose says what the text is for, how it is checked, and
 * what OK does with it. (How the keys are laid out and drawn is `screens/entry.ts`.)
 */

/** The keys shown: Latin letters, capitals, symbols, or kana (the Japanese iDrive's 50-sound table, for searching by reading). */
export type KeyboardLayer = 'lower' | 'upper' | 'symbols' | 'kana';
export interface EntryState {
  purpose: EntryPurpose;
  text: string;
  layer: KeyboardLayer;
  /** masked fields show dots unless the driver chose to show them */
  revealed: boolean;
  error: MessageKey | null;
  errorParams?: Record<string, string | number>;
  /** whom the text is for, shown in the empty field (the BMW ID a password belongs to) */
  subject?: string;
}

export interface Purpose {
  title: MessageKey;
  /** what goes in the field, shown while it is empty */
  hint: MessageKey;
  mode: 'text' | 'pin' | 'dial';
  /** a kana layer beside the Latin letters (a search by reading) */
  kana?: boolean;
  masked: boolean;
  maxLength: number;
  /** the message for invalid text, or null when it may be submitted */
  check(text: string): MessageKey | null;
  /** what OK means for valid text (a PIN is submitted by its last digit) */
  submit(text: string): HeadUnitEvent;
}

const looksLikeEmail = (text: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim());
const pinPurpose = (title: MessageKey, submit: (text: string) => HeadUnitEvent): Purpose => ({
  title,
  hint: 'pin.enter',
  mode: 'pin',
  masked: true,
  maxLength: 4,
  check: (text) => (/^\d{4}$/.test(text) ? null : 'pin.fourDigits'),
  submit,
});

const purposes: Record<EntryPurpose, Purpose> = {
  vehicleName: {
    title: 'settings.vehicleName',
    hint: 'entry.hint.vehicleName',
    mode: 'text',
    masked: false,
    maxLength: 24,
    check: (text) => (VehicleName.safeParse(text).success ? null : 'vehicleName.invalid'),
    submit: (text) => ({ type: 'settings.set', patch: { vehicleName: text.trim() } }),
  },
  email: {
    title: 'login.emailTitle',
    hint: 'entry.hint.email',
    mode: 'text',
    masked: false,
    maxLength: 254,
    check: (text) => (looksLikeEmail(text) ? null : 'login.emailInvalid'),
    submit: (text) => ({ type: 'login.submit', text: text.trim() }),
  },
  password: {
    title: 'login.passwordTitle',
    hint: 'entry.hint.password',
    mode: 'text',
    masked: true,
    maxLength: 128,
    check: (text) => (text.length > 0 ? null : 'login.passwordEmpty'),
    submit: (text) => ({ type: 'login.submit', text }),
  },
  pin: pinPurpose('pin.setTitle', (text) => ({ type: 'login.submit', text })),
  pinConfirm: pinPurpose('pin.confirmTitle', (text) => ({ type: 'login.submit', text })),
  pinUnlock: pinPurpose('pin.enter', (text) => ({ type: 'unlock.submit', text })),
  dial: {
    title: 'telephone.dial',
    hint: 'entry.hint.dial',
    mode: 'dial',
    masked: false,
    maxLength: 24,
    check: (text) => (/^\+?[0-9*#]{2,}$/.test(text) ? null : 'telephone.numberInvalid'),
    submit: (text) => ({ type: 'tel.call', number: text }),
  },
  contactSearch: {
    title: 'contacts.search',
    hint: 'entry.hint.contactSearch',
    mode: 'text',
    kana: true,
    masked: false,
    maxLength: 40,
    // An empty search shows every contact again.
    check: () => null,
    submit: (text) => ({ type: 'contacts.search', query: text.trim() }),
  },
};

export function purposeOf(entry: EntryState): Purpose {
  return purposes[entry.purpose];
}

export function keyId(char: string): string {
  return `key.${char.codePointAt(0)}`;
}
export function charOfKey(id: string): string | null {
  const match = /^key\.(\d+)$/.exec(id);
  return match ? String.fromCodePoint(Number(match[1])) : null;
}

/** The forms each kana takes under the ゛゜小 key, in turn, back to the plain one. */
const kanaCycles = [
  'かが',
  'きぎ',
  'くぐ',
  'けげ',
  'こご',
  'さざ',
  'しじ',
  'すず',
  'せぜ',
  'そぞ',
  'ただ',
  'ちぢ',
  'てで',
  'とど',
  'はばぱ',
  'ひびぴ',
  'ふぶぷ',
  'へべぺ',
  'ほぼぽ',
  'つっづ',
  'うぅゔ',
  'あぁ',
  'いぃ',
  'えぇ',
  'おぉ',
  'やゃ',
  'ゆゅ',
  'よょ',
  'わゎ',
];
/** Each kana's next form under the ゛゜小 key. */
const kanaVariant = new Map(kanaCycles.flatMap((cycle) => [...cycle].map((c, i, all) => [c, all[(i + 1) % all.length]!] as const)));

/** The entry after a key of the keyboard: a character, or one of the special keys. */
export type KeyResult = EntryState | { submit: HeadUnitEvent } | { invalid: EntryState };

export function pressKey(entry: EntryState, key: string): KeyResult {
  const purpose = purposeOf(entry);
  const char = charOfKey(key);
  if (char !== null) return enterText(entry, char);
  switch (key) {
    case 'key.space':
      return typeText(entry, ' ');
    case 'key.delete':
      return { ...entry, text: [...entry.text].slice(0, -1).join(''), error: null };
    case 'key.shift':
      return { ...entry, layer: entry.layer === 'upper' ? 'lower' : 'upper' };
    case 'key.layer':
      return { ...entry, layer: entry.layer === 'symbols' ? 'lower' : 'symbols' };
    case 'key.kana':
      return purpose.kana ? { ...entry, layer: entry.layer === 'kana' ? 'lower' : 'kana' } : entry;
    case 'key.voiced': {
      // ゛゜小: the last kana cycles through its voiced, semi-voiced and small forms (か→が, は→ば→ぱ, つ→っ→づ).
      const chars = [...entry.text];
      const next = kanaVariant.get(chars.at(-1) ?? '');
      return next ? { ...entry, text: [...chars.slice(0, -1), next].join(''), error: null } : entry;
    }
    case 'key.reveal':
      return { ...entry, revealed: !entry.revealed };
    case 'key.ok': {
      const error = purpose.check(entry.text);
      return error ? { invalid: { ...entry, error } } : { submit: purpose.submit(entry.text) };
    }
    default:
      return entry;
  }
}

/** What a key of the on-screen keyboard, or text from a bench keyboard, does to an entry. */
export function applyEntryInput(entry: EntryState, input: { type: 'entry.key'; key: string } | { type: 'entry.type'; text: string }): KeyResult {
  return input.type === 'entry.key' ? pressKey(entry, input.key) : enterText(entry, input.text);
}

/**
 * A flow's keyboard (the login's, a PIN unlock's): an entry key or typed text forwarded to the
 * flow's entry. `to.entry` takes the entry as it is now (a refused OK leaves it with its error);
 * `to.submit` the event its OK raises (the purpose's, such as `login.submitEmail`). Nothing happens
 * when the flow shows no entry, or for another event.
 */
export function forwardKey(
  entry: EntryState | null,
  event: { type: string },
  to: { entry(entry: EntryState): void; submit(event: HeadUnitEvent): void },
): void {
  if (!entry || !isEntryInput(event)) return;
  const result = applyEntryInput(entry, event);
  if ('submit' in result) to.submit(result.submit);
  else to.entry('invalid' in result ? result.invalid : result);
}

const isEntryInput = (event: { type: string }): event is { type: 'entry.key'; key: string } | { type: 'entry.type'; text: string } =>
  event.type === 'entry.key' || event.type === 'entry.type';

/** Typed text; a PIN pad submits by itself once the PIN is complete. */
export function enterText(entry: EntryState, text: string): KeyResult {
  const next = typeText(entry, text);
  const purpose = purposeOf(next);
  if (purpose.mode === 'pin' && next.text.length === purpose.maxLength) return { submit: purpose.submit(next.text) };
  return next;
}

/** Typed text (on-screen keys or a bench keyboard), cut at the field's length. */
export function typeText(entry: EntryState, text: string): EntryState {
  const purpose = purposeOf(entry);
  const allowed = purpose.mode === 'pin' ? text.replace(/\D/g, '') : purpose.mode === 'dial' ? text.replace(/[^0-9*#+]/g, '') : text;
  const next = [...entry.text, ...allowed].slice(0, purpose.maxLength).join('');
  // One Shift press makes one capital, as on a phone keyboard.
  const layer = entry.layer === 'upper' && allowed.length > 0 ? 'lower' : entry.layer;
  return { ...entry, text: next, layer, error: null };
}

export function openEntry(purpose: EntryPurpose, text = '', error: MessageKey | null = null): EntryState {
  return { purpose, text, layer: 'lower', revealed: false, error };
}
