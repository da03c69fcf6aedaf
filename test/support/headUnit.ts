import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AutomationClient } from '../../main/automation/client';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface RunningHeadUnit {
  url: string;
  dataDir: string;
  process: ChildProcess;
  car: AutomationClient;
  /** everything the process wrote, for checks that secrets stay out of logs */
  output(): string;
  /** the next line the process prints on stdout after the ready line */
  nextLine(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the built head unit as a user would (its own node process, web host), and connects the
 * automation client once it says it is ready. Port 0 lets the system pick a free one, so two test
 * runs on one bench never collide.
 */
export async function startHeadUnit(port: number, extra: string[] = [], dataDir?: string): Promise<RunningHeadUnit> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'idrive-e2e-')));
  const child = spawn(
    process.execPath,
    ['dist/main/start.js', '--web', '--no-open', '--port', String(port), '--cloud-port', '0', '--data-dir', dir, '--lang', 'en', ...extra],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const queued: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let ready = false;
  // Ready once it has said everything its start says: the ready line, what it exposes, its world.
  let url = '';
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output += `${line}\n`;
      const match = /head unit ready at (\S+)/.exec(line);
      if (match && !ready) {
        ready = true;
        url = match[1]!;
      } else if (ready) {
        const reader = waiting.shift();
        if (reader) reader(line);
        else queued.push(line);
        if (/^world "/.test(line)) resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`head unit exited (${code}): ${output}`)));
  });
  const car = await AutomationClient.connect(url);
  return {
    url,
    dataDir: dir,
    process: child,
    car,
    output: () => output,
    nextLine: () => (queued.length > 0 ? Promise.resolve(queued.shift()!) : new Promise((resolve) => waiting.push(resolve))),
    stop: async () => {
      car.close();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/** Opens the display at its resolution and waits until it accepts input. */
export async function openDisplay(browser: Browser, url: string, viewport = { width: 1920, height: 720 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.goto(url);
  await page.waitForSelector('.stage [data-screen-id]');
  await page.waitForFunction(() => performance.getEntriesByName('input-ready').length > 0);
  return page;
}

/*
 * The item the controller's cursor is on, as the display shows it: the element with the DOM focus,
 * or its active descendant (on a text entry screen, the field that takes an IME's text holds the
 * focus and points at the key under the cursor). The page refuses eval, so each helper below runs
 * this rule as a function of its own.
 */

/** The item the controller's cursor is on. */
export function focusedItem(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const focused = document.activeElement as HTMLElement | null;
    const descendant = focused?.getAttribute('aria-activedescendant');
    return ((descendant ? document.getElementById(descendant) : focused) as HTMLElement | null)?.dataset.itemId ?? null;
  });
}

/** Waits until the controller's cursor is on the item. */
export async function cursorOn(page: Page, itemId: string): Promise<void> {
  await page.waitForFunction((i) => {
    const focused = document.activeElement as HTMLElement | null;
    const descendant = focused?.getAttribute('aria-activedescendant');
    return (((descendant ? document.getElementById(descendant) : focused) as HTMLElement | null)?.dataset.itemId ?? null) === i;
  }, itemId);
}

/** Waits until the controller's cursor has left the item (`null`: until it is on one). */
export async function cursorOff(page: Page, itemId: string | null): Promise<void> {
  await page.waitForFunction((i) => {
    const focused = document.activeElement as HTMLElement | null;
    const descendant = focused?.getAttribute('aria-activedescendant');
    return (((descendant ? document.getElementById(descendant) : focused) as HTMLElement | null)?.dataset.itemId ?? null) !== i;
  }, itemId);
}

/**
 * Waits until the display has had an answer to every input it sent and draws the core's latest
 * view: its cursor is then the core's, not the display's prediction of it.
 */
export async function displayCaughtUp(car: AutomationClient, page: Page): Promise<void> {
  await page.waitForSelector('.stage:not([aria-busy])');
  const { revision } = await car.screen();
  await page.waitForFunction((r) => Number(document.querySelector<HTMLElement>('.stage')?.dataset.revision) >= r, revision);
}

/** Waits until the core has the screen and the display shows it. */
export async function screenShown(car: AutomationClient, page: Page, id: string, timeoutMs = 20_000): Promise<void> {
  await car.waitForScreen(id, timeoutMs);
  await page.waitForSelector(`[data-screen-id="${id}"]`);
}

/** The text of one row of the screen shown. */
export function rowText(page: Page, itemId: string): Promise<string | null> {
  return page.locator(`.screen [data-item-id="${itemId}"]`).textContent();
}

/** The screen the display shows now, read from the DOM. */
export function shownScreen(page: Page): Promise<string | null> {
  return page.evaluate(() => document.querySelector<HTMLElement>('[data-screen-id]')?.dataset.screenId ?? null);
}
