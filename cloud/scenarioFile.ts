import { readFile } from 'node:fs/promises';
import { resolveScenario, Scenario } from '../shared/scenario';

/**
 * Reads and checks a scenario file, and lays it over the demo world unless it says `base: "empty"`
 * (`resolveScenario`); the error names the file and the first problem.
 */
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
  return resolveScenario(parsed.data);
}
