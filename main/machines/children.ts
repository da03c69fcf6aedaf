import type { SnapshotFrom } from 'xstate';
import type { BluetoothContext } from './bluetooth';
import type { EsimContext } from './esim';
import type { loginMachine } from './login';
import type { TelephoneContext } from './telephone';
import type { unlockMachine } from './unlock';

/*
 * The head unit's child machines as plain views: what runs beside the screens (eSIM, Bluetooth,
 * telephone) and which flow (login, unlock) has the screen. Machines read each other through
 * these; the screens draw from them.
 */

/** What the head unit is doing, as far as the display cares. */
export type Phase = 'booting' | 'running' | 'resetting';

/** The Personal eSIM as the screens see it: the eSIM machine's state and context. */
export interface EsimView {
  state: 'none' | 'checking' | 'notAvailable' | 'waitingForDriver' | 'settingUp' | 'retrying' | 'failed' | 'enabling' | 'ready';
  context: EsimContext;
}

/** Bluetooth for the active profile: the machine's state ("idle", "search.pairing", …) and context. */
export interface BluetoothView {
  state: string;
  context: BluetoothContext;
}

export interface TelephoneView {
  context: TelephoneContext;
}

/** The machines beside the screens; null where one does not run (before boot, or in a model walk). */
export interface Children {
  esim: EsimView | null;
  bluetooth: BluetoothView | null;
  telephone: TelephoneView | null;
}
export const noChildren: Children = { esim: null, bluetooth: null, telephone: null };

/** A flow that has the screen: the BMW ID login, a PIN unlock, or the car storing what they gave. */
export type Flow =
  { kind: 'login'; login: SnapshotFrom<typeof loginMachine> } | { kind: 'unlock'; unlock: SnapshotFrom<typeof unlockMachine> } | { kind: 'busy' } | null;

interface RootSnapshot {
  value: unknown;
  /** (absent in a pure transition, as in a model walk) */
  children?: Record<string, { getSnapshot(): unknown } | undefined>;
}

/** The Personal eSIM machine's state, if one runs (it does while the car is running). */
export function esimOf(snapshot: RootSnapshot | undefined): EsimView | null {
  const child = snapshot?.children?.esim?.getSnapshot() as { value: unknown; context: EsimView['context'] } | undefined;
  if (!child) return null;
  const state = (typeof child.value === 'string' ? child.value : Object.keys(child.value as object)[0]) as EsimView['state'] | 'start';
  return { state: state === 'start' ? 'checking' : state, context: child.context };
}

function childSnapshot(snapshot: RootSnapshot | undefined, id: string): { value: unknown; context: unknown } | undefined {
  return snapshot?.children?.[id]?.getSnapshot() as { value: unknown; context: unknown } | undefined;
}

/** The machines that run beside the screens (eSIM, Bluetooth, telephone), as the screens see them. */
export function childrenOf(snapshot: RootSnapshot | undefined): Children {
  const bt = childSnapshot(snapshot, 'bluetooth');
  const tel = childSnapshot(snapshot, 'telephone');
  return {
    esim: esimOf(snapshot),
    // (the pairing region's state: "idle", "search.pairing", …; a sync shows through the context)
    bluetooth: bt
      ? { state: stateName((bt.value as { ready?: { pairing: unknown } }).ready?.pairing ?? bt.value), context: bt.context as BluetoothView['context'] }
      : null,
    telephone: tel ? { context: tel.context as TelephoneView['context'] } : null,
  };
}

/** A machine's state as one word, or two for a compound one ("search.pairing"). */
function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, inner] = Object.entries(value as object)[0] ?? ['', ''];
  return `${key}.${stateName(inner)}`;
}

/** Which flow, if any, the head unit is in, with its machine's snapshot. */
export function flowOf(snapshot: RootSnapshot | undefined): Flow {
  // (a pure transition, as in a model walk, has no live snapshot: no flow is running there)
  const ui = (snapshot?.value as { running?: { ui?: string } } | undefined)?.running?.ui;
  if (!snapshot) return null;
  const children = snapshot.children ?? {};
  if (ui === 'login' && children.login) return { kind: 'login', login: children.login.getSnapshot() as SnapshotFrom<typeof loginMachine> };
  if (ui === 'unlock' && children.unlock) return { kind: 'unlock', unlock: children.unlock.getSnapshot() as SnapshotFrom<typeof unlockMachine> };
  if (ui && ui !== 'shell') return { kind: 'busy' };
  return null;
}
