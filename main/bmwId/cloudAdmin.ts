import type { z } from 'zod';
import type { automationContract, CloudAccount } from '../../shared/contract';

/** `world.cloud` as parsed. */
export type CloudWorldCommand = z.output<(typeof automationContract)['world.cloud']['request']>;

/** What the cloud's admin refused, in its own words (an unknown BMW ID, a cloud on another machine). */
export class CloudAdminError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloudAdminError';
  }
}

/**
 * The bench's controls of the cloud the car uses (the automation API's `world.cloud`), through the
 * cloud's admin endpoints, which answer on its own machine only: `GET /admin/accounts` and
 * `PUT /admin/carrier/lines/:email`. Answers the BMW IDs as they stand afterwards. Throws a
 * CloudAdminError when the cloud refuses or cannot be reached.
 */
export async function controlCloud(cloudUrl: string, command: CloudWorldCommand, timeoutMs = 5000): Promise<{ accounts: CloudAccount[] }> {
  const call = async (path: string, init?: RequestInit): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(new URL(path, cloudUrl), { ...init, signal: AbortSignal.timeout(timeoutMs) }).catch((error: unknown) => {
      throw new CloudAdminError(`the cloud at ${cloudUrl} does not answer (${error instanceof Error ? error.message : String(error)})`);
    });
    const body = (await response.json().catch(() => ({}))) as { error_description?: string };
    if (!response.ok && response.status !== 404) throw new CloudAdminError(`the cloud refused: ${body.error_description ?? response.status}`);
    return { status: response.status, body };
  };
  const line = async (email: string, value: unknown) => {
    const { status } = await call(`/admin/carrier/lines/${encodeURIComponent(email)}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
    if (status === 404) throw new CloudAdminError(`the cloud has no BMW ID "${email}"`);
  };
  if (command.action === 'giveLine') {
    const { email, msisdn, networkPin, dAccount, dPassword } = command;
    // A new contract: not yet One Number, no option, not associated (STEP 1 does that).
    await line(email, { msisdn, subscribed: false, multiDevice: false, associated: false, networkPin, dAccount, dPassword });
  } else if (command.action === 'removeLine') {
    await line(command.email, null);
  }
  const { status, body } = await call('/admin/accounts');
  if (status === 404) throw new CloudAdminError(`the cloud at ${cloudUrl} has no bench admin (/admin/accounts)`);
  return body as { accounts: CloudAccount[] };
}
