import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetIds } from '../../shared/presets';
import { resolutions, resolutionSize } from '../../shared/view';
import { untilShown } from '../support/carFlows';
import { displayCaughtUp, launchBrowser, openDisplay, startHeadUnit, type RunningHeadUnit } from '../support/headUnit';
import { breaksInsideWords, japaneseLines } from '../support/lineBreaks';

/**
 * The screenshot matrix: every guide step the bench presets reach (Guest, "Set up PIN now", the
 * Personal eSIM setting up, the telephony pop-up, the pairing code, Connected) and the QR code of
 * the My BMW App login, in both languages,
 * day and night, at the three resolutions, kept in test-results/guide/ for a person to look at
 * before a change to the look lands (an artefact, not compared). What can be asserted is: nothing
 * on the display reaches past its edges or is cut inside its row, a list longer than its pane says
 * there is more, read-only rows are neither focusable nor drawn as tiles, and no Japanese line
 * breaks inside a word.
 */
interface Fit {
  /** text cut at its box's edge (its content wider or taller than the box) */
  clipped: string[];
  /** elements drawn past the display's edges */
  outside: string[];
  /** read-only rows that take the focus or are drawn as buttons */
  pressableInfo: string[];
  /** lists longer than their pane that do not say there is more (their last row cut at the edge) */
  silentlyCut: string[];
  /** Japanese lines broken inside a word ("before／after") */
  breaksInsideWords?: string[];
}

/** In the page: what does not fit, and read-only rows that look or act pressable. */
function fit(): Fit {
  const stage = document.querySelector<HTMLElement>('.stage')!.getBoundingClientRect();
  const result: Fit = { clipped: [], outside: [], pressableInfo: [], silentlyCut: [] };
  const name = (e: Element) =>
    `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).split(' ')[0]}` : ''} "${(e.textContent ?? '').trim().slice(0, 40)}"`;
  for (const element of document.querySelectorAll<HTMLElement>('.stage *')) {
    if (element.offsetParent === null || element.closest('[aria-hidden="true"]')) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.left < stage.left - 1 || box.top < stage.top - 1 || box.right > stage.right + 1 || box.bottom > stage.bottom + 1) {
      // (a list scrolled inside its pane is not outside: its rows are clipped by the pane on purpose)
      if (!element.closest('.list, [data-scroll]')) result.outside.push(name(element));
    }
    const style = getComputedStyle(element);
    const ownText = [...element.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
    if (
      ownText &&
      style.overflow !== 'visible' &&
      style.textOverflow !== 'ellipsis' &&
      (element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1)
    )
      result.clipped.push(name(element));
  }
  // (the context pane clips what does not fit: its last rows would be cut at the display's edge)
  for (const pane of document.querySelectorAll<HTMLElement>('.stage .aside')) {
    if (pane.scrollHeight > pane.clientHeight + 1) result.clipped.push(name(pane));
  }
  for (const list of document.querySelectorAll<HTMLElement>('.stage .list')) {
    if (list.scrollHeight > list.clientHeight + 1 && (list.dataset.more ?? 'none') === 'none') result.silentlyCut.push(name(list));
  }
  for (const row of document.querySelectorAll<HTMLElement>('.stage [data-kind="info"]')) {
    if (row.tabIndex >= 0 || row.tagName === 'BUTTON') result.pressableInfo.push(name(row));
  }
  return result;
}

let browser: Browser;
let unit: RunningHeadUnit;
beforeAll(async () => {
  browser = await launchBrowser();
  unit = await startHeadUnit(0);
});
afterAll(async () => {
  await unit?.stop();
  await browser?.close();
});

/** One Number rings the car as one of Hanako's contacts: until the car shows the incoming call. */
async function ringing(car: RunningHeadUnit['car']) {
  await car.modem({ action: 'ring', number: '090-5555-6666' });
  return untilShown(car, (screen) => screen.popup?.id === 'call.incoming', 10_000);
}

/**
 * The guide's steps: each preset; a call ringing and answered, going on from Connected (a step
 * without a preset goes on from the one before); the QR code of "Log in with My BMW App" (STEP 2 ①).
 */
const steps: { name: string; preset: (typeof presetIds)[number] | null; then?: (car: RunningHeadUnit['car']) => Promise<unknown> }[] = [
  ...presetIds.map((preset) => ({ name: preset, preset })),
  // (from Connected, the step before: a call from one of Hanako's contacts ringing, then answered)
  { name: 'incomingCall', preset: null, then: (car) => ringing(car) },
  {
    name: 'call',
    preset: null,
    then: async (car) => {
      await car.touch('answer');
      await car.waitForScreen('call');
    },
  },
  {
    name: 'qrLogin',
    preset: 'guest',
    then: async (car) => {
      for (const id of ['bmwId', 'add', 'qr']) await car.touch(id);
    },
  },
];

describe("the guide's steps, as the display draws them", () => {
  it.each(steps)(
    '$name: both languages, day and night, every resolution; everything fits, nothing read-only looks pressable',
    async ({ name: step, preset, then }) => {
      const shots = join('test-results', 'guide');
      await mkdir(shots, { recursive: true });
      if (preset) await unit.car.api['preset.apply']({ preset });
      await then?.(unit.car);
      let page: Page | undefined;
      try {
        page = await openDisplay(browser, unit.url);
        const problems: Record<string, Fit> = {};
        for (const resolution of resolutions) {
          await page.setViewportSize(resolutionSize(resolution));
          for (const theme of ['night', 'day'] as const) {
            for (const language of ['ja', 'en'] as const) {
              await unit.car.api['car.settings']({ language, theme, resolution });
              await displayCaughtUp(unit.car, page);
              await page.waitForFunction(([lang, th]) => document.documentElement.lang === lang && document.querySelector(`.stage.theme-${th}`) !== null, [
                language,
                theme,
              ] as const);
              await page.screenshot({ path: join(shots, `${step}-${resolution}-${theme}-${language}.png`) });
              const found = await page.evaluate(fit);
              if (language === 'ja') found.breaksInsideWords = breaksInsideWords(await page.evaluate(japaneseLines, '.stage'));
              if (
                found.clipped.length + found.outside.length + found.pressableInfo.length + found.silentlyCut.length + (found.breaksInsideWords?.length ?? 0) >
                0
              )
                problems[`${resolution} ${theme} ${language}`] = found;
            }
          }
        }
        expect(problems).toEqual({});
      } finally {
        await page?.close();
      }
    },
    120_000,
  );
});
