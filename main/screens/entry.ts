import type { EntryModel, Row, ScreenInput } from './model';
import { layOutKeys } from '../../shared/keyboard';
import { charOfKey, keyId, purposeOf, type EntryState, type Purpose } from '../machines/keyboard';

const letterRows = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
/** What an e-mail address needs beyond letters and digits (RFC 5322 atext, and the dot). */
const symbolRows = ['1234567890', '@._-+!#$%&', "'*/=?^`{|}", '~'];
const pinRows = ['123', '456', '789', '0'];
const dialRows = ['123', '456', '789', '*0#', '+'];
/** The 50-sound table as Japanese car keyboards draw it: a column per consonant (あ か さ … わ), a row per vowel; ゛ ゜ and ー in the gaps. */
const kanaRows = ['あかさたなはまやらわ', 'いきしちにひみゆりを', 'うくすつぬふむよるん', 'えけせてねへめーれ、', 'おこそとのほもっろ。'];

function charRows(entry: EntryState, mode: Purpose['mode']): string[] {
  if (mode === 'pin') return pinRows;
  if (mode === 'dial') return dialRows;
  if (entry.layer === 'symbols') return symbolRows;
  if (entry.layer === 'kana') return kanaRows;
  return entry.layer === 'upper' ? letterRows.map((r) => r.toUpperCase()) : letterRows;
}

export function entryScreen({ t }: ScreenInput, entry: EntryState): EntryModel {
  const purpose = purposeOf(entry);
  const charKeys: string[][] = charRows(entry, purpose.mode).map((row) => [...row].map(keyId));
  const full = entry.text.length >= purpose.maxLength;
  const rows: Row[] = charKeys.flat().map((id) => ({
    id,
    kind: 'key',
    label: charOfKey(id) ?? '',
    disabled: full,
    press: { type: 'entry.key', key: id },
  }));
  const special = (id: string, label: string, disabled = false): Row => ({
    id,
    kind: 'key',
    label,
    disabled,
    press: { type: 'entry.key', key: id },
  });
  const last: Row[] = [];
  if (purpose.mode === 'text' && entry.layer === 'kana') {
    last.push(special('key.kana', t('keyboard.letters')), special('key.voiced', t('keyboard.voiced')), special('key.space', t('keyboard.space'), full));
  } else if (purpose.mode === 'text') {
    last.push(
      special('key.layer', t(entry.layer === 'symbols' ? 'keyboard.letters' : 'keyboard.symbols')),
      special('key.shift', t('keyboard.shift'), entry.layer === 'symbols'),
      ...(purpose.kana ? [special('key.kana', t('keyboard.kana'))] : []),
      special('key.space', t('keyboard.space'), full),
    );
    if (purpose.masked) last.push(special('key.reveal', t(entry.revealed ? 'keyboard.hide' : 'keyboard.show')));
  }
  last.push(special('key.delete', t('keyboard.delete'), entry.text.length === 0));
  if (purpose.mode === 'text') last.push(special('key.ok', t('keyboard.ok'), entry.text.length === 0 && entry.purpose !== 'contactSearch'));
  if (purpose.mode === 'dial') last.push(special('key.ok', t('call.call'), entry.text.length === 0));
  rows.push(...last);
  const keyboard = layOutKeys(
    placeKeys(
      purpose.mode,
      charKeys,
      last.map((r) => r.id),
    ),
  );
  // A PIN pad shows dots, always: the guide shows no way to reveal a PIN.
  const hidden = purpose.masked && (purpose.mode === 'pin' || !entry.revealed);
  return {
    kind: 'entry',
    id: `entry.${entry.purpose}`,
    title: t(purpose.title),
    mode: purpose.mode,
    shown: hidden ? '•'.repeat(entry.text.length) : entry.text,
    placeholder: t(purpose.hint, { email: entry.subject ?? '' }),
    ...(entry.error ? { error: t(entry.error, entry.errorParams) } : {}),
    rows,
    keyboard,
  };
}

/**
 * Rows of keys as they are drawn. Text: the letters centred, then the special keys filling the
 * width (Space takes what the others leave). PIN pad: 0 under 8 with Delete beside it, as on a
 * phone. Dial pad: + under 0, then Delete and Call side by side.
 */
function placeKeys(mode: Purpose['mode'], charKeys: string[][], special: string[]) {
  const plain = (ids: string[]) => ({ keys: ids.map((id) => ({ id })) });
  if (mode === 'pin') {
    const [zero, ...rest] = charKeys.at(-1)!;
    return [...charKeys.slice(0, -1).map(plain), { start: 2, keys: [{ id: zero! }, ...rest.map((id) => ({ id })), ...special.map((id) => ({ id }))] }];
  }
  if (mode === 'dial') return [...charKeys.map(plain), { keys: special.map((id) => ({ id, span: 3 })) }];
  const width = Math.max(...charKeys.map((row) => row.length)) * 2;
  const others = special.filter((id) => id !== 'key.space');
  return [...charKeys.map(plain), { keys: special.map((id) => ({ id, span: id === 'key.space' ? width - 3 * others.length : 3 })) }];
}
