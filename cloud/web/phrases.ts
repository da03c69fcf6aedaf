import type { HTMLProcessingParser } from 'budoux';

/**
 * What every site's stylesheet starts with: Japanese lines break only where `phrased` put a break
 * opportunity (and at punctuation, by the strict rules), never inside a word, in every browser
 * (Safari has no `word-break: auto-phrase`); a phrase or an address longer than the line breaks
 * rather than widening the page.
 */
export const baseStyle = `
:lang(ja) { word-break: keep-all; line-break: strict; }
body { overflow-wrap: anywhere; -webkit-text-size-adjust: 100%; }
`;

let japanese: HTMLProcessingParser | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads BudouX with its Japanese model (and the HTML parser it brings, linkedom) once: the cloud
 * awaits it before its sites' first page, not at its start, which a car with the cloud embedded
 * waits for (the modules take ~40 ms to load bundled, and one of them makes ICU load its locale data).
 */
export function loadPhrasing(): Promise<void> {
  return (loading ??= import('budoux').then(({ loadDefaultJapaneseParser }) => {
    japanese = loadDefaultJapaneseParser();
  }));
}

const cjk = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;

/**
 * Japanese text in a page's HTML with a `<wbr>` between BudouX's phrases, where a line may break
 * (`baseStyle` allows no other break between letters). Only text between tags is touched, not
 * attributes, and not an `<option>`'s or `<title>`'s text (no element may go there); a break
 * goes only between two Japanese characters, so an escaped entity is never split.
 */
export function phrased(html: string): string {
  // (a page made before BudouX is loaded, which the cloud's hook prevents, keeps the browser's own breaks)
  if (!japanese) {
    void loadPhrasing();
    return html;
  }
  const parser = japanese;
  return html.replace(/(<(\/?)([a-zA-Z][\w-]*)[^>]*>)([^<]+)/g, (whole, tag: string, closing: string, name: string, text: string) => {
    if ((!closing && /^(option|title|textarea|script|style)$/i.test(name)) || !cjk.test(text)) return whole;
    let out = '';
    for (const phrase of parser.parse(text)) {
      if (out !== '' && cjk.test(out.at(-1)!) && cjk.test(phrase[0]!)) out += '<wbr>';
      out += phrase;
    }
    return tag + out;
  });
}
