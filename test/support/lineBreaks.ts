import { loadDefaultJapaneseParser } from 'budoux';

/** A Japanese text as the browser laid it out: the offsets its lines break at. */
export interface LaidOutText {
  text: string;
  breaks: number[];
}

/**
 * In the page: every text node under `root` with Japanese in it, and where its lines break (the
 * offsets of the characters that start a new line). A `<wbr>` between phrases splits the text into
 * nodes, so a break there is at a node's start and not listed: what is listed is inside a node.
 */
export function japaneseLines(root: string): LaidOutText[] {
  const result: LaidOutText[] = [];
  const walker = document.createTreeWalker(document.querySelector(root)!, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    if (!/[\u3040-\u30ff\u4e00-\u9fff]/.test(text) || node.parentElement?.closest('option, script, style, title, [aria-hidden="true"]')) continue;
    const breaks: number[] = [];
    let lastTop: number | null = null;
    for (let i = 0; i < text.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect || rect.width === 0) continue;
      if (lastTop !== null && rect.top > lastTop + rect.height / 2) breaks.push(i);
      lastTop = rect.top;
    }
    if (breaks.length > 0) result.push({ text, breaks });
  }
  return result;
}

const parser = loadDefaultJapaneseParser();
const latin = (c: string | undefined) => c !== undefined && /[A-Za-z0-9+]/.test(c);
/**
 * Where Japanese may break a line besides between BudouX's phrases: at a space, after a comma,
 * full stop, middle dot, colon or closing bracket, before an opening one, and where the script
 * changes (a Latin word or a number is a word of its own).
 */
const breakable = (before: string | undefined, after: string | undefined) =>
  /\s/.test(before ?? '') ||
  /\s/.test(after ?? '') ||
  /[、。・：，）」』！？]/.test(before ?? '') ||
  /[（「『]/.test(after ?? '') ||
  latin(before) !== latin(after);

/** The line breaks that fall inside a phrase, at none of the places above, shown as "before／after". */
export function breaksInsideWords(lines: LaidOutText[]): string[] {
  const bad: string[] = [];
  for (const { text, breaks } of lines) {
    const boundaries = new Set<number>();
    let at = 0;
    for (const phrase of parser.parse(text)) boundaries.add((at += phrase.length));
    for (const i of breaks) {
      if (boundaries.has(i) || breakable(text[i - 1], text[i])) continue;
      bad.push(`${text.slice(Math.max(0, i - 8), i)}／${text.slice(i, i + 8)}`);
    }
  }
  return bad;
}
