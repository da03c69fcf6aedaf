import { lanAddress } from '../cloud/network';
import { readScenario } from '../cloud/scenarioFile';
import { startCloud, type Cloud, type CloudState } from '../cloud/server';
import { defaultScenario, type Scenario } from '../shared/scenario';
import { z } from 'zod';
import { SimModem } from '../hardware/modem/sim/simModem';
import type { EuiccFlash } from '../hardware/modem/sim/simEuicc';
import { realisticTiming } from '../hardware/modem/sim/timing';
import { AreaFile } from './store/areaFile';
import { Core } from './core';
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
}

/**
 * The car and its world as both hosts start them: the scenario, the embedded BMW ID cloud on its
 * own port (or a team's cloud), the core, and the forced language or resolution.
 */
export async function bootCore(options: StartOptions): Promise<Booted> {
  const scenario = options.scenario ? await readScenario(options.scenario) : defaultScenario;
  const lan = options.lan ? lanAddress() : null;
  if (options.lan && !lan) throw new Error('--lan: this machine has no network address besides loopback');
  const cloud = options.cloudUrl ? null : await embeddedCloud(options.dataDir, scenario, lan, options.cloudPort);
  const cloudUrl = options.cloudUrl ?? cloud!.url;
  const modem = await simulatedModem(options.dataDir, cloud?.smdpCertificate ?? (await fetchCertificate(cloudUrl)));
  const bluetooth = await openBluetooth(options, scenario);
  const core = new Core({
    modem,
    bluetooth,
    dataDir: options.dataDir,
    language: options.language ?? options.systemLanguage,
    scenario,
    cloudUrl: () => cloudUrl,
    onScenario: (next) => cloud?.load(next),
  });
  await core.ready;
  const patch = {
    ...(options.language ? { language: options.language } : {}),
    ...(options.resolution ? { resolution: options.resolution } : {}),
  };
  if (Object.keys(patch).length > 0) core.applySettings(patch);
  return { core, cloud, lan, scenario };
}

/**
 * A real adapter when asked for (loaded only then: dbus-next and noble stay out of a simulated
 * start), else the simulated phones of the scenario. A missing adapter stops the start with what
 * to do, rather than silently simulating.
 */
async function openBluetooth(options: StartOptions, scenario: Scenario): Promise<Bluetooth> {
  try {
    if (options.bluetooth === 'bluez') {
      const { BluezBluetooth } = await import('../hardware/bluetooth/bluez/bluez');
      return await BluezBluetooth.open(options.btAdapter ? { adapter: options.btAdapter } : {});
    }
    if (options.bluetooth === 'ble') {
      const { BleBluetooth } = await import('../hardware/bluetooth/ble/ble');
      return await BleBluetooth.open();
    }
  } catch (error) {
    throw new Error(`--bluetooth ${options.bluetooth}: ${(error as Error).message}`, { cause: error });
  }
  return simulatedPhones(options.dataDir, scenario);
}

/** The scenario's phones; what they remember of their pairing with this car is kept beside the car's memory. */
async function simulatedPhones(dataDir: string, scenario: Scenario): Promise<SimBluetooth> {
  const file = new AreaFile(dataDir, 'sim-phones', 1, z.object({ bonds: z.array(z.string().max(17)).max(1000) }));
  const { value } = await file.load(() => ({ bonds: [] }));
  return new SimBluetooth({ phones: scenario.phones, bonds: value.bonds, onBonds: (bonds) => void file.save({ bonds }).catch(() => undefined) });
}

/** The eUICC's flash, kept beside the car's memory: a bench restart keeps the installed profiles. */
const Flash = z.object({ profiles: z.array(z.any()), notifications: z.array(z.any()), nextSeq: z.number().int() }) as unknown as z.ZodType<EuiccFlash>;

async function simulatedModem(dataDir: string, smdpCertificate: string | null): Promise<SimModem> {
  const file = new AreaFile(dataDir, 'sim-modem', 1, Flash);
  const { value } = await file.load(() => ({ profiles: [], notifications: [], nextSeq: 1 }));
  return new SimModem({
    trustedServers: smdpCertificate ? [smdpCertificate] : [],
    timing: realisticTiming,
    flash: value,
    onFlash: (flash) => void file.save(flash).catch(() => undefined),
  });
}

/** A team's cloud publishes its SM-DP+ certificate (the stand-in for the GSMA CI the eUICC trusts). */
async function fetchCertificate(cloudUrl: string): Promise<string | null> {
  try {
    const response = await fetch(new URL('gsma/rsp2/certificate', cloudUrl), { signal: AbortSignal.timeout(5000) });
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}

/** The world's state, kept beside the car's memory so that a restart of the bench is not a new world. */
const World = z.object({ tokens: z.object({ access: z.array(z.any()), refresh: z.array(z.any()) }), orders: z.array(z.any()), devices: z.array(z.any()) }) as unknown as z.ZodType<CloudState>;

/** The embedded cloud listens on loopback; with --lan, its phone pages also on the LAN address. */
async function embeddedCloud(dataDir: string, scenario: Parameters<typeof startCloud>[0]['scenario'], lan: string | null, port: number): Promise<Cloud> {
  const file = new AreaFile(dataDir, 'cloud-world', 1, World);
  const { value } = await file.load(() => ({ tokens: { access: [], refresh: [] }, orders: [], devices: [] }));
  return startCloud({ scenario, host: '127.0.0.1', ...(lan ? { phoneHost: lan } : {}), port, state: value, onChange: (state) => void file.save(state).catch(() => undefined) });
}
