import type { CloudWorldCommand, CloudWorldResult } from '../../shared/cloudWorld';

/** What the cloud's admin refused, in its own words (an unknown BMW ID, a cloud on another machine). */
export class CloudAdminError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloudAdminError';
  }
}

/**
 * The bench's controls of the cloud the car uses (the automation API's `world.cloud`): the command
 * goes to the cloud's `POST /admin/world` as it is, which answers on the cloud's own machine only,
 * and the cloud answers what the command says it answers (shared/cloudWorld.ts). Throws a
 * CloudAdminError when the cloud refuses or cannot be reached within `timeoutMs`.
 */
export async function controlCloud(cloudUrl: string, command: CloudWorldCommand, timeoutMs = 5000): Promise<CloudWorldResult> {
  const response = await fetch(new URL('/admin/world', cloudUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(command),
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error: unknown) => {
    throw new CloudAdminError(`the cloud at ${cloudUrl} does not answer (${error instanceof Error ? error.message : String(error)})`);
  });
  const body = (await response.json().catch(() => ({}))) as CloudWorldResult & { error_description?: string };
  if (response.ok) return body;
  if (response.status === 404 && !body.error_description) throw new CloudAdminError(`the cloud at ${cloudUrl} has no bench admin (/admin/world)`);
  throw new CloudAdminError(`the cloud refused: ${body.error_description ?? response.status}`);
}
