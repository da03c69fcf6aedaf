import { translate } from '../../shared/i18n';
import type { StatusBar, View } from '../../shared/view';
import { topFrame, type HeadUnitContext } from '../machines/context';
import { entryScreen } from './entry';
import { listScreen } from './lists';
import { toItems, resolveFocus, toScreen, type PopupModel, type ScreenInput, type ScreenModel } from './model';
import { popupModel } from './popups';

/** What the machine is doing, as far as the display cares. */
export type Phase = 'booting' | 'running' | 'resetting';

function input(context: HeadUnitContext): ScreenInput {
  const language = context.settings.language;
  return { context, t: (key, params) => translate(language, key, params) };
}

/** The screen model for the current state: what is shown and what each item does. */
export function screenModel(context: HeadUnitContext, phase: Phase): ScreenModel {
  const inp = input(context);
  if (phase !== 'running') {
    const message = inp.t(phase === 'resetting' ? 'factoryReset.progress' : 'common.pleaseWait');
    return { kind: 'progress', id: phase, title: inp.t(phase === 'resetting' ? 'factoryReset.title' : 'app.title'),
      message, progress: null, rows: [] };
  }
  const frame = topFrame(context);
  if (frame.screen === 'entry' && context.entry) return entryScreen(inp, context.entry);
  return listScreen(frame.screen === 'entry' ? 'menu' : frame.screen, inp);
}

export function popupModelOf(context: HeadUnitContext, phase: Phase): PopupModel | null {
  return phase === 'running' && context.popup ? popupModel(input(context), context.popup.id) : null;
}

export interface Environment {
  now(): Date;
  status(): Omit<StatusBar, 'time' | 'profile'>;
}

/** The whole view model; the one place that turns machine state into what the display shows. */
export function composeView(context: HeadUnitContext, phase: Phase, env: Environment, revision: number): View {
  const screen = screenModel(context, phase);
  const popup = popupModelOf(context, phase);
  const t = input(context).t;
  return {
    revision,
    language: context.settings.language,
    theme: context.settings.theme,
    resolution: context.settings.resolution,
    status: { ...env.status(), time: minuteOf(env.now()), profile: t('status.guest') },
    screen: toScreen(screen, topFrame(context).focus),
    popup: popup && {
      id: popup.id,
      title: popup.title,
      text: popup.text,
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
