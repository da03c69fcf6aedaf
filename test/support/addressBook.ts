const families = [
  ['佐藤', 'さとう'],
  ['鈴木', 'すずき'],
  ['高橋', 'たかはし'],
  ['田中', 'たなか'],
  ['伊藤', 'いとう'],
  ['渡辺', 'わたなべ'],
  ['山本', 'やまもと'],
  ['中村', 'なかむら'],
];
const givens = [
  ['花子', 'はなこ'],
  ['太郎', 'たろう'],
  ['美咲', 'みさき'],
  ['健', 'けん'],
  ['さくら', 'さくら'],
  ['一郎', 'いちろう'],
];
const latin = ['Smith', 'Müller', 'García', 'Rossi', 'Dubois', 'Nowak', 'Jensen', 'Silva'];

/**
 * An address book of `n` contacts as an Android phone sends it over PBAP: vCard 2.1, UTF-8 in
 * QUOTED-PRINTABLE, Japanese names with their readings, and every third one a Latin name.
 */
export function addressBook(n: number): string {
  const qp = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  const cards: string[] = [];
  for (let i = 0; i < n; i++) {
    const tel = `090-${String(1000 + (i % 9000)).padStart(4, '0')}-${String(i).padStart(4, '0').slice(-4)}`;
    if (i % 3 === 2) {
      const last = latin[i % latin.length]!;
      cards.push(
        [
          'BEGIN:VCARD',
          'VERSION:2.1',
          `N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:${qp(last)};${qp(`Anna${i}`)};;;`,
          `FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:${qp(`Anna${i} ${last}`)}`,
          `TEL;CELL:${tel}`,
          'END:VCARD',
        ].join('\r\n'),
      );
      continue;
    }
    const [family, familyReading] = families[i % families.length]!;
    const [given, givenReading] = givens[Math.floor(i / families.length) % givens.length]!;
    cards.push(
      [
        'BEGIN:VCARD',
        'VERSION:2.1',
        `N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:${qp(family!)};${qp(`${given}${i}`)};;;`,
        `FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:${qp(`${family} ${given}${i}`)}`,
        `X-PHONETIC-LAST-NAME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:${qp(familyReading!)}`,
        `X-PHONETIC-FIRST-NAME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:${qp(givenReading!)}`,
        `TEL;CELL:${tel}`,
        'TEL;HOME:03-3333-4444',
        'END:VCARD',
      ].join('\r\n'),
    );
  }
  return cards.join('\r\n') + '\r\n';
}
