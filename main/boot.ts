import { readScenario } from '../cloud/scenarioFile';
import { defaultScenario } from '../shared/scenario';
import { Core } from './core';
import type { StartOptions } from './options';

/** The core as both hosts start it: scenario, data directory, and the forced language or resolution. */
export async function bootCore(options: StartOptions): Promise<Core> {
  const scenario = options.scenario ? await readScenario(options.scenario) : defaultScenario;
  const core = new Core({ dataDir: options.dataDir, language: options.language ?? options.systemLanguage, scenario });
  await core.ready;
  const patch = {
    ...(options.language ? { language: options.language } : {}),
    ...(options.resolution ? { resolution: options.resolution } : {}),
  };
  if (Object.keys(patch).length > 0) core.applySettings(patch);
  return core;
}
