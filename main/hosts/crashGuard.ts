/**
 * After a renderer crash the window reloads, but at most `limit` times in `windowMs`: a display
 * that keeps crashing shows a fallback screen instead of looping.
 */
export class ReloadBudget {
  private readonly reloads: number[] = [];

  constructor(
    private readonly limit = 3,
    private readonly windowMs = 60_000,
  ) {}

  /** Records a crash at `now`; true if the renderer may be reloaded. */
  allow(now: number): boolean {
    while (this.reloads.length > 0 && now - this.reloads[0]! >= this.windowMs) this.reloads.shift();
    if (this.reloads.length >= this.limit) return false;
    this.reloads.push(now);
    return true;
  }
}

/** Shown when the display keeps crashing: plain HTML with no script, in both languages. */
export const fallbackPage = `data:text/html;charset=utf-8,${encodeURIComponent(
  '<!doctype html><meta charset="utf-8"><body style="background:#000;color:#ddd;font:28px sans-serif;display:grid;place-items:center;height:100vh;margin:0">' +
    '<div><p>The display stopped working and was restarted too often.</p><p>ディスプレイの再起動を繰り返したため停止しました。</p>' +
    '<p style="color:#888">Restart the head unit. / ヘッドユニットを再起動してください。</p></div>',
)}`;
