import type { BrowserWindow } from 'electron';
import { resolutionSize, type Resolution } from '../../../shared/view';
import type { Display } from '../handlers';

/** The Electron window as the automation API's display: capturePage and real input events. */
export function electronDisplay(window: BrowserWindow, resolution: () => Resolution): Display {
  return {
    async screenshot() {
      return (await window.webContents.capturePage()).toPNG();
    },
    async tap(x, y) {
      const { width, height } = resolutionSize(resolution());
      const [cw = width, ch = height] = window.getContentSize();
      const scale = Math.min(cw / width, ch / height);
      const px = Math.round((cw - width * scale) / 2 + x * scale);
      const py = Math.round((ch - height * scale) / 2 + y * scale);
      const itemId = (await window.webContents.executeJavaScript(
        `document.elementFromPoint(${px}, ${py})?.closest('[data-item-id]')?.dataset.itemId ?? null`,
      )) as string | null;
      for (const type of ['mouseDown', 'mouseUp'] as const) {
        window.webContents.sendInputEvent({ type, x: px, y: py, button: 'left', clickCount: 1 });
      }
      return itemId;
    },
  };
}
