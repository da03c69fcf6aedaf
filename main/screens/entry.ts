import type { MessageKey } from '../../shared/i18n';
import { VehicleName } from '../../shared/scenario';
import type { HeadUnitEvent } from '../machines/events';
import type { EntryModel, Row, ScreenInput } from './model';

/**
 * The on-screen keyboard and PIN pad. One entry is open at a time; its purpose says what the
 * text is for, how it is checked, and what OK does with it.
 */
export const entryPurposes = ['vehicleName'] as const;
export type EntryPurpose = (typeof entryPurposes)[number];

export type KeyboardLayer = 'lower' | 'upper' | 'symbols';
export interface EntryState {
  purpose: EntryPurpose;
  text: string;
  layer: KeyboardLayer;
  /** masked fields show dots unless the driver chose to show them */
  revealed: boolean;
  error: MessageKey | null;
}

interface Purpose {
  title: MessageKey;
  mode: 'text' | 'pin';
  masked: boolean;
  maxLength: number;
  /** the message for invalid text, or null when it may be submitted */
  check(text: string): MessageKey | null;
  /** what OK means for valid text */
  submit(text: string): HeadUnitEvent;
}

const purposes: Record<EntryPurpose, Purpose> = {
  vehicleName: {
    title: 'settings.vehicleName',
    mode: 'text',
    masked: false,
    maxLength: 24,
    check: (text) => (VehicleName.safeParse(text).success ? null : 'vehicleName.invalid'),
    submit: (text) => ({ type: 'settings.set', patch: { vehicleName: text.trim() } }),
  },
};

export function purposeOf(entry: EntryState): Purpose {
  return purposes[entry.purpose];
}

const letterRows = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
/** What an e-mail address needs beyond letters and digits (RFC 5322 atext, and the dot). */
const symbolRows = ['1234567890', "@._-+!#$%&", "'*/=?^`{|}", '~'];
const pinRows = ['123', '456', '789', '0'];

export function keyId(char: string): string {
  return `key.${char.codePointAt(0)}`;
}
export function charOfKey(id: string): string | null {
  const match = /^key\.(\d+)$/.exec(id);
  return match ? String.fromCodePoint(Number(match[1])) : null;
}

function charRows(entry: EntryState, mode: Purpose['mode']): string[] {
  if (mode === 'pin') return pinRows;
  if (entry.layer === 'symbols') return symbolRows;
  return entry.layer === 'upper' ? letterRows.map((r) => r.toUpperCase()) : letterRows;
}

export function entryScreen({ t }: ScreenInput, entry: EntryState): EntryModel {
  const purpose = purposeOf(entry);
  const grid: string[][] = charRows(entry, purpose.mode).map((row) => [...row].map(keyId));
  const full = entry.text.length >= purpose.maxLength;
  const rows: Row[] = grid.flat().map((id) => ({
    id,
    kind: 'key',
    label: charOfKey(id) ?? '',
    disabled: full,
    press: { type: 'entry.key', key: id },
  }));
  const special = (id: string, label: string, disabled = false): Row => ({
    id, kind: 'key', label, disabled, press: { type: 'entry.key', key: id },
  });
  const last: Row[] = [];
  if (purpose.mode === 'text') {
    last.push(
      special('key.layer', t(entry.layer === 'symbols' ? 'keyboard.letters' : 'keyboard.symbols')),
      special('key.shift', t('keyboard.shift'), entry.layer === 'symbols'),
      special('key.space', t('keyboard.space'), full),
    );
    if (purpose.masked) last.push(special('key.reveal', t(entry.revealed ? 'keyboard.hide' : 'keyboard.show')));
  }
  last.push(special('key.delete', t('keyboard.delete'), entry.text.length === 0));
  if (purpose.mode === 'text') last.push(special('key.ok', t('keyboard.ok'), entry.text.length === 0));
  rows.push(...last);
  grid.push(last.map((r) => r.id));
  const hidden = purpose.masked && !entry.revealed;
  return {
    kind: 'entry',
    id: `entry.${entry.purpose}`,
    title: t(purpose.title),
    mode: purpose.mode,
    shown: hidden ? '•'.repeat(entry.text.length) : entry.text,
    placeholder: t(purpose.mode === 'pin' ? 'pin.enter' : 'keyboard.empty'),
    ...(entry.error ? { error: t(entry.error) } : {}),
    rows,
    grid,
  };
}

/** The entry after a key of the keyboard: a character, or one of the special keys. */
export function pressKey(entry: EntryState, key: string): EntryState | { submit: HeadUnitEvent } | { invalid: EntryState } {
  const purpose = purposeOf(entry);
  const char = charOfKey(key);
  if (char !== null) return typeText(entry, char);
  switch (key) {
    case 'key.space':
      return typeText(entry, ' ');
    case 'key.delete':
      return { ...entry, text: [...entry.text].slice(0, -1).join(''), error: null };
    case 'key.shift':
      return { ...entry, layer: entry.layer === 'upper' ? 'lower' : 'upper' };
    case 'key.layer':
      return { ...entry, layer: entry.layer === 'symbols' ? 'lower' : 'symbols' };
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

/** Typed text (on-screen keys or a bench keyboard), cut at the field's length. */
export function typeText(entry: EntryState, text: string): EntryState {
  const purpose = purposeOf(entry);
  const allowed = purpose.mode === 'pin' ? text.replace(/\D/g, '') : text;
  const next = [...entry.text, ...allowed].slice(0, purpose.maxLength).join('');
  // One Shift press makes one capital, as on a phone keyboard.
  const layer = entry.layer === 'upper' && allowed.length > 0 ? 'lower' : entry.layer;
  return { ...entry, text: next, layer, error: null };
}

export function openEntry(purpose: EntryPurpose, text: string): EntryState {
  return { purpose, text, layer: 'lower', revealed: false, error: null };
}
