import { Fragment } from 'react';
import { loadDefaultJapaneseParser } from 'budoux';

const japanese = loadDefaultJapaneseParser();
const hasJapanese = /[\u3040-\u30ff\u3400-\u9fff]/;

/**
 * Text that breaks between phrases only, as Japanese is set: BudouX finds the phrases, a <wbr>
 * marks each boundary, and CSS (`word-break: keep-all`) keeps lines from breaking inside a word
 * (「プロフィー／ル」). Text without Japanese is left as it is.
 */
export function Phrases({ text }: { text: string }) {
  if (!hasJapanese.test(text)) return <>{text}</>;
  return (
    <>
      {japanese.parse(text).map((phrase, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {phrase}
        </Fragment>
      ))}
    </>
  );
}
