import { IntlMessageFormat } from 'intl-messageformat';
import { TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { en, type Catalog, type MessageKey } from './en';
import { ja } from './ja';

export type { Catalog, MessageKey };
export const languages = ['en', 'ja'] as const;
export type Language = (typeof languages)[number];

const catalogs: Record<Language, Catalog> = { en, ja };

/**
 * What each language of the car is, in one row: its BCP 47 tag (dates, times, plurals), how it
 * collates, which script its contacts list first, and its name in the Settings list. Every place
 * that treats a language its own way reads it here, so another language is one catalog and one row.
 */
export interface Locale {
  tag: string;
  collation: string;
  /** the order of a contact list's script groups: the language's own first */
  scripts: readonly ('kana' | 'latin' | 'other')[];
  name: MessageKey;
}
export const locales: Record<Language, Locale> = {
  en: { tag: 'en-GB', collation: 'en', scripts: ['latin', 'kana', 'other'], name: 'settings.languageEn' },
  ja: { tag: 'ja-JP', collation: 'ja', scripts: ['kana', 'latin', 'other'], name: 'settings.languageJa' },
};

const formats = new Map<string, IntlMessageFormat>();

/**
 * Looks a message up and fills it: ICU MessageFormat, so plurals read right in each language
 * ("1 attempt", "2 attempts"). Formats are parsed once per language and key.
 */
export function translate(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  const message = catalogs[language][key];
  // (a message with no argument and no quoted syntax reads as it is written: no parse, and no first
  // use of ICU's locale data, ~15 ms, on a start whose first screen says nothing but such messages)
  if (isPlainText(message)) return message;
  const id = `${language}:${key}`;
  let format = formats.get(id);
  if (!format) {
    format = new IntlMessageFormat(message, locales[language].tag, undefined, { ignoreTag: true });
    formats.set(id, format);
  }
  try {
    return String(format.format(params));
  } catch {
    // A missing parameter is a bug; the raw message shows it (and the tests look for it) rather than
    // taking the whole screen down.
    return message;
  }
}

/** Whether ICU MessageFormat would give `message` back as it is: no argument (`{`…`}`) and no doubled apostrophe (an escaped one). */
export function isPlainText(message: string): boolean {
  return !/[{}]|''/.test(message);
}

/** The argument names a message uses (`{seconds}`, `{left, plural, …}`), for checking catalogs. */
export function argumentsOf(language: Language, key: MessageKey): string[] {
  const names = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type !== TYPE.literal && element.type !== TYPE.pound && element.type !== TYPE.tag) names.add(element.value);
      if ('options' in element) for (const option of Object.values(element.options)) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(catalogs[language][key], 'en', undefined, { ignoreTag: true }).getAst());
  return [...names].sort();
}

/** ja_JP.UTF-8, ja-JP, ja → Japanese; anything else, or nothing, → English (docs/facts.md "The language"). */
export function languageFromLocale(locale: string | undefined): Language {
  const primary = locale?.toLowerCase().split(/[-_.@]/)[0];
  return languages.find((language) => language !== 'en' && language === primary) ?? 'en';
}
