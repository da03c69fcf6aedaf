import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startHeadUnit, type RunningHeadUnit } from '../support/headUnit';

/**
 * The bench console read and used as a desktop page, in both languages: every text at least 12 px
 * and 4.5:1 against what is behind it (WCAG 2.2, 1.4.3), every enabled control reached by Tab
 * alone, and the one that has the focus marked (2.4.7). Computed from the rendered styles.
 */
let browser: Browser;
let unit: RunningHeadUnit;
beforeAll(async () => {
  browser = await launchBrowser();
  unit = await startHeadUnit(0);
});
afterAll(async () => {
  await browser?.close();
  await unit?.stop();
});

interface Measured {
  smallest: { px: number; text: string };
  weakest: { ratio: number; text: string };
  controls: number;
}

/** In the page: every visible text's size and contrast, and how many enabled controls there are. */
function measure(): Measured {
  const rgb = (text: string) => (text.match(/rgba?\([^)]+\)/g) ?? []).map((c) => c.match(/[\d.]+/g)!.map(Number));
  const luminance = ([r, g, b]: number[]) => {
    const channel = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!);
  };
  const ratio = (a: number[], b: number[]) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x! + 0.05) / (y! + 0.05);
  };
  const behind = (element: Element): number[] => {
    for (let e: Element | null = element; e; e = e.parentElement) {
      const colour = rgb(getComputedStyle(e).backgroundColor)[0];
      if (colour && (colour[3] ?? 1) > 0.5) return colour;
    }
    return rgb(getComputedStyle(document.documentElement).backgroundColor)[0] ?? [255, 255, 255];
  };
  const result: Measured = { smallest: { px: Infinity, text: '' }, weakest: { ratio: Infinity, text: '' }, controls: 0 };
  for (const element of document.body.querySelectorAll<HTMLElement>('*')) {
    const own = [...element.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '')
      .map((n) => n.textContent!.trim())
      .join(' ');
    if (!own || element.getClientRects().length === 0 || element.closest(':disabled')) continue;
    const style = getComputedStyle(element);
    const px = parseFloat(style.fontSize);
    if (px < result.smallest.px) result.smallest = { px, text: own };
    const contrast = ratio(rgb(style.color)[0]!, behind(element));
    if (contrast < result.weakest.ratio) result.weakest = { ratio: Math.round(contrast * 100) / 100, text: own };
  }
  // (a group of radio buttons is one stop of the Tab key: the arrow keys move within it)
  const radioGroups = new Set<string>();
  result.controls = [...document.querySelectorAll<HTMLElement>('button, input, select, textarea')].filter((e) => {
    if ((e as HTMLButtonElement).disabled || e.getClientRects().length === 0) return false;
    if (!(e instanceof HTMLInputElement) || e.type !== 'radio') return true;
    if (radioGroups.has(e.name)) return false;
    radioGroups.add(e.name);
    return true;
  }).length;
  return result;
}

async function openConsole(locale: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale });
  await page.goto(new URL('bench/', unit.url).href);
  await page.locator('.link.up').waitFor();
  // (the world and the cloud's BMW IDs read: every panel has its controls)
  await page.locator('section[aria-label] table').first().waitFor();
  return page;
}

describe('the bench console', () => {
  for (const locale of ['en-US', 'ja-JP']) {
    it(`is legible and used by keyboard alone (${locale})`, async () => {
      const page = await openConsole(locale);
      try {
        const measured = await page.evaluate(measure);
        expect(measured.smallest.px, measured.smallest.text).toBeGreaterThanOrEqual(12);
        expect(measured.weakest.ratio, measured.weakest.text).toBeGreaterThanOrEqual(4.5);
        // Tab through the page: every enabled control gets the focus, each one marked when it has it.
        const reached = new Set<string>();
        const unmarked: string[] = [];
        for (let i = 0; i < measured.controls + 5; i++) {
          await page.keyboard.press('Tab');
          const focused = await page.evaluate(() => {
            const e = document.activeElement as HTMLElement | null;
            if (!e || e === document.body) return null;
            const style = getComputedStyle(e);
            const path = [...document.querySelectorAll('button, input, select, textarea')].indexOf(e);
            return {
              path,
              marked: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
              name: e.getAttribute('aria-label') ?? e.textContent ?? e.tagName,
            };
          });
          if (!focused || focused.path < 0) continue;
          reached.add(String(focused.path));
          if (!focused.marked) unmarked.push(focused.name);
        }
        expect(reached.size).toBeGreaterThanOrEqual(measured.controls);
        expect(unmarked).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
