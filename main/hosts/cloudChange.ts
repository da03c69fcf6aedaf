import type { CloudWorldCommand } from '../../shared/cloudWorld';
import type { TimelineCall } from '../../shared/contract';
import { missingCaseError } from '../../shared/view';

/** A call as the timeline is given it (it adds the screen it was made on). */
type ReplayCall = Omit<TimelineCall, 'screen' | 'popup'>;

/** How the timeline tells a bench change of the cloud: its line, its details, the guide's part, and how a replay makes it again. */
export interface CloudChange {
  text: string;
  detail: Record<string, string | number | boolean>;
  /** a line's STEP 1 and the phone that does it belong to STEP 1; an outage, the SM-DP+ or the QR code to where the car is */
  step1: boolean;
  call: ReplayCall;
}

/** The request a replay sends again: a line's network PIN and d ACCOUNT password taken out, named in `secrets` (`line.…` inside a whole line). */
function replayCall(command: CloudWorldCommand): ReplayCall {
  if (command.action === 'giveLine') {
    const { networkPin: _pin, dPassword: _password, ...rest } = command;
    return { channel: 'world.cloud', request: rest, secrets: ['networkPin', 'dPassword'] };
  }
  if (command.action === 'line' && command.line) {
    const { networkPin, dPassword, ...line } = command.line;
    const secrets = [...(networkPin === undefined ? [] : ['line.networkPin']), ...(dPassword === undefined ? [] : ['line.dPassword'])];
    return { channel: 'world.cloud', request: { ...command, line }, ...(secrets.length ? { secrets } : {}) };
  }
  return { channel: 'world.cloud', request: { ...command } };
}

/**
 * What a change is of (an e-mail, a mode; '' for none), what it set, and whether it belongs to
 * STEP 1 (a line's STEP 1 and the phone that does it; an outage, the SM-DP+ or the QR code belong
 * to where the car is); null for a read. Never a line's logins.
 */
function changeOf(command: CloudWorldCommand): { subject: string; state: Record<string, string | number | boolean | undefined>; step1: boolean } | null {
  switch (command.action) {
    case 'accounts':
    case 'sms':
    case 'orders':
      return null;
    case 'behaviour':
      if (command.deviceCodeLifetimeSeconds === undefined && command.phoneOn === undefined) return null;
      return {
        subject: '',
        state: { deviceCodeLifetimeSeconds: command.deviceCodeLifetimeSeconds, phoneOn: command.phoneOn },
        step1: command.phoneOn !== undefined,
      };
    case 'outage':
      return { subject: command.mode, state: { delaySeconds: command.delaySeconds }, step1: false };
    case 'smdpFault': {
      const { fault } = command;
      const said = fault.mode === 'error' ? `error ${fault.function} ${fault.subjectCode}/${fault.reasonCode}` : fault.mode;
      return { subject: said, state: { ...fault, mode: undefined }, step1: false };
    }
    case 'makeOrder':
      return { subject: '', state: { eid: command.eid, msisdn: command.msisdn, protection: command.protection }, step1: false };
    case 'expireOrder':
      return { subject: command.matchingId, state: {}, step1: false };
    case 'setLine':
      return {
        subject: command.email,
        state: { subscribed: command.subscribed, multiDevice: command.multiDevice, associated: command.associated },
        step1: true,
      };
    case 'line':
      return {
        subject: command.email,
        state: command.line
          ? { subscribed: command.line.subscribed, multiDevice: command.line.multiDevice, associated: command.line.associated }
          : { line: 'none' },
        step1: true,
      };
    case 'giveLine':
    case 'removeLine':
    case 'rewindStep1':
      return { subject: command.email, state: {}, step1: true };
    default:
      throw missingCaseError(command);
  }
}

/** How the timeline tells a command's change (see CloudChange); null for a read. */
export function cloudChange(command: CloudWorldCommand): CloudChange | null {
  const change = changeOf(command);
  if (!change) return null;
  const { subject, state, step1 } = change;
  const known = Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined)) as Record<string, string | number | boolean>;
  const said =
    subject ||
    Object.entries(known)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ');
  return {
    text: `cloud ${command.action} ${said}`.trimEnd(),
    detail: { action: command.action, subject, ...known },
    step1,
    call: replayCall(command),
  };
}
