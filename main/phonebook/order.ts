import type { Language } from '../../shared/i18n';
import type { Contact } from './vcard';

/**
 * The contacts list's order, as a Japanese or an English head unit sorts it: by the reading
 * (katakana and half-width kana folded to hiragana) where there is one, else by the name. Japanese
 * readings come first in Japanese (あ…ん, then A…Z), Latin names first in English; names that are
 * neither (digits, kanji without a reading) come last.
 */
export function sortContacts(contacts: readonly Contact[], language: Language): Contact[] {
  const collator = new Intl.Collator(language === 'ja' ? 'ja' : 'en', { sensitivity: 'base', numeric: true });
  const groupOrder = language === 'ja' ? { kana: 0, latin: 1, other: 2 } : { latin: 0, kana: 1, other: 2 };
  const keyed = contacts.map((contact) => {
    const key = sortKey(contact);
    return { contact, key, group: groupOrder[groupOf(key)] };
  });
  keyed.sort((a, b) => a.group - b.group || collator.compare(a.key, b.key));
  return keyed.map((k) => k.contact);
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

/** Whether a contact matches what the driver typed: name, reading (in either kana) or a number. */
export function matches(contact: Contact, query: string): boolean {
  const q = toHiragana(query.normalize('NFKC')).toLowerCase().trim();
  if (!q) return true;
  const digits = q.replace(/[^0-9+]/g, '');
  return (
    toHiragana(contact.name.normalize('NFKC')).toLowerCase().includes(q) ||
    toHiragana(contact.reading).toLowerCase().includes(q) ||
    (digits.length >= 3 && contact.numbers.some((n) => n.number.replace(/[^0-9+]/g, '').includes(digits)))
  );
}
