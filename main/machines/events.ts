import type { ControllerInput } from '../../shared/controller';
import type { CarSettings } from '../settings';
import type { ScreenId } from '../screens/ids';
import type { PopupId } from '../screens/popups';
import type { EntryPurpose } from '../screens/entry';
import type { LoginEvent, UnlockEvent } from './loginEvents';
import type { EsimSwitches } from './esim';

/**
 * Events of the head-unit machine. `input` comes from the controller; the others are what a
 * pressed item means (screens map each item to one of these) or what an invoked actor reports.
 */
export type HeadUnitEvent =
  | LoginEvent
  | UnlockEvent
  | { type: 'input'; input: ControllerInput }
  | { type: 'focus.set'; id: string }
  | { type: 'nav.open'; screen: ScreenId }
  | { type: 'nav.back' }
  | { type: 'nav.menu' }
  /** MENU then a screen, as the TEL button does */
  | { type: 'nav.jump'; screen: ScreenId }
  | { type: 'popup.open'; popup: PopupId }
  | { type: 'popup.close' }
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
  /** the active profile changed: its Personal eSIM (or none) takes over */
  | { type: 'esim.profileChanged' }
  /** from the eSIM machine: the set-up finished (guide step 12 offers telephony) */
  | { type: 'esim.setUp' }
  | { type: 'esim.retry' }
  | { type: 'esim.switch'; patch: Partial<EsimSwitches> }
  | { type: 'profile.remove' }
  /** factory reset; `settings` are what the car starts with afterwards (a scenario's, or defaults) */
  | { type: 'reset.confirm'; settings?: CarSettings };
