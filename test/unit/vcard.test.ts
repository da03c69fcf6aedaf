import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { toHiragana, toKatakana } from 'wanakana';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { matcher, sortContacts, sortContactsSliced } from '../../main/phonebook/order';
import { parseCallHistory, parseContacts, parseContactsSliced, type Contact } from '../../main/phonebook/vcard';

/** Whether a contact matches a query, as the contacts search tests it. */
const matches = (contact: Contact, query: string) => matcher(query)(contact);
const fixture = (name: string) => readFileSync(new URL(`../fixtures/vcards/${name}`, import.meta.url));

describe('the vCard reader', () => {
  it('reads vCard 2.1 from Android: QUOTED-PRINTABLE UTF-8 with soft breaks, readings, a folded photo', () => {
    const contacts = parseContacts(fixture('android-pbap-vcard21.vcf'));
    expect(contacts.map((c) => c.name)).toEqual(['山田 太郎', '佐藤 花子', '渡辺 健', 'Müller Jürgen', 'ドコモ インフォメーションセンター', '伊藤 さくら']);
    expect(contacts[0]).toMatchObject({
      reading: 'ヤマダ タロウ',
      numbers: [
        { type: 'mobile', number: '090-1234-5678' },
        { type: 'home', number: '03-3333-4444' },
      ],
    });
    // The organisation spans three soft line breaks, one inside a character.
    expect(contacts[1]!.organisation).toBe('株式会社サンプル商事 第二営業部 東京支店 お客様サポートセンター');
    expect(contacts[2]!.numbers).toEqual([
      { type: 'work', number: '+81-3-5555-0000' },
      { type: 'mobile', number: '+81 90 8765 4321' },
    ]);
    // A card with no name is known by its organisation.
    expect(contacts[4]!.numbers).toEqual([{ type: 'mobile', number: '0120-000-000' }]);
  });

  it('reads vCard 3.0 from an iPhone: raw UTF-8, groups, a fold inside a character, SORT-STRING', () => {
    const contacts = parseContacts(fixture('iphone-vcard30.vcf'));
    expect(contacts.map((c) => c.name)).toEqual(['鈴木 一郎', 'Anna Smith', 'BMW Customer Interaction Center', '高橋 美咲']);
    expect(contacts[0]).toMatchObject({
      reading: 'すずき いちろう',
      numbers: [
        { type: 'mobile', number: '090-5555-6666' },
        { type: 'other', number: '03-1234-0000' },
      ],
    });
    expect(contacts[1]!.numbers.map((n) => n.type)).toEqual(['mobile', 'fax']);
    expect(contacts[3]!.reading).toBe('たかはし みさき');
  });

  it('reads the reading of a feature phone from SOUND;X-IRMC-N in half-width katakana', () => {
    const [contact] = parseContacts(fixture('featurephone-sound-vcard21.vcf'));
    expect(contact).toMatchObject({ name: '中村 大輔', reading: 'ナカムラ ダイスケ', numbers: [{ number: '09012121212' }] });
  });

  it('reads a PBAP call history, with an unknown caller', () => {
    expect(parseCallHistory(fixture('pbap-missed-calls-mch.vcf'))).toEqual([
      { name: '山田 太郎', number: '09012345678', direction: 'missed', at: '2026-11-20T09:15:00' },
      { name: '', number: '0312345678', direction: 'missed', at: '2026-11-21T18:30:00' },
      { name: 'Anna Smith', number: '+14155550100', direction: 'missed', at: '2026-11-22T07:05:01' },
    ]);
  });

  it('reads every reading field phones send: a company card by its X-PHONETIC-ORG, a person by theirs', () => {
    const contacts = parseContacts(fixture('phonetic-fields.vcf'));
    expect(contacts.map((c) => [c.name, c.reading])).toEqual([
      ['日本自動車サービス', 'にほんじどうしゃさーびす'],
      // a person at a company is read by their own name, never the company's
      ['石川 和也', 'いしかわ かずや'],
      ['小林 健太', 'こばやし た けん'],
      ['森田 葵', 'もりた あおい'],
      ['青空タクシー', 'あおぞらたくしー'],
    ]);
    expect(contacts[3]!.numbers).toEqual([{ type: 'mobile', number: '+81-90-5555-0103' }]);
  });

  it('sorts a company card among the Japanese names by its reading, not after every Latin name', () => {
    const contacts = [...parseContacts(fixture('phonetic-fields.vcf')), ...parseContacts(fixture('iphone-vcard30.vcf'))];
    expect(sortContacts(contacts, 'ja').map((c) => c.name)).toEqual([
      '青空タクシー',
      '石川 和也',
      '小林 健太',
      '鈴木 一郎',
      '高橋 美咲',
      '日本自動車サービス',
      '森田 葵',
      'Anna Smith',
      'BMW Customer Interaction Center',
    ]);
    const search = (q: string) => contacts.filter((c) => matches(c, q)).map((c) => c.name);
    expect(search('にほんじ')).toEqual(['日本自動車サービス']);
    expect(search('モリタ')).toEqual(['森田 葵']);
  });

  it('ignores what makes no sense, and never throws', () => {
    expect(parseContacts('BEGIN:VCARD\nVERSION:3.0\nN:;;;;\nEND:VCARD\ngarbage\nEND:VCARD\nBEGIN:VCARD\nFN:Only\n')).toEqual([]);
    expect(parseContacts(new Uint8Array([0xff, 0xfe, 0x3a, 0x0a]))).toEqual([]);
  });
});

describe('the contacts order', () => {
  const all = [
    ...parseContacts(fixture('android-pbap-vcard21.vcf')),
    ...parseContacts(fixture('iphone-vcard30.vcf')),
    ...parseContacts(fixture('featurephone-sound-vcard21.vcf')),
  ];

  it('sorts Japanese names by reading, then Latin names, in Japanese', () => {
    expect(sortContacts(all, 'ja').map((c) => c.name)).toEqual([
      '伊藤 さくら',
      '佐藤 花子',
      '鈴木 一郎',
      '高橋 美咲',
      'ドコモ インフォメーションセンター',
      '中村 大輔',
      '山田 太郎',
      '渡辺 健',
      'Anna Smith',
      'BMW Customer Interaction Center',
      'Müller Jürgen',
    ]);
  });

  it('puts Latin names first in English', () => {
    expect(
      sortContacts(all, 'en')
        .slice(0, 4)
        .map((c) => c.name),
    ).toEqual(['Anna Smith', 'BMW Customer Interaction Center', 'Müller Jürgen', '伊藤 さくら']);
  });

  it('finds contacts by name, reading in either kana, or number', () => {
    const names = (q: string) => all.filter((c) => matches(c, q)).map((c) => c.name);
    expect(names('やまだ')).toEqual(['山田 太郎']);
    expect(names('スズキ')).toEqual(['鈴木 一郎']);
    expect(names('anna')).toEqual(['Anna Smith']);
    expect(names('0120')).toEqual(['ドコモ インフォメーションセンター', 'BMW Customer Interaction Center']);
  });

  it('finds Japanese contacts by romaji typed on a Latin keyboard, as the driver types', () => {
    const names = (q: string) => all.filter((c) => matches(c, q)).map((c) => c.name);
    expect(names('suzuki')).toEqual(['鈴木 一郎']);
    expect(names('suzuk')).toEqual(['鈴木 一郎']);
    expect(names('SUZUKI')).toEqual(['鈴木 一郎']);
    expect(names('yamadatarou')).toEqual(['山田 太郎']);
  });

  it('finds names without their accents, and with them (mu, mü, MÜLLER)', () => {
    const names = (q: string) => all.filter((c) => matches(c, q)).map((c) => c.name);
    for (const q of ['mu', 'mü', 'MÜLLER', 'jurgen']) expect(names(q), q).toContain('Müller Jürgen');
  });

  it('finds any reading by its romaji, syllable by syllable', () => {
    const syllables = [
      'ka',
      'ki',
      'ku',
      'ke',
      'ko',
      'sa',
      'shi',
      'su',
      'se',
      'so',
      'ta',
      'chi',
      'tsu',
      'te',
      'to',
      'na',
      'ni',
      'ha',
      'hi',
      'fu',
      'ma',
      'mi',
      'ya',
      'yu',
      'yo',
      'ra',
      'ri',
      'ru',
      'wa',
      'ga',
      'zu',
      'da',
      'ba',
      'pa',
      'kyo',
      'sho',
      'ryu',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...syllables), { minLength: 2, maxLength: 6 }), (parts) => {
        const romaji = parts.join('');
        const contact = { name: '名前', reading: toHiragana(romaji), numbers: [], organisation: '' };
        expect(matches(contact, romaji), romaji).toBe(true);
        expect(matches({ ...contact, reading: toKatakana(romaji) }, romaji), romaji).toBe(true);
      }),
    );
  });
});

describe('a large address book in slices', () => {
  it('reads and orders it exactly as at once', async () => {
    const book = Array.from(
      { length: 6000 },
      (_, i) =>
        `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${['鈴木', 'Smith', 'さとう', '123'][i % 4]} ${(i * 7919) % 6000}\r\nX-PHONETIC-LAST-NAME:${['すずき', '', 'さとう', ''][i % 4]}\r\nTEL:090${i}\r\nEND:VCARD\r\n`,
    ).join('');
    const sliced = await parseContactsSliced(book, 1);
    expect(sliced).toEqual(parseContacts(book));
    for (const language of ['ja', 'en'] as const) {
      const order = await sortContactsSliced(sliced, language, 1);
      // (a second reading: a book of its own, sorted at once)
      expect(order.map((i) => sliced[i]!.name)).toEqual(sortContacts(parseContacts(book), language).map((c) => c.name));
    }
  });
});

const fieldCase = (name: string) => readFileSync(new URL(`../fixtures/field-cases/${name}`, import.meta.url));

describe('vCards as real phones and exports send them (field cases)', () => {
  it('keeps the first contact of an export that starts with a UTF-8 byte-order mark', () => {
    expect(parseContacts(fieldCase('c01-outlook-utf8-bom.vcf')).map((c) => [c.name, c.numbers[0]!.number])).toEqual([
      ['Ken Sato', '+81 90 1111 2222'],
      ['Aki Mori', '+81 3 3333 4444'],
    ]);
  });

  it('reads a Japanese feature phone’s Shift_JIS without CHARSET as Shift_JIS, not mojibake', () => {
    expect(parseContacts(fieldCase('c02-featurephone-sjis-no-charset.vcf'))).toEqual([
      { name: '山田 太郎', reading: 'ヤマダ タロウ', numbers: [{ type: 'mobile', number: '090-1234-5678' }], organisation: '' },
    ]);
  });

  it('keeps Shift_JIS with CHARSET right, second bytes 0x5C before a semicolon included', () => {
    expect(parseContacts(fieldCase('c02-control-sjis-with-charset-0x5c.vcf'))[0]).toMatchObject({ name: 'ソニー 表', reading: 'ソニー ヒョウ' });
  });

  it('reads any name in any of the encodings phones use: UTF-8 with or without a BOM or CHARSET, Shift_JIS with or without CHARSET', () => {
    // Names Shift_JIS can hold: kanji, kana (full and half width), Latin.
    const sjisSafe = fc.constantFrom(...'山田太郎佐藤花子鈴木一郎表能ソニーアイウエオカキクケコさしすせそABCxyz0123'.split(''));
    const name = fc.array(sjisSafe, { minLength: 1, maxLength: 8 }).map((chars) => chars.join(''));
    const encoding = fc.constantFrom('utf8', 'utf8-bom', 'utf8-charset', 'sjis', 'sjis-charset');
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 4 }), encoding, (names, how) => {
        const charset = how.endsWith('-charset') ? (how.startsWith('sjis') ? ';CHARSET=SHIFT_JIS' : ';CHARSET=UTF-8') : '';
        const text = names.map((n) => `BEGIN:VCARD\r\nVERSION:2.1\r\nN${charset}:${n};;;;\r\nTEL;CELL:090-0000-0000\r\nEND:VCARD\r\n`).join('');
        const bytes = how.startsWith('sjis')
          ? iconv.encode(text, 'shift_jis')
          : Buffer.concat([Buffer.from(how === 'utf8-bom' ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'utf8')]);
        expect(parseContacts(bytes).map((c) => c.name)).toEqual(names);
      }),
    );
  });
});
