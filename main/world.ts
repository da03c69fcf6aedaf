import type { z } from 'zod';
import type { Bluetooth } from '../hardware/bluetooth/contract';
import { SimBluetooth } from '../hardware/bluetooth/sim/simBluetooth';
import type { Modem } from '../hardware/modem/contract';
import { SimModem } from '../hardware/modem/sim/simModem';
import type { automationContract, PhoneScreen } from '../shared/contract';
import type { ErrorReason } from '../shared/esim';
import type { Scenario } from '../shared/scenario';
import { missingCaseError } from '../shared/view';

/** What the bench controls of a simulated cellular module (`world.modem`, `world.pace`, the world's state). */
export type SimModemControls = Pick<
  SimModem,
  | 'reset'
  | 'unplug'
  | 'plugIn'
  | 'setSignal'
  | 'setNetwork'
  | 'ring'
  | 'newestCall'
  | 'remoteAnswer'
  | 'remoteHangUp'
  | 'clearDownloadFaults'
  | 'injectDownloadFault'
  | 'downloadFaults'
  | 'currentRegistration'
  | 'currentCalls'
  | 'currentNetwork'
  | 'setPace'
  | 'pace'
>;

/** What the bench controls of the simulated phones (`world.bluetooth`, `world.pace`, the world's state, a scenario's phones). */
export type SimPhonesControls = Pick<
  SimBluetooth,
  | 'phoneScreen'
  | 'phoneScreens'
  | 'addressBook'
  | 'phoneAnswer'
  | 'phoneStartsPairing'
  | 'setInRange'
  | 'walkAwayIn'
  | 'setSignal'
  | 'phoneForgets'
  | 'ringPhone'
  | 'setContactSharing'
  | 'replacePhones'
  | 'setPace'
  | 'pace'
>;

/**
 * What a car drives: its cellular module and Bluetooth adapter, and the bench's controls of
 * whichever of them is simulated (null for real hardware). boot.ts chooses them from the start
 * options; `simulatedParts` makes an all-simulated set.
 */
export interface CarParts {
  modem: Modem;
  bluetooth: Bluetooth;
  simulated: { modem: SimModemControls | null; phones: SimPhonesControls | null };
}

/**
 * A simulated module and the scenario's simulated phones, or the simulated ones given instead (a
 * module with its own timing, phones of a test's own); `timeScale` paces the phones (tests: 0).
 */
export function simulatedParts(
  scenario: Pick<Scenario, 'calls' | 'phones'>,
  given: { modem?: SimModem; bluetooth?: SimBluetooth; timeScale?: number } = {},
): CarParts {
  const modem = given.modem ?? new SimModem({ calls: scenario.calls });
  const bluetooth = given.bluetooth ?? new SimBluetooth({ phones: scenario.phones, timeScale: given.timeScale ?? 1 });
  return { modem, bluetooth, simulated: { modem, phones: bluetooth } };
}

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
export function controlModem(modem: SimModemControls, command: ModemWorldCommand): void {
  asked(() => {
    switch (command.action) {
      case 'reset':
        return modem.reset();
      case 'unplug':
        return modem.unplug();
      case 'plugIn':
        return modem.plugIn();
      case 'signal':
        return modem.setSignal(command.signal as 0 | 1 | 2 | 3 | 4);
      case 'network':
        return modem.setNetwork(command.network);
      case 'ring':
        return void modem.ring(command.number);
      case 'remoteAnswer':
      case 'remoteHangUp': {
        const call = modem.newestCall();
        if (!call) throw new WorldControlError('no call in progress');
        return command.action === 'remoteAnswer' ? modem.remoteAnswer(call.id) : modem.remoteHangUp(call.id);
      }
      case 'clearFaults':
        return modem.clearDownloadFaults();
      case 'downloadFault': {
        const every = command.every ? { every: true } : {};
        if (command.kind === 'errorReason') {
          return modem.injectDownloadFault({
            step: 'load',
            kind: 'errorReason',
            reason: (command.reason ?? 11) as ErrorReason,
            afterSegments: command.afterSegments,
            ...every,
          });
        }
        return modem.injectDownloadFault(
          command.step === 'load'
            ? { step: 'load', kind: command.kind, afterSegments: command.afterSegments, ...every }
            : { step: command.step, kind: command.kind, ...every },
        );
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
export function controlPhones(phones: SimPhonesControls, command: PhoneWorldCommand): { done: true; phone?: PhoneScreen } {
  return asked(() => {
    switch (command.action) {
      case 'phone':
        return { done: true, phone: phones.phoneScreen(command.address) };
      case 'answer':
        phones.phoneAnswer(command.address, command.accept);
        break;
      case 'startPairing':
        phones.phoneStartsPairing(command.address);
        break;
      case 'range':
        phones.setInRange(command.address, command.inRange);
        break;
      case 'walkAway':
        phones.walkAwayIn(command.address, command.afterSeconds * 1000);
        break;
      case 'signal':
        phones.setSignal(command.address, command.rssi);
        break;
      case 'forget':
        phones.phoneForgets(command.address);
        break;
      case 'ring':
        phones.ringPhone(command.address, command.number);
        break;
      case 'contactSharing':
        phones.setContactSharing(command.address, command.allowed);
        break;
      default:
        throw missingCaseError(command);
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
