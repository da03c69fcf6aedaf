import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dialString, displayNumber, numberKey } from '../../main/phonebook/numbers';

/** Whether two written numbers are one number, as caller ID compares them (by `numberKey`). */
const sameNumber = (a: string, b: string) => numberKey(a) !== '' && numberKey(a) === numberKey(b);

/** A Japanese mobile number as digits: 70, 80 or 90, then eight digits (not 0800…: a toll-free number). */
const mobile = fc.tuple(fc.constantFrom('70', '80', '90'), fc.stringMatching(/^[1-9][0-9]{7}$/)).map(([prefix, rest]) => `${prefix}${rest}`);

/** The ways people write the same number (`national` is without the trunk 0: 9012345678). */
function writtenForms(national: string): string[] {
  const [a, b, c] = [national.slice(0, 2), national.slice(2, 6), national.slice(6)];
  const wide = (text: string) => text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
  return [
    `0${a}-${b}-${c}`,
    `0${a}${b}${c}`,
    `0${a} ${b} ${c}`,
    `(0${a}) ${b}-${c}`,
    `0${a}.${b}.${c}`,
    `+81 ${a} ${b} ${c}`,
    `+81-${a}-${b}-${c}`,
    `+81 (${a}) ${b}-${c}`,
    `+81 (0)${a} ${b} ${c}`,
    `+81${national}`,
    wide(`0${a}-${b}-${c}`),
    `0${a}-${b}-${c},123`,
    `0${a}-${b}-${c} ext. 45`,
    `0${a}-${b}-${c}p1`,
    `+81 ${a} ${b} ${c} 内線 12`,
  ];
}

describe('phone numbers as people write them', () => {
  it('dials every written form as a 27.007 dial string, and knows them all as one number', () => {
    fc.assert(
      fc.property(mobile, (national) => {
        const forms = writtenForms(national);
        for (const form of forms) {
          expect(dialString(form), form).toMatch(/^\+?[0-9*#]+$/);
          expect(numberKey(form), form).toBe(`+81${national}`);
          expect(sameNumber(form, forms[0]!), form).toBe(true);
        }
        expect(displayNumber(`+81${national}`)).toBe(forms[0]);
      }),
    );
  });

  it('never takes one number for another that shares its tail (field case c07)', () => {
    fc.assert(
      fc.property(mobile, mobile, (a, b) => {
        fc.pre(a !== b);
        expect(sameNumber(`0${a}`, `0${b}`)).toBe(false);
      }),
    );
    expect(sameNumber('090-2222-3333', '080-2222-3333')).toBe(false);
    expect(sameNumber('090-2222-3333', '+81 90 2222 3333')).toBe(true);
  });

  it('keeps short numbers and service codes as they are dialled', () => {
    expect(dialString('110')).toBe('110');
    expect(dialString('#8000')).toBe('#8000');
    expect(dialString('*31#090-1234-5678')).toBe('*31#09012345678');
    expect(numberKey('117')).toBe('117');
    expect(sameNumber('110', '119')).toBe(false);
  });

  it('has nothing to dial where there is no number', () => {
    for (const nothing of ['', '  ', '---', 'ext. 12', '()']) expect(dialString(nothing), nothing).toBe('');
    expect(sameNumber('', '')).toBe(false);
  });

  it('dials the numbers of the field case as the modem takes them (c06)', () => {
    expect(['090-5555-6666', '+81 (90) 1234-5678', '09055556667'].map(dialString)).toEqual(['09055556666', '+819012345678', '09055556667']);
  });
});
