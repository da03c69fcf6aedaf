import type { KeyboardLayout } from './keyboard';
import type { Language } from './i18n';

/**
 * The view model: everything the display shows, as plain serialisable data made by the core.
 * The renderer draws it and sends input back; it never decides the flow. The automation API
 * returns the same structure, so tests read what the driver sees.
 */
export const themes = ['day', 'night'] as const;
export type Theme = (typeof themes)[number];

export const resolutions = ['1920x720', '1280x480', '2880x1080'] as const;
export type Resolution = (typeof resolutions)[number];
export function resolutionSize(resolution: Resolution): { width: number; height: number } {
  const [width, height] = resolution.split('x').map(Number) as [number, number];
  return { width, height };
}

export type ItemKind =
  /** opens a screen or runs an action */
  | 'action'
  /** a check box row */
  | 'check'
  /** one of a set of choices */
  | 'radio'
  /** text that cannot be focused */
  | 'info'
  /** a key of the on-screen keyboard or PIN pad */
  | 'key';

/** The main menu's symbols. */
export const icons = ['bmwId', 'mobileDevices', 'telephone', 'contacts', 'settings'] as const;
export type Icon = (typeof icons)[number];

export interface Item {
  id: string;
  kind: ItemKind;
  label: string;
  /** second line or value shown at the right of the row */
  detail?: string;
  checked?: boolean;
  /** shown but not operable (for example a key with no effect in this layout) */
  disabled?: boolean;
  /** the row opens a further screen (iDrive draws a chevron) */
  opens?: boolean;
  /** drawn in the colour head units give it: `stop` red (end a call, a choice that deletes), `go` green (accept a call) */
  tone?: 'stop' | 'go';
  /** a symbol before the label (the main menu's entries) */
  icon?: Icon;
  /** a running time shown after the label, counted by the display from this instant (ms since the epoch): a call's length */
  since?: number;
  /** a time left shown after the label, counted down by the display to this instant (ms since the epoch): a phone's time to answer */
  until?: number;
  /** signal strength, 1–4 bars, drawn as bars (a phone found nearby); `detail` then says it in words, for assistive tools */
  signal?: number;
}

interface ScreenBase {
  id: string;
  title: string;
  items: Item[];
  /** id of the focused item; null when nothing on the screen can be focused */
  focus: string | null;
  /** a long list is sent in part, around the cursor: where the part starts, and how long the list is */
  window?: { start: number; total: number };
}
export interface ListScreen extends ScreenBase {
  kind: 'list';
}
export interface EntryScreen extends ScreenBase {
  kind: 'entry';
  mode: 'text' | 'pin' | 'dial';
  /** what the field shows: the text, or one dot per hidden character */
  shown: string;
  placeholder: string;
  /** message under the field, for invalid input */
  error?: string;
  /** a line under the field that follows what is typed (a search's matches) */
  note?: string;
  /** where each key is drawn (the tilt rule reads the same places) */
  keyboard: KeyboardLayout;
}
export interface ProgressScreen extends ScreenBase {
  kind: 'progress';
  message: string;
  /** 0..1, or null for an indeterminate "please wait" */
  progress: number | null;
}
/** A QR code to scan with a phone (the My BMW App login), with its code as text and time left. */
export interface QrScreen extends ScreenBase {
  kind: 'qr';
  /** PNG data URL, with its quiet zone */
  qr: string;
  instructions: string;
  /** the address and code to type where the QR cannot be scanned */
  manual: string;
  timeLeft: string;
}
export type Screen = ListScreen | EntryScreen | ProgressScreen | QrScreen;

export interface Popup {
  id: string;
  title: string;
  text: string;
  /** a short value shown large above the text (a pairing code to compare) */
  highlight?: string;
  /** the choices, in order; the first focused is the default */
  items: Item[];
  focus: string | null;
}

/** A passing message over the screen that takes no input: a phone just connected, and its sync. */
export interface Notice {
  id: string;
  title: string;
  text: string;
}

/**
 * The context pane at the right of the wide display, beside lists and waits: the car at a glance
 * (its name, the active BMW ID, the Personal eSIM, the connected phone, the mobile network).
 */
export interface Aside {
  title: string;
  rows: { id: string; label: string; value: string }[];
}

export interface StatusBar {
  /** ISO time of the car clock; the renderer formats it (the date and the time) */
  time: string;
  /** the outside temperature, °C, whole degrees (null: no reading) */
  outsideTemperature: number | null;
  network: { operator: string; signal: 0 | 1 | 2 | 3 | 4; technology: string } | null;
  data: boolean;
  /** the active BMW ID's phone connected over Bluetooth now, by name; null: none */
  phone: string | null;
  profile: string;
}

export interface View {
  /** increases with every change, so clients can order updates */
  revision: number;
  language: Language;
  theme: Theme;
  resolution: Resolution;
  status: StatusBar;
  screen: Screen;
  popup: Popup | null;
  notice: Notice | null;
  aside: Aside | null;
}

/** Exhaustive switches end here (`x: never`): a new case is a compile error until handled. */
export function missingCaseError(x: never): Error {
  return new Error(`unhandled case: ${JSON.stringify(x)}`);
}
