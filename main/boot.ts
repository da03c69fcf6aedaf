import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { lanAddress, portProblem } from '../cloud/network';
import { readScenario } from '../cloud/scenarioFile';
import type { Cloud, startCloud } from '../cloud/server';
import { defaultScenario, type Scenario } from '../shared/scenario';
import * as z from 'zod';
import { ModemError, type Modem } from '../hardware/modem/contract';
import { SimModem } from '../hardware/modem/sim/simModem';
import { exposeOnPty } from '../hardware/modem/sim/pty';
import { exposeOnVpcd } from '../hardware/modem/sim/vpcd';
import { realisticTiming } from '../hardware/modem/sim/timing';
import { AreaFile } from './store/areaFile';
import { CloudWorldFile } from '../cloud/worldFile';
import { EuiccFlashFile } from '../hardware/modem/sim/flashFile';
import { reported, StoreProblems } from './store/problems';
import { Core, type CoreOptions } from './core';
import type { Licence } from './machines/context';
import { log, openLog } from './log';
import { version } from './version';
import { trustForEs9 } from './esim/es9Client';
import type { StartOptions } from './options';
import type { Bluetooth } from '../hardware/bluetooth/contract';
import { SimBluetooth } from '../hardware/bluetooth/sim/simBluetooth';

export interface Booted {
  core: Core;
  /** the world loaded (the demo world, or a scenario over it) */
  scenario: Scenario;
  /** the embedded cloud, unless the car was pointed at another with --cloud-url */
  cloud: Cloud | null;
  /** with --lan, the LAN address the phone pages answer on (the embedded cloud's) */
  lan: string | null;
  /** with --modem-pty, where the simulated module's AT port is */
  modemPty: string | null;
  /** with --euicc-pcsc, where vpcd reaches the simulated eUICC (host:port) */
  euiccPcsc: string | null;
  /** stops the cloud and the car, and waits until everything the bench keeps is on disk */
  stop(): Promise<void>;
  /** waits until everything the bench keeps is on disk, the car running on */
  saved(): Promise<void>;
}

/**
 * The car and its world as both hosts start them: the scenario, the embedded BMW ID cloud on its
 * own port (or a team's cloud), the core, and the forced language or resolution.
 */
export async function bootCore(options: StartOptions, distDir?: string, continues?: CoreOptions['continues']): Promise<Booted> {
  const logFile = openLog({ dataDir: options.dataDir, level: options.logLevel });
  log('head unit').info(`starting ${version}`, { dataDir: options.dataDir, bluetooth: options.bluetooth, modem: options.modem });
  const scenario = options.scenario ? await readScenario(options.scenario) : defaultScenario;
  const lan = options.lan ? lanAddress() : null;
  if (options.lan && !lan) throw new Error('--lan: this machine has no network address besides loopback');
  // One place where every file of the bench reports its problems: the driver is told of all of them.
  const problems = new StoreProblems();
  const files: AreaFile<unknown>[] = [];
  // The SM-DP+'s HTTPS listener starts once the core is ready: its TLS set-up is not on the start's path.
  let coreStarted = () => {};
  const started = new Promise<void>((resolve) => (coreStarted = resolve));
  const cloud = options.cloudUrl ? null : await embeddedCloud(options.dataDir, scenario, lan, options.cloudPort, problems, files, started);
  const cloudUrl = options.cloudUrl ?? cloud!.url;
  // A team's cloud that does not answer is said at once, not found out at the first login.
  if (!cloud && !(await answers(cloudUrl)))
    log('head unit').warn(
      `warning: the BMW ID cloud at ${cloudUrl} does not answer: logins and the Personal eSIM fail until it does (is "npm run cloud" running there?)`,
    );
  const real = options.modem === 'at' ? await realModem(options.modemDevice!, options.modemSettings) : null;
  const simulated = real ? null : await simulatedModem(options.dataDir, problems, files, scenario, options.euiccIdentity);
  trustForEs9(options.smdpCa);
  const modem = real?.modem ?? simulated!;
  // The module's AT port for tools, while the car keeps using the module.
  const pty = simulated && options.modemPty ? await exposeOnPty(simulated, options.modemPty, (problem) => log('head unit').warn(problem)) : null;
  // The module's card for PC/SC tools, through vsmartcard's vpcd.
  const pcsc = simulated && options.euiccPcsc ? await exposeOnVpcd(simulated, options.euiccPcsc.host, options.euiccPcsc.port) : null;
  const { bluetooth, phones } = await openBluetooth(options, scenario, problems, files);
  const core = new Core({
    parts: { modem, bluetooth, simulated: { modem: simulated, phones } },
    storeProblems: problems,
    dataDir: options.dataDir,
    language: options.language ?? options.systemLanguage,
    scenario,
    cloudUrl: () => cloudUrl,
    ...(options.entitlementUrl ? { entitlementUrl: options.entitlementUrl } : {}),
    onScenario: (next) => cloud?.load(next),
    licences: distDir ? await readLicences(join(distDir, 'licences.json')) : [],
    ...(continues ? { continues } : {}),
  });
  await core.ready;
  coreStarted();
  const patch = {
    ...(options.language ? { language: options.language } : {}),
    ...(options.resolution ? { resolution: options.resolution } : {}),
  };
  if (Object.keys(patch).length > 0) core.applySettings(patch);
  const stop = async () => {
    await cloud?.close();
    await core.stop();
    // (the world's files last: the cloud's final answers and the modem's last change are in them;
    // then closed, so that a step left running writes nothing over a restored checkpoint)
    await Promise.all(files.map((file) => file.settled()));
    for (const file of files) file.close();
    await pty?.close();
    await pcsc?.close();
    await real?.close();
    await logFile.close();
  };
  const saved = async () => {
    await core.saved();
    await Promise.all(files.map((file) => file.settled()));
  };
  return { core, cloud, lan, scenario, stop, saved, modemPty: pty?.path ?? null, euiccPcsc: pcsc?.address ?? null };
}

/**
 * A real adapter when asked for (loaded only then: dbus-next and noble stay out of a simulated
 * start), else the simulated phones of the scenario. A missing adapter stops the start with what
 * to do, rather than silently simulating.
 */
async function openBluetooth(
  options: StartOptions,
  scenario: Scenario,
  problems: StoreProblems,
  files: AreaFile<unknown>[],
): Promise<{ bluetooth: Bluetooth; phones: SimBluetooth | null }> {
  try {
    if (options.bluetooth === 'bluez') {
      const { BluezBluetooth } = await import('../hardware/bluetooth/bluez/bluez');
      return { bluetooth: await BluezBluetooth.open(options.btAdapter ? { adapter: options.btAdapter } : {}), phones: null };
    }
    if (options.bluetooth === 'ble') {
      const { BleBluetooth } = await import('../hardware/bluetooth/ble/ble');
      return { bluetooth: await BleBluetooth.open(), phones: null };
    }
  } catch (error) {
    throw new Error(`--bluetooth ${options.bluetooth}: ${(error as Error).message}`, { cause: error });
  }
  const phones = await simulatedPhones(options.dataDir, scenario, problems, files);
  return { bluetooth: phones, phones };
}

/** The scenario's phones; what they remember of their pairing with this car is kept beside the car's memory. */
async function simulatedPhones(dataDir: string, scenario: Scenario, problems: StoreProblems, files: AreaFile<unknown>[]): Promise<SimBluetooth> {
  const file = new AreaFile(dataDir, 'sim-phones', 1, z.strictObject({ bonds: z.array(z.string().max(17)).max(1000) }), problems);
  files.push(file as AreaFile<unknown>);
  const { value } = await file.load(() => ({ bonds: [] }));
  return new SimBluetooth({ phones: scenario.phones, bonds: value.bonds, onBonds: (bonds) => void file.saveLatest({ bonds }).catch(reported) });
}

/**
 * A real module on a serial port (loaded only then: serialport's native binding stays out of a
 * simulated start). One that cannot be opened, does not answer, or offers no way to its eUICC
 * stops the start with what to check.
 */
async function realModem(device: string, settings: StartOptions['modemSettings']): Promise<{ modem: Modem; close(): Promise<void> }> {
  const { ReconnectingModem } = await import('../hardware/modem/at/reconnecting');
  try {
    // (a module that goes away, a USB reset or an unplug, is found again at its path when it comes back)
    const modem = await ReconnectingModem.open(device, settings, (news) => log('head unit').warn(news));
    const opened = { modem, close: () => modem.close() };
    // The car needs the eUICC: a module with no way to it (no logical channels, no +CSIM) stops here.
    const eid = await opened.modem.euicc.eid().catch(async (error: unknown) => {
      if (!(error instanceof ModemError && error.code === 'unsupported')) return null; // (the radio off: asked again later)
      await opened.close();
      throw error;
    });
    log('head unit').info(`modem: the module on ${device} answers${eid ? `, its eUICC ${eid}` : ''}`);
    return opened;
  } catch (error) {
    throw new Error(`--modem at:${device}: ${(error as Error).message} (docs/hardware.md, "A real cellular module", says how to find the module's AT port)`, {
      cause: error,
    });
  }
}

async function simulatedModem(
  dataDir: string,
  problems: StoreProblems,
  files: AreaFile<unknown>[],
  { calls, pace }: Pick<Scenario, 'calls' | 'pace'>,
  identityDir: string | undefined,
): Promise<SimModem> {
  // (the PKI is loaded only for an identity of one's own: it costs the start ~50 ms)
  const identity =
    identityDir === undefined
      ? undefined
      : await (await import('./esim/identityFiles')).loadEuiccIdentity(identityDir).catch((error: unknown) => {
          throw new Error(`--euicc-identity ${(error as Error).message}`, { cause: error });
        });
  const file = new AreaFile(dataDir, 'sim-modem', 1, EuiccFlashFile, problems);
  files.push(file as AreaFile<unknown>);
  const { value } = await file.load(() => ({ profiles: [], notifications: [], nextSeq: 1 }));
  return new SimModem({
    timing: { ...realisticTiming, scale: pace },
    flash: value,
    ...(identity ? { identity } : {}),
    onFlash: (flash) => void file.saveLatest(flash).catch(reported),
    keeps: (flash) => EuiccFlashFile.safeParse(flash).success,
    calls,
  });
}

/**
 * Whether a team's cloud answers at all. Asked with node:http, not fetch: fetch's HTTP stack costs
 * a start-up about 40 ms and 13 MiB when loaded this early, and a car on a shared cloud has no
 * other use for it before a login.
 */
function answers(cloudUrl: string): Promise<boolean> {
  const url = new URL(cloudUrl);
  const get = url.protocol === 'https:' ? httpsGet : httpGet;
  return new Promise((resolve) => {
    const request = get(url, { timeout: 5000 }, (response) => {
      response.resume();
      resolve(true);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** The embedded cloud listens on loopback; with --lan, its phone pages also on the LAN address. */
async function embeddedCloud(
  dataDir: string,
  scenario: Parameters<typeof startCloud>[0]['scenario'],
  lan: string | null,
  port: number,
  problems: StoreProblems,
  files: AreaFile<unknown>[],
  smdpAfter: Promise<void>,
): Promise<Cloud> {
  const file = new AreaFile(dataDir, 'cloud-world', 1, CloudWorldFile, problems);
  files.push(file as AreaFile<unknown>);
  const { value } = await file.load(() => ({ tokens: { access: [], refresh: [] }, orders: [], devices: [] }));
  // (loaded when a car has its cloud embedded: a car of a fleet, with --cloud-url, starts without it)
  const { startCloud } = await import('../cloud/server');
  return startCloud({
    scenario,
    host: '127.0.0.1',
    ...(lan ? { phoneHost: lan } : {}),
    port,
    state: value,
    smdpAfter,
    onChange: (state) => void file.saveLatest(state).catch(reported),
  }).catch((error: unknown) => {
    throw portProblem(error, `the embedded BMW ID cloud's port ${port}`, '--cloud-port');
  });
}

/** The build's list of what the app carries; none (and the About page says so) when it is missing. */
async function readLicences(path: string): Promise<Licence[]> {
  try {
    const list = z.array(z.object({ name: z.string(), version: z.string(), licence: z.string() })).safeParse(JSON.parse(await readFile(path, 'utf8')));
    return list.success ? list.data.map(({ name, version: v, licence }) => ({ name, version: v, licence })) : [];
  } catch {
    return [];
  }
}
