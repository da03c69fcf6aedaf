import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { automationContract } from '../shared/contract';
import { consoleHelp, runConsole } from './automation/console';
import { Bench } from './bench/bench';
import { createDispatch } from './hosts/dispatch';
import { automationHandlers, lazyDisplay, type Display } from './hosts/handlers';
import { BrowserDisplay } from './hosts/web/browserDisplay';
import { SupervisedDisplay } from './hosts/web/supervisor';
import { findChromium, hasDisplay } from './hosts/web/chromium';
import { startWebHost } from './hosts/web/server';
import { helpText, parseOptions, versionText, type StartOptions } from './options';
import { automationTokenFor, exposureLines } from './exposure';
import { describeWorld } from '../shared/scenario';
import { log as logOf } from './log';

const log = (message: string) => logOf('head unit').warn(message);

/** The Electron executable if it is installed; never triggers its download (no network on a bench). */
export function findElectron(): string | null {
  try {
    const pkg = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron');
    const pathFile = join(pkg, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8'));
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/**
 * The head unit as the start options ask: `--help`, `--version`, Electron when it is installed (or
 * asked for), else the web host. `here` is the folder of the launcher (dist/main), beside which the
 * renderer and the Electron host are.
 */
export async function launch(here: string): Promise<void> {
  let options: StartOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\nSee --help.`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`${helpText}\n${consoleHelp}\n`);
    return;
  }
  if (options.showVersion) return void process.stdout.write(versionText(options));
  if (options.shell !== 'web') {
    const electron = findElectron();
    if (electron) return runElectron(electron, here);
    if (options.shell === 'electron') {
      console.error('Electron is not installed here (its binary could not be downloaded). Run "npx install-electron" where the internet can be reached.');
      process.exit(1);
    }
    console.error("Electron's binary is not installed here, so the head unit is served by its web host instead.");
  }
  await runWeb(options, here);
}

/** Hands over to Electron, which runs the same core in its main process. */
function runElectron(electron: string, here: string): void {
  const child = spawn(electron, [join(here, '..', 'electron', 'main.cjs'), ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
}

/** The display's watchdog: checked every 5 s, restarted when a check is not answered in 10 s. */
const displayWatch = { checkEveryMs: 5000, hangMs: 10_000 };

async function runWeb(options: StartOptions, here: string): Promise<void> {
  const started = performance.now();
  const bench = await Bench.start(options, join(here, '..'));
  const { cloud, scenario } = bench.booted;
  const resolution = () => bench.core().view().resolution;
  let kiosk: SupervisedDisplay | undefined;
  // The display this process opens itself carries the token, when there is one.
  let url = '';
  // (the kiosk's window when there is one, whichever it is after a restart; else a headless page, opened once)
  const headless = lazyDisplay(async (): Promise<Display> => BrowserDisplay.open(url, resolution, { headless: true, kiosk: false }));
  const display = async (): Promise<Display> => kiosk?.current() ?? headless();
  const token = automationTokenFor(options.host, options.automationToken);
  const host = await startWebHost({
    car: bench,
    host: options.host,
    port: options.port,
    ...(token ? { token } : {}),
    rendererDir: join(here, '..', 'renderer'),
    display,
    log,
  });
  url = token ? `${host.url}?token=${token}` : host.url;
  // One machine-readable line: scripts and the benchmark wait for it.
  console.log(`head unit ready at ${host.url} (core ready in ${Math.round(performance.now() - started)} ms)`);
  await cloud?.smdpReady;
  for (const line of exposureLines(bench.booted, { display: host.url, token, tokenGiven: options.automationToken !== undefined, cloudUrl: options.cloudUrl }))
    console.log(line);
  console.log(describeWorld(scenario));
  if (options.benchConsole) console.log(`the bench console: ${host.url}bench/${token ? '?token=…' : ''}`);

  const stop = async () => {
    await kiosk?.close().catch(() => undefined);
    await host.close();
    await bench.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  if (options.open && hasDisplay() && findChromium()) {
    // Watched: a display that crashes or hangs is opened again (the kiosk has nobody to do it).
    kiosk = await SupervisedDisplay.start(() => BrowserDisplay.open(url, resolution, { headless: false, kiosk: options.kiosk }), { ...displayWatch, log });
    // Closing the window is closing the head unit, as with the Electron window.
    void kiosk.closed.then(stop);
  } else if (options.open) {
    console.log(`Open ${host.url}${token ? '?token=…' : ''} in a browser to see the display${hasDisplay() ? ' (no Chromium found to open it)' : ''}.`);
  }
  if (options.console) {
    void runConsole(createDispatch(automationContract, automationHandlers(bench, display), log), process.stdin, process.stdout, () => void stop());
  }
}
