import { describe, expect, it } from 'vitest';
import { loadPhrasing, phrased } from '../../cloud/web/phrases';

/** The sites' Japanese line breaking is loaded for the first page, not at the cloud's start; a page made before it keeps the browser's own breaks. */
describe("the sites' Japanese line breaking", () => {
  const page = '<p>車載通信のご利用開始手続きを行ってください</p>';

  it('gives a page as it is until BudouX is loaded, then with a break between phrases', async () => {
    expect(phrased(page)).toBe(page);
    await loadPhrasing();
    expect(phrased(page)).toMatch(/^<p>[^<]+(<wbr>[^<]+)+<\/p>$/);
    expect(phrased(page).replaceAll('<wbr>', '')).toBe(page);
  });
});
