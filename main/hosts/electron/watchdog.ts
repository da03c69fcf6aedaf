import type { WebContents } from 'electron';

/**
 * A display that stops answering (Electron reports it `unresponsive`) and stays so for `hangMs`
 * has its renderer crashed, so that the crash guard reloads it, within its budget, on the same
 * screen. One that answers again in time is left alone. Returns the way to stop watching.
 */
export function watchRenderer(contents: WebContents, hangMs: number, log: (message: string) => void): () => void {
  let hang: NodeJS.Timeout | undefined;
  const unresponsive = () => {
    hang ??= setTimeout(() => {
      hang = undefined;
      log(`the display has not answered for ${Math.round(hangMs / 1000)} s; restarting it`);
      contents.forcefullyCrashRenderer();
    }, hangMs);
  };
  const responsive = () => {
    clearTimeout(hang);
    hang = undefined;
  };
  contents.on('unresponsive', unresponsive);
  contents.on('responsive', responsive);
  return () => {
    responsive();
    contents.off('unresponsive', unresponsive);
    contents.off('responsive', responsive);
  };
}
