import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { resolutionSize, type Resolution } from '../../../shared/view';
import { RequestFailed } from '../dispatch';
import type { Display } from '../handlers';
import { chromiumFlags, findChromium } from './chromium';
import { log } from '../../log';

/**
 * The display as a Chromium page: a kiosk or app window a person looks at, or a headless page
 * that automation uses for screenshots and taps when no window is open. Both render the same
 * view, because the view lives in the core.
 */
export class BrowserDisplay implements Display {
  private constructor(
    private readonly context: BrowserContext,
    /** the display's page, for the tools that drive it */
    readonly page: Page,
    private readonly resolution: () => Resolution,
    private readonly headless: boolean,
    /** removes the window's profile directory (again after the browser has gone: it is idempotent) */
    private readonly removeProfile: () => Promise<void>,
  ) {}

  static async open(url: string, resolution: () => Resolution, mode: { headless: boolean; kiosk: boolean }): Promise<BrowserDisplay> {
    const executablePath = findChromium();
    if (!executablePath) throw new RequestFailed('no Chromium found for the display (install the "chromium" package or set CHROMIUM_PATH)');
    // Loaded only when a display is needed: it costs about 300 ms and 80 MB at start-up.
    const { chromium } = await import('playwright-core');
    const profile = await mkdtemp(join(tmpdir(), 'idrive-display-'));
    const { width, height } = resolutionSize(resolution());
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: mode.headless,
      viewport: mode.headless ? { width, height } : null,
      args: [...chromiumFlags(), ...(mode.headless ? [] : [`--app=${url}`, `--window-size=${width},${height}`]), ...(mode.kiosk ? ['--kiosk'] : [])],
    });
    // The profile is this window's alone: it goes with it (also when a person closes the window).
    // (not once: the context says it closed while Chromium may still be writing its last files, so
    // `close` removes the profile again once the browser has gone)
    const removeProfile = () => rm(profile, { recursive: true, force: true, maxRetries: 3 });
    context.on(
      'close',
      () => void removeProfile().catch((error: unknown) => log('head unit').warn(`display profile ${profile} not removed: ${String(error)}`)),
    );
    const page = context.pages()[0] ?? (await context.newPage());
    if (page.url() !== url) await page.goto(url);
    await page.waitForSelector('.stage');
    return new BrowserDisplay(context, page, resolution, mode.headless, removeProfile);
  }

  async screenshot(): Promise<Buffer> {
    await this.fitViewport();
    return this.page.locator('.stage').screenshot({ animations: 'disabled' });
  }

  async tap(x: number, y: number): Promise<string | null> {
    await this.fitViewport();
    const { width } = resolutionSize(this.resolution());
    const box = await this.page.locator('.stage').boundingBox();
    if (!box) throw new RequestFailed('the display is not showing');
    const scale = box.width / width;
    const point = { x: box.x + x * scale, y: box.y + y * scale };
    // Runs in the page (DOM types exist only in the renderer's project); x and y are numbers.
    const itemId = await this.page.evaluate<string | null>(
      `document.elementFromPoint(${point.x}, ${point.y})?.closest('[data-item-id]')?.dataset.itemId ?? null`,
    );
    await this.page.mouse.click(point.x, point.y);
    return itemId;
  }

  /** Whether the page answers within `timeoutMs` (a hung renderer does not). */
  async answers(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([
        this.page.evaluate('document.readyState').then(
          () => true,
          () => false,
        ),
        late,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Called when the page's renderer crashes. */
  onCrash(listener: () => void): void {
    this.page.on('crash', listener);
  }

  /** Shows the fallback screen (the display kept failing), with no script. */
  async showFallback(page: string): Promise<void> {
    await this.page.goto(page).catch(() => undefined);
  }

  closed(): Promise<void> {
    return new Promise((resolve) => this.context.on('close', () => resolve()));
  }

  async close(): Promise<void> {
    await this.context.close();
    await this.removeProfile();
  }

  /** A headless page follows the car's resolution so that pictures are at display size. */
  private async fitViewport(): Promise<void> {
    if (!this.headless) return;
    const { width, height } = resolutionSize(this.resolution());
    const size = this.page.viewportSize();
    if (size?.width !== width || size.height !== height) await this.page.setViewportSize({ width, height });
  }
}
