import { mkdtemp, mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Electron cannot run here: its binary is not downloadable. These fakes record what the host asks of it. */
const electron = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');
  const handlers = new Map<string, (event: unknown, payload: unknown) => unknown>();
  const windows: FakeWindow[] = [];
  class FakeContents extends EventEmitter {
    send = vi.fn();
    reload = vi.fn();
    forcefullyCrashRenderer = vi.fn(() => this.emit('render-process-gone', {}, { reason: 'killed' }));
    windowOpenHandler: (() => { action: string }) | undefined;
    setWindowOpenHandler(handler: () => { action: string }) {
      this.windowOpenHandler = handler;
    }
  }
  class FakeWindow extends EventEmitter {
    webContents = new FakeContents();
    options: Record<string, unknown>;
    loadURL = vi.fn(async () => {});
    setAspectRatio = vi.fn();
    isDestroyed = () => false;
    isMinimized = () => false;
    restore = vi.fn();
    focus = vi.fn();
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      windows.push(this);
    }
  }
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    requestSingleInstanceLock: vi.fn(() => true),
    whenReady: vi.fn(async () => {}),
    quit: vi.fn(),
    exit: vi.fn(),
  });
  const session = { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() } };
  const powerSaveBlocker = { start: vi.fn(() => 1) };
  return {
    handlers,
    windows,
    app,
    session,
    powerSaveBlocker,
    module: {
      app,
      session,
      BrowserWindow: FakeWindow,
      ipcMain: { handle: (channel: string, handler: (event: unknown, payload: unknown) => unknown) => handlers.set(channel, handler) },
      protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
      powerSaveBlocker,
      contextBridge: { exposeInMainWorld: vi.fn() },
      ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
    },
  };
});
vi.mock('electron', () => ({ ...electron.module, default: electron.module }));

const { startElectronHost } = await import('../../main/hosts/electron/main');
const { lockDown } = await import('../../main/hosts/electron/window');
const { isTrustedSender } = await import('../../main/hosts/electron/ipc');
const { ReloadBudget, fallbackPage } = await import('../../main/hosts/crashGuard');
const { serveApp } = await import('../../main/hosts/electron/protocol');
const { contentSecurityPolicy, metaContentSecurityPolicy } = await import('../../main/hosts/csp');

let resources: string;
beforeEach(async () => {
  resources = await mkdtemp(join(tmpdir(), 'idrive-electron-'));
  await mkdir(join(resources, 'renderer', 'assets'), { recursive: true });
  await writeFile(join(resources, 'renderer', 'index.html'), '<!doctype html><title>x</title>');
  await writeFile(join(resources, 'secret.txt'), 'not for the display');
  electron.handlers.clear();
  electron.windows.length = 0;
});
afterEach(async () => rm(resources, { recursive: true, force: true }));

const top = (url: string) => ({ senderFrame: { url, parent: null } });

async function start(args: string[] = []) {
  const started = await startElectronHost(['--data-dir', join(resources, 'data'), '--port', '0', '--cloud-port', '0', '--lang', 'en', ...args], resources);
  if (!started) throw new Error('host did not start');
  return { ...started, core: started.bench.core() };
}

describe('the Electron host', () => {
  it('opens a sandboxed, isolated window at the display resolution, from app://', async () => {
    const { core } = await start(['--resolution', '1280x480']);
    const window = electron.windows[0]!;
    expect(window.options).toMatchObject({ width: 1280, height: 480, useContentSize: true, kiosk: false });
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: true,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(String((window.options.webPreferences as { preload: string }).preload)).toMatch(/electron[/\\]preload\.cjs$/);
    expect(window.loadURL).toHaveBeenCalledWith('app://head-unit/index.html');
    expect(window.setAspectRatio).toHaveBeenCalledWith(1280 / 480);
    await core.stop();
  });

  it('denies every permission request', async () => {
    const { core } = await start();
    const handler = electron.session.defaultSession.setPermissionRequestHandler.mock.calls.at(-1)![0] as (
      c: unknown,
      p: string,
      cb: (ok: boolean) => void,
    ) => void;
    const answer = vi.fn();
    handler({}, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
    expect((electron.session.defaultSession.setPermissionCheckHandler.mock.calls.at(-1)![0] as () => boolean)()).toBe(false);
    await core.stop();
  });

  it('answers IPC only from its own top frame, and validates every payload', async () => {
    const { core } = await start();
    const input = electron.handlers.get('input.send')!;
    const view = electron.handlers.get('view.get')!;
    expect(await view(top('app://head-unit/index.html'), {})).toMatchObject({ ok: true, result: { screen: { id: 'menu' } } });
    const before = core.view();
    for (const sender of [
      top('https://head-unit.attacker.test/'),
      top('app://head-unit.attacker.test/'),
      { senderFrame: { url: 'app://head-unit/index.html', parent: {} } },
      { senderFrame: null },
    ]) {
      expect(await input(sender, { kind: 'press' })).toEqual({ ok: false, error: 'invalid request' });
    }
    expect(await input(top('app://head-unit/index.html'), { kind: 'press', evil: 1 })).toEqual({ ok: false, error: 'invalid request' });
    expect(core.view()).toBe(before);
    expect(await input(top('app://head-unit/index.html'), { kind: 'press' })).toEqual({ ok: true, result: { accepted: true } });
    expect(core.view().screen.id).toBe('bmwId');
    await core.stop();
  });

  it('pushes the newest view to the window, once per turn of the event loop', async () => {
    const { core, window } = await start();
    const pushes = () =>
      (window.webContents.send as unknown as { mock: { calls: unknown[][] } }).mock.calls.filter(([channel]) => channel === 'view.changed').length;
    const before = pushes();
    for (let i = 0; i < 3; i++) core.input({ kind: 'rotate', detents: 1 });
    await new Promise((resolve) => setImmediate(resolve)); // (one turn: the coalesced push goes out)
    expect(pushes()).toBe(before + 1);
    expect(window.webContents.send).toHaveBeenLastCalledWith('view.changed', expect.objectContaining({ revision: core.view().revision }));
    await core.stop();
  });

  it('reloads a crashed display at most three times a minute, then shows the fallback', async () => {
    const { core } = await start();
    const window = electron.windows[0]!;
    for (let i = 0; i < 4; i++) window.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(window.webContents.reload).toHaveBeenCalledTimes(3);
    expect(window.loadURL).toHaveBeenLastCalledWith(fallbackPage);
    await core.stop();
  });

  it('opens the bench console beside the display with --bench-console: the /bench/ page, locked down, no preload', async () => {
    const { core } = await start(['--bench-console']);
    expect(electron.windows).toHaveLength(2);
    const bench = electron.windows[1]!;
    const url = (bench.loadURL.mock.calls[0] as unknown as [string])[0];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/bench\/$/);
    expect(bench.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect((bench.options.webPreferences as Record<string, unknown>).preload).toBeUndefined();
    const navigate = (to: string) => {
      const event = {
        defaultPrevented: false,
        preventDefault() {
          this.defaultPrevented = true;
        },
      };
      bench.webContents.emit('will-navigate', event, to);
      return event.defaultPrevented;
    };
    expect(navigate(new URL('/bench/?x', url).href)).toBe(false);
    expect(navigate('https://example.com/')).toBe(true);
    expect(bench.webContents.windowOpenHandler?.()).toEqual({ action: 'deny' });
    await core.stop();
  });

  it('keeps the screen awake in kiosk mode, full screen', async () => {
    const { core } = await start(['--kiosk']);
    expect(electron.windows[0]!.options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(electron.powerSaveBlocker.start).toHaveBeenCalledWith('prevent-display-sleep');
    await core.stop();
  });

  it('restarts a display that stays unresponsive for 10 s, and leaves one that answers again', async () => {
    const { core } = await start();
    const contents = electron.windows[0]!.webContents;
    vi.useFakeTimers();
    try {
      contents.emit('unresponsive');
      vi.advanceTimersByTime(9_000);
      contents.emit('responsive');
      vi.advanceTimersByTime(5_000);
      expect(contents.forcefullyCrashRenderer).not.toHaveBeenCalled();
      contents.emit('unresponsive');
      vi.advanceTimersByTime(10_000);
      expect(contents.forcefullyCrashRenderer).toHaveBeenCalledTimes(1);
      // crashed, and so reloaded by the crash guard
      expect(contents.reload).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
    await core.stop();
  });

  it('quits when another head unit already holds the single-instance lock', async () => {
    electron.app.requestSingleInstanceLock.mockReturnValueOnce(false);
    expect(await startElectronHost(['--data-dir', join(resources, 'data')], resources)).toBeNull();
    expect(electron.app.quit).toHaveBeenCalled();
  });
});

describe('window lock-down', () => {
  it('blocks navigation away, redirects, webviews and new windows', () => {
    const contents = new (
      electron.module.BrowserWindow as unknown as new (o: object) => { webContents: EventEmitter & { windowOpenHandler?: () => { action: string } } }
    )({}).webContents;
    lockDown(contents as never);
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      contents.emit('will-navigate', event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://example.com/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('app://head-unit/index.html')).toBe(false);
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(contents.windowOpenHandler?.()).toEqual({ action: 'deny' });
  });

  it('trusts only a top frame whose origin is exactly app://head-unit', () => {
    expect(isTrustedSender(top('app://head-unit/x') as never)).toBe(true);
    expect(isTrustedSender(top('not a url') as never)).toBe(false);
    expect(isTrustedSender(top('app://head-unit@evil/') as never)).toBe(false);
  });
});

describe('the reload budget', () => {
  it('allows three reloads in any 60 s, and more once the oldest is a minute old', () => {
    const budget = new ReloadBudget();
    expect([0, 1000, 2000, 3000].map((t) => budget.allow(t))).toEqual([true, true, true, false]);
    expect(budget.allow(60_000)).toBe(true);
    expect(budget.allow(60_500)).toBe(false);
  });
});

describe('the app:// protocol', () => {
  it('serves the display with its CSP, and nothing outside it', async () => {
    const root = join(resources, 'renderer');
    const page = await serveApp(new Request('app://head-unit/index.html'), root);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    for (const url of [
      'app://head-unit/../secret.txt',
      'app://head-unit/%2e%2e/secret.txt',
      'app://head-unit/..%2fsecret.txt',
      'app://other/index.html',
      'app://head-unit/missing.js',
    ]) {
      expect((await serveApp(new Request(url), root)).status, url).toBe(404);
    }
  });
});

describe("the display's HTML", () => {
  it('carries the same CSP as the hosts send, as a <meta> (without frame-ancestors, which a <meta> cannot carry)', async () => {
    const html = await readFile(join('dist', 'renderer', 'index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replace(/&#39;/g, "'");
    expect(meta).toBe(metaContentSecurityPolicy);
    expect(contentSecurityPolicy.split('; ').filter((d) => !meta!.split('; ').includes(d))).toEqual(["frame-ancestors 'none'"]);
  });
});
