import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolutions, resolutionSize } from '../../shared/view';
import { launchBrowser, openDisplay, screenShown, startHeadUnit } from '../support/headUnit';

/**
 * The display read at arm's length, at every resolution, day and night, in both languages: the
 * size of its text in arc minutes and the contrast of its text and of its tiles, computed from the
 * rendered styles; a screenshot of each is kept in test-results/display/ (an artefact, not compared).
 *
 * Assumed: the central display is 10.25 inches across its diagonal, 8:3 (91.4 mm high whatever its
 * resolution, as the iDrive's 1920×720 one), seen from 750 mm. ISO 15008 asks characters of at
 * least 20 arc minutes; measured here is the em height, which a kanji nearly fills. Contrast:
 * text at least 4.5:1 against what is behind it (ISO 15008 asks 3:1 by day), a tile's edge at
 * least 3:1 against the screen (WCAG 2.2, 1.4.11), disabled items excepted.
 */
const displayHeightMm = 91.4;
const viewingDistanceMm = 750;
const minimumArcMinutes = 20;

interface Measured {
  /** Japanese text that may break inside a word (no keep-all) */
  breaksInWords: string[];
  /** elements whose Japanese text is marked at its phrase boundaries */
  phrased: number;
  smallestText: { arcMinutes: number; text: string };
  weakestText: { ratio: number; text: string };
  weakestTile: { ratio: number; item: string };
}

/** In the page: every visible text's size and contrast, and every enabled tile's edge contrast. */
function measure([heightMm, distanceMm]: [number, number]): Measured {
  const stage = document.querySelector<HTMLElement>('.stage')!;
  const rgb = (text: string) => (text.match(/rgba?\([^)]+\)/g) ?? []).map((c) => c.match(/[\d.]+/g)!.map(Number));
  const luminance = ([r, g, b]: number[]) => {
    const channel = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!);
  };
  const ratio = (a: number[], b: number[]) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x! + 0.05) / (y! + 0.05);
  };
  // What is behind an element: the nearest opaque background, or every colour of the screen's gradient.
  const behind = (element: Element): number[][] => {
    for (let e: Element | null = element; e && e !== stage; e = e.parentElement) {
      const colour = rgb(getComputedStyle(e).backgroundColor)[0];
      if (colour && (colour[3] ?? 1) > 0.5) return [colour];
    }
    return rgb(getComputedStyle(stage).backgroundImage);
  };
  const arcMinutes = (px: number) => (Math.atan(((px / stage.offsetHeight) * heightMm) / distanceMm) * 180 * 60) / Math.PI;
  const result: Measured = {
    breaksInWords: [],
    phrased: stage.querySelectorAll('wbr').length,
    smallestText: { arcMinutes: Infinity, text: '' },
    weakestText: { ratio: Infinity, text: '' },
    weakestTile: { ratio: Infinity, item: '' },
  };
  const disabled = (e: Element) => e.closest('[aria-disabled="true"]') !== null;
  for (const element of stage.querySelectorAll<HTMLElement>('*')) {
    const own = [...element.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '')
      .map((n) => n.textContent!.trim())
      .join(' ');
    if (!own || element.offsetParent === null || disabled(element)) continue;
    const style = getComputedStyle(element);
    const multiline = element.closest('.row, .popup-text, .popup h2, .title, .entry .note, .entry .error');
    if (multiline && /[\u3040-\u30ff\u3400-\u9fff]/.test(element.textContent ?? '') && style.wordBreak !== 'keep-all') result.breaksInWords.push(own);
    const size = arcMinutes(parseFloat(style.fontSize));
    if (size < result.smallestText.arcMinutes) result.smallestText = { arcMinutes: Math.round(size * 10) / 10, text: own };
    const text = rgb(style.color)[0]!;
    const worst = Math.min(...behind(element).map((b) => ratio(text, b)));
    if (worst < result.weakestText.ratio) result.weakestText = { ratio: Math.round(worst * 100) / 100, text: own };
  }
  for (const tile of stage.querySelectorAll<HTMLElement>('button.row')) {
    if (tile.offsetParent === null || disabled(tile)) continue;
    const style = getComputedStyle(tile);
    const border = parseFloat(style.borderTopWidth) > 0 ? rgb(style.borderTopColor)[0] : undefined;
    const edge = border && (border[3] ?? 1) > 0.5 ? border : rgb(style.backgroundColor)[0]!;
    const worst = Math.min(...behind(tile.parentElement!).map((b) => ratio(edge, b)));
    if (worst < result.weakestTile.ratio) result.weakestTile = { ratio: Math.round(worst * 100) / 100, item: tile.dataset.itemId ?? '' };
  }
  return result;
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

const combinations = resolutions.flatMap((resolution) =>
  (['day', 'night'] as const).flatMap((theme) => (['ja', 'en'] as const).map((language) => ({ resolution, theme, language }))),
);

describe('the display at arm’s length', () => {
  it.each(combinations)(
    '$resolution, $theme, $language: text of 20 arc minutes or more, and text and tiles that stand out',
    async ({ resolution, theme, language }) => {
      const scenario = join(await mkdirFor('scenarios'), `${theme}.json`);
      await writeFile(scenario, JSON.stringify({ version: 1, car: { theme } }));
      const unit = await startHeadUnit(0, ['--scenario', scenario, '--resolution', resolution, '--lang', language]);
      let page: Page | undefined;
      try {
        page = await openDisplay(browser, unit.url, resolutionSize(resolution));
        const shots = await mkdirFor('display');
        const seen: Record<string, Measured> = {};
        // The main menu with its status bar, a list of choices, the keyboard, and a pop-up with a red choice.
        const views = [
          ['menu', [], 'menu'],
          ['settings', ['settings'], 'settings'],
          ['keyboard', ['settings', 'vehicleName'], 'entry.vehicleName'],
          ['reset', ['settings', 'factoryReset'], 'settings'],
        ] as const;
        for (const [name, steps, screen] of views) {
          await unit.car.button('MENU');
          for (const step of steps) await unit.car.touch(step);
          await screenShown(unit.car, page, screen, 10_000);
          if (name === 'reset') await page.waitForSelector('[data-popup-id] .row.stop');
          await page.screenshot({ path: join(shots, `${resolution}-${theme}-${language}-${name}.png`) });
          seen[name] = await page.evaluate(measure, [displayHeightMm, viewingDistanceMm] as [number, number]);
        }
        // Japanese breaks between phrases only: 「車両名」 never as 「車両／名」.
        if (language === 'ja') expect(Object.values(seen).reduce((n, m) => n + m.phrased, 0)).toBeGreaterThan(0);
        for (const [name, m] of Object.entries(seen)) {
          expect(m.breaksInWords, name).toEqual([]);
          expect(m.smallestText.arcMinutes, `${name}: "${m.smallestText.text}"`).toBeGreaterThanOrEqual(minimumArcMinutes);
          expect(m.weakestText.ratio, `${name}: "${m.weakestText.text}"`).toBeGreaterThanOrEqual(4.5);
          expect(m.weakestTile.ratio, `${name}: tile ${m.weakestTile.item}`).toBeGreaterThanOrEqual(3);
        }
      } finally {
        await page?.close();
        await unit.stop();
      }
    },
    60_000,
  );
});

async function mkdirFor(name: string): Promise<string> {
  const dir = join('test-results', name);
  await mkdir(dir, { recursive: true });
  return dir;
}
