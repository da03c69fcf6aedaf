import { translate } from '../../shared/i18n';
import type { StatusBar, View } from '../../shared/view';
import { topFrame, type HeadUnitContext } from '../machines/context';
import type { Flow, Phase } from '../machines/children';
import { entryScreen } from './entry';
import { searchNote } from './phone';
import { listScreen } from './lists';
import { loginScreen, unlockScreen } from './login';
import { noChildren, toItems, resolveFocus, toScreen, type Children, type EsimView, type PopupModel, type ScreenInput, type ScreenModel } from './model';
import { popupModel } from './popups';
import { connectedNotice } from './bluetooth';
import { asideModel } from './aside';

/** The cursor of the screen shown: kept on the stack, or for flow screens in `flowFocus`. */
export function screenFocusOf(context: HeadUnitContext, screenId: string, flow: Flow): string | null {
  if (!flow) return topFrame(context).focus;
  return context.flowFocus?.screen === screenId ? context.flowFocus.focus : null;
}

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
    return { kind: 'progress', id: phase, title: inp.t(phase === 'resetting' ? 'factoryReset.title' : 'app.title'), message, progress: null, rows: [] };
  }
  const frame = topFrame(context);
  if (frame.screen === 'entry' && context.entry) {
    const entry = entryScreen(inp, context.entry);
    return context.entry.purpose === 'contactSearch' && context.entry.text.trim() !== '' ? { ...entry, note: searchNote(inp, context.entry.text) } : entry;
  }
  return listScreen(frame.screen === 'entry' ? 'menu' : frame.screen, inp);
}

export function popupModelOf(context: HeadUnitContext, phase: Phase, children: Children = noChildren): PopupModel | null {
  return phase === 'running' && context.popup ? popupModel(input(context, children), context.popup.id) : null;
}

export interface Environment {
  now(): Date;
  /** the addresses of the phones connected over Bluetooth now */
  connected(): ReadonlySet<string>;
  /** the outside temperature sensor's reading, °C (null: no reading) */
  outsideTemperature(): number | null;
}

/** The whole view model; the one place that turns machine state into what the display shows. */
export function composeView(
  context: HeadUnitContext,
  phase: Phase,
  env: Environment,
  revision: number,
  flow: Flow = null,
  children: Children = noChildren,
): View {
  const { esim } = children;
  const screen = screenModel(context, phase, flow, children);
  const popup = popupModelOf(context, phase, children);
  const t = input(context).t;
  const active = context.profiles.profiles.find((p) => p.id === context.profiles.active);
  const status: StatusBar = {
    ...networkOf(esim),
    phone: connectedPhone(children, env),
    time: minuteOf(env.now()),
    outsideTemperature: env.outsideTemperature(),
    profile: active?.name ?? t('status.guest'),
  };
  const running = phase === 'running';
  return {
    revision,
    language: context.settings.language,
    theme: context.settings.theme,
    resolution: context.settings.resolution,
    status,
    screen: toScreen(screen, screenFocusOf(context, screen.id, flow)),
    popup: popup && {
      id: popup.id,
      title: popup.title,
      text: popup.text,
      ...(popup.highlight ? { highlight: popup.highlight } : {}),
      items: toItems(popup.rows),
      focus: resolveFocus(popup.rows, context.popup?.focus ?? null),
    },
    notice: running ? connectedNotice(input(context, children)) : null,
    aside: running ? asideModel(input(context, children), status) : null,
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
