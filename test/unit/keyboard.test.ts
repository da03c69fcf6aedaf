import { describe, expect, it } from 'vitest';
import { interpret } from '../../main/screens/controller';
import { entryScreen } from '../../main/screens/entry';
import { keyId, openEntry } from '../../main/machines/keyboard';
import type { EntryPurpose } from '../../main/machines/ids';
import type { ScreenInput } from '../../main/screens/model';
import type { Direction } from '../../shared/controller';
import { translate } from '../../shared/i18n';

/** Tilting on a keyboard moves to the key drawn in that direction: the geometry the display draws. */
function tilt(purpose: EntryPurpose, from: string, ...moves: Direction[]): string {
  const screen = entryScreen({ t: (key, params) => translate('en', key, params) } as ScreenInput, openEntry(purpose, 'a'));
  let focus = from.startsWith('key.') ? from : keyId(from);
  for (const direction of moves) {
    const events = interpret({ screen, popup: null, screenFocus: focus, popupFocus: null, depth: 1 }, { kind: 'tilt', direction });
    const moved = events.find((e) => e.type === 'focus.set');
    if (moved && moved.type === 'focus.set') focus = moved.id;
  }
  return focus.startsWith('key.') && /^key\.\d+$/.test(focus) ? String.fromCodePoint(Number(focus.slice(4))) : focus;
}

describe('the keyboards by tilting', () => {
  it('on the PIN pad, up from 0 is 8, and a controller user reaches 2-5-8-0 by the keys drawn', () => {
    expect(tilt('pin', '0', 'up')).toBe('8');
    expect(tilt('pin', '2', 'down', 'down', 'down')).toBe('0');
    expect(tilt('pin', '0', 'right')).toBe('key.delete');
    expect(tilt('pin', '7', 'down')).toBe('7'); // nothing is drawn under 7
  });

  it('on the dial pad, down from * is Delete, not +', () => {
    expect(tilt('dial', '*', 'down')).toBe('key.delete');
    expect(tilt('dial', '0', 'down')).toBe('+');
    expect(tilt('dial', '#', 'down')).toBe('key.ok');
    expect(tilt('dial', '+', 'up')).toBe('0');
  });

  it('on the letters, up from m is k, the key drawn above it', () => {
    expect(tilt('email', 'm', 'up')).toBe('k');
    expect(tilt('email', 'z', 'up')).toBe('s');
    expect(tilt('email', 'q', 'up')).toBe('1');
    expect(tilt('email', 'p', 'up')).toBe('0');
    expect(tilt('email', 'b', 'down')).toBe('key.space');
  });

  it('gives the display every key a place inside the keyboard, rows never overlapping', () => {
    for (const purpose of ['email', 'password', 'pin', 'dial', 'vehicleName'] as const) {
      const { keyboard } = entryScreen({ t: (key, params) => translate('en', key, params) } as ScreenInput, openEntry(purpose, 'a'));
      for (const row of keyboard.rows) {
        row.forEach((key, i) => {
          expect(key.column).toBeGreaterThanOrEqual(0);
          expect(key.column + key.span).toBeLessThanOrEqual(keyboard.columns);
          if (i > 0) expect(key.column).toBeGreaterThanOrEqual(row[i - 1]!.column + row[i - 1]!.span);
        });
      }
    }
  });
});
