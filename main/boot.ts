import { lanAddress, readScenario } from '../cloud/scenarioFile';
import { startCloud, type Cloud } from '../cloud/server';
import { defaultScenario } from '../shared/scenario';
import { Core } from './core';
import type { StartOptions } from './options';

export interface Booted {
  core: Core;
  /** the embedded cloud, unless the car was pointed at another with --cloud-url */
  cloud: Cloud | null;
  /** where the servers listen: 127.0.0.1, or the LAN address with --lan */
  host: string;
}

/**
 * The car and its world as both hosts start them: the scenario, the embedded BMW ID cloud on its
 * own port (or a team's cloud), the core, and the forced language or resolution.
 */
export async function bootCore(options: StartOptions): Promise<Booted> {
  const scenario = options.scenario ? await readScenario(options.scenario) : defaultScenario;
  const host = options.lan ? lanAddress() : options.host;
  if (!host) throw new Error('--lan: this machine has no network address besides loopback');
  const cloud = options.cloudUrl ? null : await startCloud({ scenario, host, port: options.cloudPort });
  const cloudUrl = options.cloudUrl ?? cloud!.url;
  const core = new Core({
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
  return { core, cloud, host };
}
