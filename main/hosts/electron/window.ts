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
    // (written out in each window, not shared: Electronegativity checks each literal)
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

/**
 * The bench console beside the display: the web host's `/bench/` page (`url`, with the token where
 * one is needed) in a window of its own, locked down as the display's is, with no preload: the page
 * speaks only to the web host's automation socket, and may not leave the web host's origin.
 */
export function createBenchWindow(url: string, devTools: boolean): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 900,
    autoHideMenuBar: true,
    show: false,
    title: 'iDrive bench console',
    webPreferences: {
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
      devTools,
    },
  });
  window.once('ready-to-show', () => window.show());
  const origin = new URL(url).origin;
  lockDown(window.webContents, (to) => URL.canParse(to) && new URL(to).origin === origin);
  void window.loadURL(url);
  return window;
}

/** No navigation away from the display (or what `allowed` lets a window reach), no new windows, no webviews. */
export function lockDown(contents: WebContents, allowed: (url: string) => boolean = isAppUrl): void {
  contents.on('will-navigate', (event, url) => {
    if (!allowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
