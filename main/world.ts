import type { z } from 'zod';
import type { SimBluetooth } from '../hardware/bluetooth/sim/simBluetooth';
import type { SimModem } from '../hardware/modem/sim/simModem';
import type { automationContract, PhoneScreen } from '../shared/contract';
import type { ErrorReason } from '../shared/esim';
import { missingCaseError } from '../shared/view';

/** `world.modem` as parsed (defaults filled in). */
export type ModemWorldCommand = z.output<(typeof automationContract)['world.modem']['request']>;
/** `world.bluetooth` as parsed. */
export type PhoneWorldCommand = z.output<(typeof automationContract)['world.bluetooth']['request']>;

/**
 * A world control that could not be done as asked ("no call in progress", an unknown phone): the
 * client's mistake, answered with its message rather than as an internal error.
 */
export class WorldControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorldControlError';
  }
}

/**
 * The simulated module's world controls (the automation API's `world.modem`): reset it, change
 * the signal, ring the car as One Number does, let the other party answer or hang up, or break
 * the next download at a chosen SGP.22 step. Throws a WorldControlError when the world is not as
 * the command assumes.
 */
export function controlModem(modem: SimModem, command: ModemWorldCommand): void {
  asked(() => {
    switch (command.action) {
      case 'reset': return modem.reset();
      case 'unplug': return modem.unplug();
      case 'plugIn': return modem.plugIn();
      case 'signal': return modem.setSignal(command.signal as 0 | 1 | 2 | 3 | 4);
      case 'network': return modem.setNetwork(command.network);
      case 'ring': return void modem.ring(command.number);
      case 'remoteAnswer':
      case 'remoteHangUp': {
        const call = modem.newestCall();
        if (!call) throw new WorldControlError('no call in progress');
        return command.action === 'remoteAnswer' ? modem.remoteAnswer(call.id) : modem.remoteHangUp(call.id);
      }
      case 'clearFaults': return modem.clearDownloadFaults();
      case 'downloadFault':
        {
          const every = command.every ? { every: true } : {};
          if (command.kind === 'errorReason') {
            return modem.injectDownloadFault({ step: 'load', kind: 'errorReason', reason: (command.reason ?? 11) as ErrorReason, afterSegments: command.afterSegments, ...every });
          }
          return modem.injectDownloadFault(command.step === 'load'
            ? { step: 'load', kind: command.kind, afterSegments: command.afterSegments, ...every }
            : { step: command.step, kind: command.kind, ...every });
        }
      default:
        throw missingCaseError(command);
    }
  });
}

/**
 * The simulated phones' world controls (`world.bluetooth`): read a phone's own screen (its pairing
 * code), answer its pairing prompt, pair from the phone, move it out of range or back, remove the
 * car on the phone, or call it. Throws a WorldControlError for an unknown phone or a prompt that
 * is not there.
 */
export function controlPhones(phones: SimBluetooth, command: PhoneWorldCommand): { done: true; phone?: PhoneScreen } {
  return asked(() => {
    switch (command.action) {
      case 'phone': return { done: true, phone: phones.phoneScreen(command.address) };
      case 'answer': phones.phoneAnswer(command.address, command.accept); break;
      case 'startPairing': phones.phoneStartsPairing(command.address); break;
      case 'range': phones.setInRange(command.address, command.inRange); break;
      case 'walkAway': phones.walkAwayIn(command.address, command.afterSeconds * 1000); break;
      case 'signal': phones.setSignal(command.address, command.rssi); break;
      case 'forget': phones.phoneForgets(command.address); break;
      case 'ring': phones.ringPhone(command.address, command.number); break;
      case 'contactSharing': phones.setContactSharing(command.address, command.allowed); break;
      default: throw missingCaseError(command);
    }
    return { done: true };
  });
}

/** Runs a control; the simulator's refusals (an unknown phone, no prompt open) are the client's mistakes. */
function asked<T>(control: () => T): T {
  try {
    return control();
  } catch (error) {
    if (error instanceof WorldControlError) throw error;
    throw new WorldControlError(error instanceof Error ? error.message : String(error));
  }
}
