import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { Scenario } from '../shared/scenario';

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

/** This machine's address on the local network, for --lan (a phone on the same Wi-Fi reaches it). */
export function lanAddress(): string | null {
  for (const addresses of Object.values(networkInterfaces())) {
    const v4 = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (v4) return v4.address;
  }
  return null;
}
