import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ControllerInput } from '../../shared/controller';
import { resolutionSize, type View } from '../../shared/view';
import { translate } from '../../shared/i18n';
import type { Bridge } from '../bridge/bridge';
import { keyToInput, wheelToDetents } from './keymap';
import { predictFocus } from './prediction';
import { PopupView } from './components/PopupView';
import { ScreenView } from './components/ScreenView';
import { StatusBar } from './components/StatusBar';
import { AsidePane, NoticeCard } from './components/AsidePane';

/**
 * The car's central display: draws the core's view model at the head unit's resolution, scaled
 * to the window, and turns keys, wheel and touch into controller input. It owns no flow state.
 */
export function App({ bridge, initial }: { bridge: Bridge; initial: View }) {
  const [view, setView] = useState(initial);
  const [connected, setConnected] = useState(true);
  const stage = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // Pushes can overtake a reply: keep only the newest revision.
    const offView = bridge.onView((next) => setView((current) => (next.revision >= current.revision ? next : current)));
    const offConnection = bridge.onConnection((up) => {
      setConnected(up);
      if (up) void bridge.getView().then(setView);
    });
    return () => {
      offView();
      offConnection();
    };
  }, [bridge]);

  // Inputs sent and not yet answered. While there are any, the cursor shows the prediction.
  const inFlight = useRef(0);
  const [predicted, setPredicted] = useState<string | null>(null);
  const active = view.popup ?? view.screen;
  // A prediction made on another screen means nothing here: then the core's focus shows.
  const focusId = predicted !== null && active.items.some((i) => i.id === predicted) ? predicted : active.focus;
  const latest = useRef({ view, focusId });
  latest.current = { view, focusId };

  // The stage is aria-busy while any is unanswered, set at once rather than at the next render, so a
  // reader (a test, an assistive tool) never takes a predicted cursor for the core's.
  const send = useCallback(
    (input: ControllerInput) => {
      inFlight.current += 1;
      stage.current?.setAttribute('aria-busy', 'true');
      void bridge.sendInput(input).finally(() => {
        inFlight.current -= 1;
        if (inFlight.current > 0) return;
        stage.current?.removeAttribute('aria-busy');
        setPredicted(null);
      });
    },
    [bridge],
  );
  /** Controller input from the bench: the cursor moves now, the core hears of it at once. */
  const control = useCallback(
    (input: ControllerInput) => {
      const next = predictFocus(latest.current.view, latest.current.focusId, input);
      if (next !== null) setPredicted(next);
      send(input);
    },
    [send],
  );

  useEffect(() => {
    const wheel = wheelToDetents();
    const onKey = (event: KeyboardEvent) => {
      const input = keyToInput(event);
      if (event.key === 'Tab' || input) event.preventDefault();
      if (input) control(input);
    };
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const detents = wheel(event.deltaY, event.deltaMode);
      if (detents !== 0) control({ kind: 'rotate', detents });
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('wheel', onWheel);
    };
  }, [control]);

  // The controller's cursor is the DOM focus; on a text entry screen, the field that takes an
  // IME's text has it, with the key under the cursor as its active descendant.
  useLayoutEffect(() => {
    const scope = stage.current?.querySelector(view.popup ? '.popup' : '.screen');
    const target = focusId ? scope?.querySelector<HTMLElement>(`[data-item-id="${CSS.escape(focusId)}"]`) : null;
    const field = scope?.querySelector<HTMLElement>('[data-ime]');
    if (field && document.activeElement !== field) field.focus({ preventScroll: true });
    else if (!field && target && document.activeElement !== target) target.focus({ preventScroll: false });
  });

  useStageScale(stage, view.resolution);
  document.documentElement.lang = view.language;

  const touch = useCallback((itemId: string) => send({ kind: 'touch', itemId }), [send]);
  const typed = useCallback((text: string) => send({ kind: 'type', text }), [send]);
  // Lists and waits leave the right of the wide display free: the context pane uses it. The keyboard
  // and the QR code need the whole width; there a notice floats in the corner.
  const wide = view.aside !== null && (view.screen.kind === 'list' || view.screen.kind === 'progress');
  return (
    <div className={`stage theme-${view.theme}`} ref={stage} data-resolution={view.resolution} data-revision={view.revision}>
      <StatusBar status={view.status} language={view.language} />
      <div className={`body${wide ? ' with-aside' : ''}`}>
        <ScreenView screen={view.screen} focus={view.popup ? null : focusId} onTouch={touch} onType={typed} />
        {wide && view.aside && <AsidePane aside={view.aside} notice={view.notice} />}
      </div>
      {!wide && view.notice && <NoticeCard notice={view.notice} floating />}
      {view.popup && <PopupView popup={view.popup} focus={focusId} onTouch={touch} />}
      {!connected && (
        <div className="offline" role="alert">
          <p>{translate(view.language, 'display.offline')}</p>
        </div>
      )}
    </div>
  );
}

/** Keeps the display at its own resolution and aspect ratio, scaled to fit the window. */
function useStageScale(stage: React.RefObject<HTMLDivElement | null>, resolution: View['resolution']) {
  useLayoutEffect(() => {
    const { width, height } = resolutionSize(resolution);
    const fit = () => {
      const el = stage.current;
      if (!el) return;
      const scale = Math.min(window.innerWidth / width, window.innerHeight / height);
      el.style.width = `${width}px`;
      el.style.height = `${height}px`;
      el.style.transform = `translate(${(window.innerWidth - width * scale) / 2}px, ${(window.innerHeight - height * scale) / 2}px) scale(${scale})`;
      el.style.setProperty('--unit', `${height / 720}px`);
    };
    fit();
    window.addEventListener('resize', fit);
    return () => window.removeEventListener('resize', fit);
  }, [stage, resolution]);
}
