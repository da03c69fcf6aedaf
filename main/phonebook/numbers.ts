import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * Phone numbers as people write them (docs/facts.md "Phone numbers"): shown as written, dialled as
 * a dial string, compared as whole numbers. Read with libphonenumber's metadata, Japan the default
 * region (the car is a Japanese car on NTT DOCOMO).
 */
const region = 'JP';

/** Where what follows a number starts: a pause (`,` `p`), a wait (`;` `w`), an extension (`x`, `ext.`, 内線). */
const trailer = /[,;pPwWxX#]?\s*(?:ext\.?|extension|内線)|[,;pPwWxX]/i;

/** The number itself, without what follows it. */
function numberPart(written: string): string {
  const at = written.search(trailer);
  return (at < 0 ? written : written.slice(0, at)).trim();
}

/**
 * The dial string a line is given (3GPP TS 27.007 `ATD`: digits, a leading `+`, `*`, `#`): the
 * separators people write (spaces, hyphens, brackets, dots) gone, an international number in its
 * E.164 form (so `+81 (0)90 …` loses the trunk 0), and what follows the number left off. '' when
 * there is nothing to dial.
 */
export function dialString(written: string): string {
  const main = numberPart(written.normalize('NFKC'));
  if (main.startsWith('+')) {
    const parsed = parsePhoneNumberFromString(main, region);
    if (parsed?.isValid()) return parsed.number;
  }
  const digits = main.replace(/[^0-9*#]/g, '');
  return digits === '' ? '' : `${main.startsWith('+') ? '+' : ''}${digits}`;
}

/**
 * What identifies a number, for caller ID and the call log: its E.164 form when it is a valid
 * number (so `090-2222-3333` and `+81 90-2222-3333` are the same, and `080-2222-3333` another),
 * else its dial string (short numbers such as 110, service codes such as #8000).
 */
export function numberKey(written: string): string {
  const main = dialString(written);
  const parsed = parsePhoneNumberFromString(main, region);
  return parsed?.isValid() ? parsed.number : main;
}

/** A number the car has no name for, as a Japanese phone shows it (`09022223333` → `090-2222-3333`). */
export function displayNumber(number: string): string {
  const parsed = parsePhoneNumberFromString(dialString(number), region);
  if (!parsed?.isValid()) return number;
  return parsed.country === region ? parsed.formatNational() : parsed.formatInternational();
}
