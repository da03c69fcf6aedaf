import { fallbackPage, ReloadBudget } from '../crashGuard';
import type { BrowserDisplay } from './browserDisplay';

export interface SupervisorOptions {
  /** how long the page may leave a check unanswered before it counts as hung, in ms */
  hangMs: number;
  /** how often it is checked, in ms */
  checkEveryMs: number;
  log: (message: string) => void;
  /** told after each restart (tests and the log) */
  onRestart?: (reason: 'hung' | 'crashed') => void;
  budget?: ReloadBudget;
}

/**
 * Keeps the web host's Chromium display alive on a bench nobody watches (the kiosk): a page that
 * crashes, or that leaves a check unanswered for `hangMs`, has its browser closed and opened again
 * on the same display, within the same budget as the Electron host (three times a minute); past
 * it, the fallback screen says to restart the head unit. A window a person closes is not restarted:
 * `closed` resolves then, and the head unit stops as with the Electron window.
 */
export class SupervisedDisplay {
  private display!: BrowserDisplay;
  private timer: NodeJS.Timeout | undefined;
  private restarting = false;
  private stopped = false;
  private readonly budget: ReloadBudget;
  private closedByPerson!: () => void;
  /** resolves when a person closes the window (not when the supervisor restarts it) */
  readonly closed = new Promise<void>((resolve) => (this.closedByPerson = resolve));

  private constructor(
    private readonly open: () => Promise<BrowserDisplay>,
    private readonly options: SupervisorOptions,
  ) {
    this.budget = options.budget ?? new ReloadBudget();
  }

  static async start(open: () => Promise<BrowserDisplay>, options: SupervisorOptions): Promise<SupervisedDisplay> {
    const supervisor = new SupervisedDisplay(open, options);
    await supervisor.attach(await open());
    return supervisor;
  }

  /** The display now (it changes after a restart). */
  current(): BrowserDisplay {
    return this.display;
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.display.close();
  }

  private async attach(display: BrowserDisplay): Promise<void> {
    this.display = display;
    display.onCrash(() => void this.restart('crashed'));
    void display.closed().then(() => {
      if (!this.restarting && !this.stopped && this.display === display) this.closedByPerson();
    });
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.check(), this.options.checkEveryMs);
    this.timer.unref();
  }

  private async check(): Promise<void> {
    if (this.stopped || this.restarting) return;
    if (await this.display.answers(this.options.hangMs)) this.schedule();
    else await this.restart('hung');
  }

  private async restart(reason: 'hung' | 'crashed'): Promise<void> {
    if (this.restarting || this.stopped) return;
    this.restarting = true;
    clearTimeout(this.timer);
    try {
      const allowed = this.budget.allow(Date.now());
      this.options.log(
        `the display ${reason === 'hung' ? 'stopped answering' : 'crashed'}; ${allowed ? 'restarting it' : 'it failed too often: showing the fallback screen'}`,
      );
      await this.display.close().catch(() => undefined);
      const next = await this.open();
      if (!allowed) await next.showFallback(fallbackPage);
      await this.attach(next);
      if (!allowed) clearTimeout(this.timer); // (the fallback is not watched: it has no script to hang)
      this.options.onRestart?.(reason);
    } catch (error) {
      // Chromium would not start again: try once more a moment later, rather than leave the bench dark.
      this.options.log(`the display could not be opened again (${error instanceof Error ? error.message : String(error)}); trying again`);
      this.timer = setTimeout(() => void this.restart(reason), this.options.checkEveryMs);
      this.timer.unref();
    } finally {
      this.restarting = false;
    }
  }
}
