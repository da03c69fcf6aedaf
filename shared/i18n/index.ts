import { en, type Catalog, type MessageKey } from './en';
import { ja } from './ja';

export type { Catalog, MessageKey };
export const languages = ['en', 'ja'] as const;
export type Language = (typeof languages)[number];

const catalogs: Record<Language, Catalog> = { en, ja };

/** Looks a message up and fills its `{name}` placeholders. */
export function translate(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return catalogs[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** ja_JP.UTF-8, ja-JP, ja → Japanese; anything else, or nothing, → English (FACTS.md). */
export function languageFromLocale(locale: string | undefined): Language {
  return locale?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}
