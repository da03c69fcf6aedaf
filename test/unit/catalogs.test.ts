import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { argumentsOf, isPlainText, languages, translate } from '../../shared/i18n';
import { en, type MessageKey } from '../../shared/i18n/en';
import { ja } from '../../shared/i18n/ja';

/** Both catalogs, message by message: they parse, agree on their arguments, and fill every one. */
const keys = Object.keys(en) as MessageKey[];

describe('the message catalogs', () => {
  it.each(languages)('%s: every message, filled with its arguments, shows no placeholder', (language) => {
    for (const key of keys) {
      const params = Object.fromEntries(argumentsOf(language, key).map((name) => [name, 2]));
      expect(translate(language, key, params), `${language} ${key}`).not.toMatch(/[{}]/);
    }
  });

  it('Japanese asks for the same arguments as English', () => {
    for (const key of keys) expect(argumentsOf('ja', key), key).toEqual(argumentsOf('en', key));
  });

  it('counts in words that agree with the number', () => {
    expect(translate('en', 'pin.wrong', { left: 1 })).toBe('Wrong PIN. 1 attempt left before the profile is locked.');
    expect(translate('en', 'pin.wrong', { left: 4 })).toBe('Wrong PIN. 4 attempts left before the profile is locked.');
    expect(translate('en', 'bt.contactCount', { count: 1 })).toBe('1 contact');
    expect(translate('ja', 'pin.wrong', { left: 1 })).toContain('あと1回');
  });

  it('gives a message without arguments as ICU MessageFormat reads it, without parsing it', () => {
    const plain = [...Object.values(en), ...Object.values(ja)].filter(isPlainText);
    expect(plain.length).toBeGreaterThan(keys.length); // (most messages of both languages)
    for (const message of plain) expect(new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).format(), message).toBe(message);
    // What MessageFormat reads otherwise is parsed: an escaped apostrophe, an argument.
    expect(isPlainText("it''s")).toBe(false);
    expect(isPlainText('{count} contacts')).toBe(false);
  });

  it('shows a forgotten argument as the raw message, never an exception that takes the screen down', () => {
    expect(translate('en', 'login.rateLimited')).toContain('{seconds}');
  });
});
