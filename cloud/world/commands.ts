import type { CloudAccount, CloudWorldCommand, CloudWorldResult, Outage, SmdpOrderSummary } from '../../shared/cloudWorld';
import type { LiveBehaviour } from '../../shared/scenario';
import { missingCaseError } from '../../shared/view';
import type { Accounts } from '../accounts';
import type { Carrier, OneNumberLine } from '../carrier/carrier';
import type { SmsCenter } from '../carrier/sms';
import type { SmdpFaults } from '../smdp/faults';
import type { Orders } from '../smdp/orders';

/** What the bench's commands change: the cloud's own state, read at each command (a scenario loaded again replaces it). */
export interface CloudWorldDeps {
  accounts: Accounts;
  carrier: Carrier;
  orders: Orders;
  sms: SmsCenter;
  behaviour: LiveBehaviour;
  /** the outage the car's requests meet (see cloud/outage.ts) */
  outage: { current: Outage };
  smdpFaults(): SmdpFaults;
  /** host:port of the SM-DP+, as activation codes name it */
  smdpAddress(): string;
}

/** A command the cloud cannot carry out, and why: `status` 404 for what does not exist, 409 for what must come first. */
export class CloudWorldError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'CloudWorldError';
  }
}

/** A line as the bench may see it: its number, state and d ACCOUNT ID, never its secrets. */
function publicLine(line: OneNumberLine | null): CloudAccount['line'] {
  if (!line) return null;
  const { msisdn, subscribed, multiDevice, associated, dAccount } = line;
  return { msisdn, subscribed, multiDevice, associated, ...(dAccount ? { dAccount } : {}) };
}

/** The BMW IDs and their lines, for the bench: no password, no d ACCOUNT password, no PIN. */
export function accountsOf(deps: CloudWorldDeps): CloudAccount[] {
  return deps.accounts.all().map((account) => ({ email: account.email, name: account.name, line: publicLine(deps.carrier.line(account.id)) }));
}

function ordersOf(deps: CloudWorldDeps): SmdpOrderSummary[] {
  const owner = (accountId: string) => deps.accounts.get(accountId)?.email ?? accountId;
  return deps.orders
    .all()
    .reverse()
    .map((o) => ({
      matchingId: o.matchingId,
      owner: owner(o.accountId),
      eid: o.eid,
      msisdn: o.msisdn,
      iccid: o.metadata.iccid,
      state: o.state,
      expiresAt: new Date(o.expiresAt).toISOString(),
    }));
}

/** The live behaviour as it stands (a copy: the bench's reads and the cloud's saved state). */
export function liveBehaviour(deps: Pick<CloudWorldDeps, 'behaviour'>): LiveBehaviour {
  return { deviceCodeLifetimeSeconds: deps.behaviour.deviceCodeLifetimeSeconds, phoneOn: deps.behaviour.phoneOn };
}

/**
 * Carries out one of the bench's commands on the cloud (shared/cloudWorld.ts) and answers what it
 * says it answers. The only place a world change or fault of the cloud is made: the automation
 * API, the bench console and the admin routes all come here. Throws CloudWorldError for an
 * unknown BMW ID or order, or a line that must be given first.
 */
export function runCloudCommand(deps: CloudWorldDeps, command: CloudWorldCommand): CloudWorldResult {
  const account = (email: string) => {
    const found = deps.accounts.findByEmail(email);
    if (!found) throw new CloudWorldError(404, `the cloud has no BMW ID "${email}"`);
    return found;
  };
  const theAccounts = (): CloudWorldResult => ({ accounts: accountsOf(deps) });
  switch (command.action) {
    case 'accounts':
      return theAccounts();
    case 'giveLine': {
      const { email, msisdn, networkPin, dAccount, dPassword } = command;
      // A new contract: not yet One Number, no option, not associated (STEP 1 does that).
      deps.carrier.setLine(account(email).id, { msisdn, subscribed: false, multiDevice: false, associated: false, networkPin, dAccount, dPassword });
      return theAccounts();
    }
    case 'removeLine':
      deps.carrier.setLine(account(command.email).id, null);
      return theAccounts();
    case 'line':
      deps.carrier.setLine(account(command.email).id, command.line);
      return theAccounts();
    case 'setLine':
    case 'rewindStep1': {
      const { id } = account(command.email);
      const line = deps.carrier.line(id);
      if (!line) throw new CloudWorldError(409, `${command.email} has no NTT DOCOMO line: give it one first`);
      const next =
        command.action === 'rewindStep1'
          ? { subscribed: false, multiDevice: false, associated: false }
          : {
              subscribed: command.subscribed ?? line.subscribed,
              multiDevice: command.multiDevice ?? line.multiDevice,
              associated: command.associated ?? line.associated,
            };
      deps.carrier.setLine(id, { ...line, ...next });
      return theAccounts();
    }
    case 'sms': {
      const line = deps.carrier.line(account(command.email).id);
      if (!line) throw new CloudWorldError(404, `${command.email} has no NTT DOCOMO line, so no phone to text`);
      return { ...theAccounts(), sms: { msisdn: line.msisdn, messages: deps.sms.inbox(line.msisdn) } };
    }
    case 'outage':
      deps.outage.current = command.mode === 'slow' ? { mode: 'slow', delaySeconds: command.delaySeconds ?? 10 } : { mode: command.mode };
      return { ...theAccounts(), outage: deps.outage.current };
    case 'behaviour': {
      const { action: _, ...patch } = command;
      Object.assign(deps.behaviour, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
      return { behaviour: liveBehaviour(deps) };
    }
    case 'orders':
      return { orders: ordersOf(deps) };
    case 'makeOrder': {
      const order = deps.orders.releaseForBench(command.eid ?? null, command.msisdn, command.protection);
      return { order: { activationCode: `LPA:1$${deps.smdpAddress()}$${order.matchingId}`, matchingId: order.matchingId, iccid: order.metadata.iccid } };
    }
    case 'expireOrder':
      if (!deps.orders.get(command.matchingId)) throw new CloudWorldError(404, `the SM-DP+ has no order ${command.matchingId}`);
      deps.orders.expire(command.matchingId);
      return { orders: ordersOf(deps) };
    case 'smdpFault':
      return { smdpFault: deps.smdpFaults().set(command.fault) };
    default:
      throw missingCaseError(command);
  }
}

/** What the outage, the live behaviour and the SM-DP+'s fault are now (the admin routes' reads). */
export const readWorld = {
  outage: (deps: CloudWorldDeps) => deps.outage.current,
  behaviour: liveBehaviour,
  smdpFault: (deps: CloudWorldDeps) => deps.smdpFaults().current(),
};
