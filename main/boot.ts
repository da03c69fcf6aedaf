import { readFile } from 'node:fs/promises';
import { Scenario, defaultScenario } from '../shared/scenario';
import { Core } from './core';
import type { StartOptions } from './options';

/** Reads and checks a scenario file; the error names the file and the first problem. */
export async function readScenario(path: string): Promise<Scenario> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read scenario ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const parsed = Scenario.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`scenario ${path} is not valid: ${issue?.path.join('.') || '(top)'}: ${issue?.message}`);
  }
  return parsed.data;
}

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
