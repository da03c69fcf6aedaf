/**
 * The address book of the default scenario's phone, as an iPhone sends it (vCard 3.0, UTF-8,
 * readings in X-PHONETIC-*). Demo data: the numbers are fictional.
 */
const people: [name: string, last: string, first: string, reading: [string, string], tel: string][] = [
  ['鈴木 一郎', '鈴木', '一郎', ['すずき', 'いちろう'], '090-5555-6666'],
  ['佐藤 花子', '佐藤', '花子', ['さとう', 'はなこ'], '080-2222-3333'],
  ['高橋 美咲', '高橋', '美咲', ['たかはし', 'みさき'], '080-3333-4444'],
  ['伊藤 さくら', '伊藤', 'さくら', ['いとう', 'さくら'], '070-1111-9999'],
  ['山田 太郎', '山田', '太郎', ['やまだ', 'たろう'], '090-1234-0000'],
  ['渡辺 健', '渡辺', '健', ['わたなべ', 'けん'], '090-8765-4321'],
  ['Anna Smith', 'Smith', 'Anna', ['', ''], '+1 415 555 0100'],
  ['Jürgen Müller', 'Müller', 'Jürgen', ['', ''], '+49 151 23456789'],
];

export const demoPhonebook: string =
  [
    ...people.map(([name, last, first, [readLast, readFirst], tel]) =>
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        `N:${last};${first};;;`,
        `FN:${name}`,
        ...(readLast ? [`X-PHONETIC-LAST-NAME:${readLast}`, `X-PHONETIC-FIRST-NAME:${readFirst}`] : []),
        `TEL;type=CELL;type=VOICE;type=pref:${tel}`,
        'END:VCARD',
      ].join('\r\n'),
    ),
    ['BEGIN:VCARD', 'VERSION:3.0', 'N:;;;;', 'FN:BMW Customer Interaction Center', 'ORG:BMW Japan;', 'TEL;type=WORK:0120-269-437', 'END:VCARD'].join('\r\n'),
  ].join('\r\n') + '\r\n';

export const demoCallHistory: string =
  [
    ['BEGIN:VCARD', 'VERSION:2.1', 'N:鈴木;一郎;;;', 'FN:鈴木 一郎', 'TEL:090-5555-6666', 'X-IRMC-CALL-DATETIME;RECEIVED:20261124T083000', 'END:VCARD'].join(
      '\r\n',
    ),
    ['BEGIN:VCARD', 'VERSION:2.1', 'N:', 'TEL:0312345678', 'X-IRMC-CALL-DATETIME;MISSED:20261124T121500', 'END:VCARD'].join('\r\n'),
  ].join('\r\n') + '\r\n';
