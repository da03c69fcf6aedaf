import type { CarSettings } from '../settings';
import type { PopupId, ScreenId } from './ids';
import type { EntryState } from './keyboard';
import type { ProfilesFile } from '../bmwId/profiles';
import type { StoreProblem } from '../store/problems';
import type { EsimSwitches } from './esim';

/** One level of the screen stack, with the item the cursor was on (iDrive keeps it on BACK). */
export interface Frame {
  screen: ScreenId;
  focus: string | null;
}

/** A problem with the car's memory on disk (damaged, unreadable, a failed write); shown to the driver once. */
export type StoreNotice = StoreProblem;

export interface HeadUnitContext {
  settings: CarSettings;
  /** bottom is always the main menu */
  stack: Frame[];
  popup: { id: PopupId; focus: string | null } | null;
  /** pop-ups waiting beneath the one shown, the next to come back last */
  popupsBelow: { id: PopupId; focus: string | null }[];
  entry: EntryState | null;
  notices: StoreNotice[];
  /** the BMW IDs on this car and which is active (no secrets: those stay in the vault) */
  profiles: ProfilesFile;
  /** the profile a switch, log-out or removal is about */
  chosenProfile: string | null;
  /** what the login flow is for: a new BMW ID (or its login again), or a new PIN */
  loginFor: 'profile' | 'pin';
  /** the cursor on a login or unlock screen (those are not on the stack) */
  flowFocus: { screen: string; focus: string | null } | null;
  /** the contact whose page is open (its index in the phone's address book) */
  chosenContact: number | null;
  /** what the contacts list is filtered by */
  contactQuery: string;
  /** the entry screen the bench keyboard typed into, until the cursor moves or the text is submitted: Enter submits there */
  typedOn: string | null;
  /** the phone just paired, shown connected with its sync's progress until a moment after the sync (guide step 13) */
  connectedNotice: string | null;
  /** what Settings → About shows */
  about: About;
}

/** A bundled package's licence, as the build lists it (dist/licences.json). */
export interface Licence {
  name: string;
  version: string;
  licence: string;
}

/** The head unit itself: its version, where it keeps its memory and its log, and what it carries. */
export interface About {
  version: string;
  dataDir: string;
  logFile: string;
  licences: Licence[];
}

export function menuStack(): Frame[] {
  return [{ screen: 'menu', focus: null }];
}

export function topFrame(context: HeadUnitContext): Frame {
  return context.stack.at(-1) ?? { screen: 'menu', focus: null };
}

/** The Personal eSIM's check boxes of the active profile: as left, or data on and the rest off. */
export function switchesOf(context: HeadUnitContext): EsimSwitches {
  const active = context.profiles.profiles.find((p) => p.id === context.profiles.active);
  return active?.esimSwitches ?? { voice: false, data: true, roaming: false };
}
