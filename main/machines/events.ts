import type { StoreProblem } from '../store/problems';
import type { ControllerInput } from '../../shared/controller';
import type { CarSettings } from '../settings';
import type { EntryPurpose, PopupId, ScreenId } from './ids';
import type { LoginEvent, UnlockEvent } from './loginEvents';
import type { EsimSwitches, EsimToHeadUnit } from './esim';
import type { BluetoothEvent, BluetoothToHeadUnit } from './bluetooth';
import type { TelephoneEvent, TelephoneToHeadUnit } from './telephone';

/**
 * Events of the head-unit machine. `input` comes from the controller; the others are what a
 * pressed item means (screens map each item to one of these) or what an invoked actor reports.
 */
export type HeadUnitEvent =
  | LoginEvent
  | UnlockEvent
  | BluetoothEvent
  | Exclude<TelephoneEvent, { type: 'tel.dial' }>
  | { type: 'input'; input: ControllerInput }
  /** the cursor moves to `id`, on the screen `screen` (a flow's screens are not on the stack) */
  | { type: 'focus.set'; id: string; screen?: string }
  | { type: 'nav.open'; screen: ScreenId }
  | { type: 'nav.back' }
  | { type: 'nav.menu' }
  /** MENU then a screen, as the TEL button does */
  | { type: 'nav.jump'; screen: ScreenId }
  | { type: 'popup.open'; popup: PopupId }
  | { type: 'popup.close' }
  /** the car's memory on disk reported a problem: the driver is told */
  | { type: 'store.problem'; problem: StoreProblem }
  /** a machine closes its own pop-up (if it is still the one open) */
  | { type: 'popup.closeIf'; popup: PopupId }
  /** "Connect new device": the search screen, or first the question which device makes room */
  | { type: 'bt.connectNew' }
  /** from the Bluetooth machine: the new phone is paired and connected */
  | { type: 'bt.connected'; address: string }
  /** from the Bluetooth machine: a phone's address book sync is over (done or failed) */
  | { type: 'bt.syncEnded'; address: string }
  /** the "connected" notice has been seen long enough */
  | { type: 'notice.expire' }
  /** a call to a number; the car chooses the line (Personal eSIM or the phone) */
  | { type: 'tel.call'; number: string }
  /** from the telephone: show the call screen */
  | { type: 'tel.show' }
  /** a call is over and its moment on screen has passed: the call screen goes */
  | { type: 'tel.hide' }
  | { type: 'contact.open'; index: number }
  | { type: 'contacts.search'; query: string }
  | { type: 'settings.set'; patch: Partial<CarSettings> }
  /** internal: the settings changed and must be written */
  | { type: 'settings.save' }
  | { type: 'entry.open'; purpose: EntryPurpose }
  | { type: 'entry.key'; key: string }
  | { type: 'entry.type'; text: string }
  /** "Add BMW ID", or logging back into a known profile */
  | { type: 'login.start'; email?: string; method?: 'qr' | 'email' }
  /** switch to a profile (null: Guest) */
  | { type: 'profile.select'; id: string | null }
  /** open the management screen of a profile */
  | { type: 'profile.open'; id: string }
  | { type: 'profile.logOut' }
  | { type: 'profile.changePin' }
  /** the active profile changed: its Personal eSIM (or none) and its phones take over */
  | { type: 'profile.changed' }
  /** from the eSIM machine: the set-up finished (guide step 12 offers telephony) */
  | { type: 'esim.setUp' }
  /** the Personal eSIM's set-up stopped on a failure (its reason in the eSIM's context) */
  | { type: 'esim.setUpFailed' }
  /** a new Personal eSIM waits for the driver to open Mobile devices (guide steps 10–11) */
  | { type: 'esim.waitingForDriver' }
  | { type: 'esim.retry' }
  | { type: 'esim.switch'; patch: Partial<EsimSwitches> }
  /** guide step 12: telephony over the eSIM, then pairing the phone (step 13) */
  | { type: 'esim.activateTelephone' }
  | { type: 'profile.remove' }
  /** factory reset; `settings` are what the car starts with afterwards (a scenario's, or defaults) */
  | { type: 'reset.confirm'; settings?: CarSettings };

/**
 * What each child machine tells the head unit is one of its events: a message that is not (a
 * renamed event, a wrong field) stops the compiler here rather than being dropped at run time.
 */
type HeadUnitHears<T extends HeadUnitEvent> = T;
export type ChildMessages = HeadUnitHears<EsimToHeadUnit> | HeadUnitHears<BluetoothToHeadUnit> | HeadUnitHears<TelephoneToHeadUnit>;
