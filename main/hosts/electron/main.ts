import { join } from 'node:path';
import { app, ipcMain, powerSaveBlocker, protocol, session, type BrowserWindow } from 'electron';
import { rendererContract } from '../../../shared/contract';
import { Bench } from '../../bench/bench';
import { helpText, parseOptions, versionText } from '../../options';
import { createDispatch } from '../dispatch';
import { rendererHandlers } from '../handlers';
import { startWebHost } from '../web/server';
import { appOrigin, appScheme, ipcChannels } from './channels';
import { fallbackPage, ReloadBudget } from '../crashGuard';
import { electronDisplay } from './display';
import { handleChannels } from './ipc';
import { serveApp } from './protocol';
import { createBenchWindow, createHeadUnitWindow } from './window';
import { watchRenderer } from './watchdog';
import { coalesced } from '../coalesce';
import type { View } from '../../../shared/view';
import { automationTokenFor, exposureLines } from '../../exposure';
import { describeWorld } from '../../../shared/scenario';
import { log as logOf } from '../../log';

const log = (message: string) => logOf('head unit').warn(message);
/** How long the display may stay unresponsive (after Electron says so) before it is restarted. */
const displayHangMs = 10_000;

// Must happen before `ready`: app:// behaves like https (origin, CSP, fetch).
protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** The product's host: the core in Electron's main process, the display in a sandboxed window. */
export async function startElectronHost(argv: string[], resources: string): Promise<{ bench: Bench; window: BrowserWindow } | null> {
  const options = parseOptions(argv, process.env);
  if (options === 'help' || options.showVersion) {
    process.stdout.write(options === 'help' ? helpText : versionText(options));
    app.quit();
    return null;
  }
  if (!app.requestSingleInstanceLock()) {
    log('another head unit is already running; showing it instead');
    app.quit();
    return null;
  }
  await app.whenReady();
  protocol.handle(appScheme, (request) => serveApp(request, join(resources, 'renderer')));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => contents.setWindowOpenHandler(() => ({ action: 'deny' })));

  const bench = await Bench.start(options, resources);
  const { cloud, scenario } = bench.booted;
  const resolution = () => bench.core().view().resolution;

  const window = createHeadUnitWindow({
    resolution: resolution(),
    kiosk: options.kiosk,
    preload: join(resources, 'electron', 'preload.cjs'),
    devTools: !app.isPackaged,
  });
  // One view push per turn (a burst of device events makes one update).
  const pushes = coalesced((view: View) => {
    if (!window.isDestroyed()) window.webContents.send(ipcChannels.viewChanged, view);
  });
  // (the pending view goes out before an answer: the display never gets an answer ahead of its view)
  const dispatchRenderer = createDispatch(rendererContract, rendererHandlers(bench), log);
  handleChannels(ipcMain, [ipcChannels.viewGet, ipcChannels.inputSend], async (channel, payload) => {
    const outcome = await dispatchRenderer(channel, payload);
    pushes.flush();
    return outcome;
  });
  const stopPush = bench.onView(pushes.push);
  // A kiosk's screen never goes dark by itself.
  if (options.kiosk) powerSaveBlocker.start('prevent-display-sleep');
  const budget = new ReloadBudget();
  // A display that hangs is crashed, and so comes back like one that crashed.
  watchRenderer(window.webContents, displayHangMs, log);
  window.webContents.on('render-process-gone', (_event, details) => {
    log(`display process gone (${details.reason})`);
    if (budget.allow(Date.now())) window.webContents.reload();
    else void window.loadURL(fallbackPage);
  });
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  await window.loadURL(`${appOrigin}/index.html`);

  // The automation API (and a second view of the display): loopback, unless --automation-host.
  const token = automationTokenFor(options.host, options.automationToken);
  const web = await startWebHost({
    car: bench,
    host: options.host,
    port: options.port,
    ...(token ? { token } : {}),
    rendererDir: join(resources, 'renderer'),
    log,
    display: async () => electronDisplay(window, resolution),
  });
  console.log(`head unit ready; automation at ${web.url}`);
  // (the console reaches the car through the web host, with the token where one is needed)
  if (options.benchConsole) createBenchWindow(`${web.url}bench/${token ? `?token=${token}` : ''}`, !app.isPackaged);
  await cloud?.smdpReady;
  for (const line of exposureLines(bench.booted, { display: web.url, token, tokenGiven: options.automationToken !== undefined, cloudUrl: options.cloudUrl }))
    console.log(line);
  console.log(describeWorld(scenario));
  app.on('window-all-closed', () => {
    stopPush();
    void web
      .close()
      .then(() => bench.stop())
      .then(() => app.quit());
  });
  return { bench, window };
}

if (!process.env.VITEST) {
  // dist/electron/main.cjs → dist/
  void startElectronHost(process.argv.slice(app.isPackaged ? 1 : 2), join(__dirname, '..')).catch((error: unknown) => {
    log(error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}
