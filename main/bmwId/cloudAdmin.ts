import type { z } from 'zod';
import type { automationContract, CloudAccount, ResultOf, SmdpOrderSummary } from '../../shared/contract';
import type { LiveBehaviour } from '../../shared/scenario';
import type { Es9Fault } from '../../shared/rsp/es9Fault';

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
 * cloud's admin endpoints, which answer on its own machine only: `GET /admin/accounts`,
 * `PUT /admin/carrier/lines/:email`, `GET /admin/carrier/sms/:email`, `/admin/outage`,
 * `/admin/behaviour`, `/admin/smdp/fault` and `GET /admin/smdp/orders`. The actions on BMW IDs
 * and lines answer the BMW IDs as they stand afterwards (`sms` with the line's text messages);
 * the behaviour, the orders and the SM-DP+'s fault answer with themselves. Throws a
 * CloudAdminError when the cloud refuses or cannot be reached.
 */
export async function controlCloud(
  cloudUrl: string,
  command: CloudWorldCommand,
  timeoutMs = 5000,
): Promise<ResultOf<typeof automationContract, 'world.cloud'>> {
  const call = async (path: string, init?: RequestInit): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(new URL(path, cloudUrl), { ...init, signal: AbortSignal.timeout(timeoutMs) }).catch((error: unknown) => {
      throw new CloudAdminError(`the cloud at ${cloudUrl} does not answer (${error instanceof Error ? error.message : String(error)})`);
    });
    const body = (await response.json().catch(() => ({}))) as { error_description?: string };
    if (!response.ok && response.status !== 404) throw new CloudAdminError(`the cloud refused: ${body.error_description ?? response.status}`);
    return { status: response.status, body };
  };
  const put = (path: string, value: unknown) => call(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
  const accounts = async (): Promise<CloudAccount[]> => {
    const { status, body } = await call('/admin/accounts');
    if (status === 404) throw new CloudAdminError(`the cloud at ${cloudUrl} has no bench admin (/admin/accounts)`);
    return (body as { accounts: CloudAccount[] }).accounts;
  };
  const line = async (email: string, value: unknown) => {
    const { status } = await put(`/admin/carrier/lines/${encodeURIComponent(email)}`, value);
    if (status === 404) throw new CloudAdminError(`the cloud has no BMW ID "${email}"`);
  };
  if (command.action === 'giveLine') {
    const { email, msisdn, networkPin, dAccount, dPassword } = command;
    // A new contract: not yet One Number, no option, not associated (STEP 1 does that).
    await line(email, { msisdn, subscribed: false, multiDevice: false, associated: false, networkPin, dAccount, dPassword });
  } else if (command.action === 'removeLine') {
    await line(command.email, null);
  } else if (command.action === 'setLine' || command.action === 'rewindStep1') {
    const current = (await accounts()).find((a) => a.email.toLowerCase() === command.email.toLowerCase());
    if (!current) throw new CloudAdminError(`the cloud has no BMW ID "${command.email}"`);
    if (!current.line) throw new CloudAdminError(`${command.email} has no NTT DOCOMO line: give it one first`);
    const { msisdn, subscribed, multiDevice, associated } = current.line;
    const next =
      command.action === 'rewindStep1'
        ? { subscribed: false, multiDevice: false, associated: false }
        : { subscribed: command.subscribed ?? subscribed, multiDevice: command.multiDevice ?? multiDevice, associated: command.associated ?? associated };
    await line(command.email, { msisdn, ...next });
  } else if (command.action === 'outage') {
    const outage = command.mode === 'slow' ? { mode: 'slow', delaySeconds: command.delaySeconds ?? 10 } : { mode: command.mode };
    const { status, body } = await put('/admin/outage', outage);
    if (status === 404) throw new CloudAdminError(`the cloud at ${cloudUrl} has no bench outages (/admin/outage)`);
    return { accounts: await accounts(), outage: body as { mode: string; delaySeconds?: number } };
  } else if (command.action === 'behaviour') {
    const { action: _, ...patch } = command;
    const { status, body } = await (Object.keys(patch).length > 0 ? put('/admin/behaviour', patch) : call('/admin/behaviour'));
    if (status === 404) throw new CloudAdminError(`the cloud at ${cloudUrl} has no live behaviour (/admin/behaviour)`);
    return { behaviour: body as LiveBehaviour };
  } else if (command.action === 'smdpFault') {
    const { status, body } = await put('/admin/smdp/fault', command.fault);
    if (status === 404) throw new CloudAdminError(`the cloud at ${cloudUrl} has no SM-DP+ faults (/admin/smdp/fault)`);
    return { smdpFault: body as Es9Fault };
  } else if (command.action === 'orders') {
    const { status, body } = await call('/admin/smdp/orders');
    if (status === 404) throw new CloudAdminError(`the cloud at ${cloudUrl} has no SM-DP+ admin (/admin/smdp/orders)`);
    return { orders: (body as { orders: SmdpOrderSummary[] }).orders };
  } else if (command.action === 'sms') {
    const { status, body } = await call(`/admin/carrier/sms/${encodeURIComponent(command.email)}`);
    if (status === 404) throw new CloudAdminError(`${command.email} has no NTT DOCOMO line, so no phone to text`);
    return { accounts: await accounts(), sms: body as { msisdn: string; messages: { from: string; text: string; at: number }[] } };
  }
  return { accounts: await accounts() };
}
