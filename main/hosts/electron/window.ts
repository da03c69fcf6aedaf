import { BrowserWindow, type WebContents } from 'electron';
import { resolutionSize, type Resolution } from '../../../shared/view';
import { isAppUrl } from './channels';

export interface WindowOptions {
  resolution: Resolution;
  kiosk: boolean;
  preload: string;
  /** devtools only for development builds */
  devTools: boolean;
}

/** The head unit's window: sandboxed, isolated, at the display's aspect ratio. */
export function createHeadUnitWindow(options: WindowOptions): BrowserWindow {
  const { width, height } = resolutionSize(options.resolution);
  const window = new BrowserWindow({
    width,
    height,
    useContentSize: true,
    kiosk: options.kiosk,
    fullscreen: options.kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#000000',
    show: false,
    title: 'iDrive head unit',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // (a middle click must not open anything: Electron's security checklist)
      disableBlinkFeatures: 'Auxclick',
      devTools: options.devTools,
    },
  });
  if (!options.kiosk) window.setAspectRatio(width / height);
  window.once('ready-to-show', () => window.show());
  lockDown(window.webContents);
  return window;
}

/** No navigation away from the display, no new windows, no webviews. */
export function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
