import type { SnapshotFrom } from 'xstate';
import { translate } from '../../shared/i18n';
import type { StatusBar, View } from '../../shared/view';
import { topFrame, type HeadUnitContext } from '../machines/context';
import type { loginMachine } from '../machines/login';
import type { unlockMachine } from '../machines/unlock';
import { entryScreen } from './entry';
import { listScreen } from './lists';
import { loginScreen, unlockScreen } from './login';
import { noChildren, toItems, resolveFocus, toScreen, type BluetoothView, type Children, type EsimView, type PopupModel, type ScreenInput, type ScreenModel, type TelephoneView } from './model';
import { popupModel } from './popups';

/** A flow that has the screen: the BMW ID login, a PIN unlock, or the car storing what they gave. */
export type Flow =
  | { kind: 'login'; login: SnapshotFrom<typeof loginMachine> }
  | { kind: 'unlock'; unlock: SnapshotFrom<typeof unlockMachine> }
  | { kind: 'busy' }
  | null;

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
    bluetooth: bt ? { state: stateName((bt.value as { ready?: { pairing: unknown } }).ready?.pairing ?? bt.value), context: bt.context as BluetoothView['context'] } : null,
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
  if (ui === 'login' && children.login) return { kind: 'login', login: children.login.getSnapshot() as never };
  if (ui === 'unlock' && children.unlock) return { kind: 'unlock', unlock: children.unlock.getSnapshot() as never };
  if (ui && ui !== 'shell') return { kind: 'busy' };
  return null;
}

/** The cursor of the screen shown: kept on the stack, or for flow screens in `flowFocus`. */
export function screenFocusOf(context: HeadUnitContext, screenId: string, flow: Flow): string | null {
  if (!flow) return topFrame(context).focus;
  return context.flowFocus?.screen === screenId ? context.flowFocus.focus : null;
}

/** What the machine is doing, as far as the display cares. */
export type Phase = 'booting' | 'running' | 'resetting';

function input(context: HeadUnitContext, children: Children = noChildren): ScreenInput {
  const language = context.settings.language;
  return { context, ...children, t: (key, params) => translate(language, key, params) };
}

/** The screen model for the current state: what is shown and what each item does. */
export function screenModel(context: HeadUnitContext, phase: Phase, flow: Flow = null, children: Children = noChildren): ScreenModel {
  const inp = input(context, children);
  if (phase === 'running' && flow?.kind === 'login') return loginScreen(inp, flow.login);
  if (phase === 'running' && flow?.kind === 'unlock') return unlockScreen(inp, flow.unlock);
  if (phase === 'running' && flow?.kind === 'busy') {
    return { kind: 'progress', id: 'busy', title: inp.t('bmwId.title'), message: inp.t('common.pleaseWait'), progress: null, rows: [] };
  }
  if (phase !== 'running') {
    const message = inp.t(phase === 'resetting' ? 'factoryReset.progress' : 'common.pleaseWait');
    return { kind: 'progress', id: phase, title: inp.t(phase === 'resetting' ? 'factoryReset.title' : 'app.title'),
      message, progress: null, rows: [] };
  }
  const frame = topFrame(context);
  if (frame.screen === 'entry' && context.entry) return entryScreen(inp, context.entry);
  return listScreen(frame.screen === 'entry' ? 'menu' : frame.screen, inp);
}

export function popupModelOf(context: HeadUnitContext, phase: Phase, children: Children = noChildren): PopupModel | null {
  return phase === 'running' && context.popup ? popupModel(input(context, children), context.popup.id) : null;
}

export interface Environment {
  now(): Date;
  /** the addresses of the phones connected over Bluetooth now */
  connected(): ReadonlySet<string>;
}

/** The whole view model; the one place that turns machine state into what the display shows. */
export function composeView(context: HeadUnitContext, phase: Phase, env: Environment, revision: number, flow: Flow = null, children: Children = noChildren): View {
  const { esim } = children;
  const screen = screenModel(context, phase, flow, children);
  const popup = popupModelOf(context, phase, children);
  const t = input(context).t;
  const active = context.profiles.profiles.find((p) => p.id === context.profiles.active);
  return {
    revision,
    language: context.settings.language,
    theme: context.settings.theme,
    resolution: context.settings.resolution,
    status: { ...networkOf(esim), phone: connectedPhone(children, env), time: minuteOf(env.now()), profile: active?.name ?? t('status.guest') },
    screen: toScreen(screen, screenFocusOf(context, screen.id, flow)),
    popup: popup && {
      id: popup.id,
      title: popup.title,
      text: popup.text,
      ...(popup.highlight ? { highlight: popup.highlight } : {}),
      items: toItems(popup.rows),
      focus: resolveFocus(popup.rows, context.popup?.focus ?? null),
    },
  };
}

/** The clock shows minutes; finer time would make every view a new one. */
function minuteOf(date: Date): string {
  const minute = new Date(date);
  minute.setSeconds(0, 0);
  return minute.toISOString();
}

/** The status bar's network: the Personal eSIM's registration, and whether its data session is up. */
function networkOf(esim: EsimView | null): Pick<StatusBar, 'network' | 'data'> {
  const registration = esim?.state === 'ready' ? esim.context.registration : null;
  if (!registration || registration.state !== 'registered' || !registration.operator) return { network: null, data: false };
  return {
    network: { operator: registration.operator.name, signal: registration.signal, technology: registration.technology ?? '' },
    data: esim!.context.dataUp,
  };
}

/**
 * The status bar's phone: one of the active BMW ID's paired phones that is connected now. A phone
 * of another BMW ID, or one still pairing, is not this driver's phone.
 */
function connectedPhone(children: Children, env: Environment): string | null {
  const connected = env.connected();
  return children.bluetooth?.context.devices.find((d) => connected.has(d.address))?.name ?? null;
}
