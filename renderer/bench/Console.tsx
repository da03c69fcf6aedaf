import { useCallback, useEffect, useMemo, useState } from 'react';
import type { WorldState } from '../../shared/contract';
import { connectAutomation } from './automation';
import { CarPanel, CellularPanel, EsimPanel, PhonesPanel } from './panels';
import { languageFromLocale } from '../../shared/i18n';
import { consoleText } from './text';
import { CloudPanel } from './CloudPanel';
import { TimelinePanel } from './TimelinePanel';
import { CheckpointsPanel } from './CheckpointsPanel';
import { MachinesPanel } from './MachinesPanel';

/**
 * The bench console beside the display (`/bench/`): the simulated world's controls, its state and
 * the car's timeline, every control one automation call (the same a script makes). It reads the
 * world again after each control and once a second, so what the console shows is what the world is.
 */
export function Console() {
  const t = useMemo(() => consoleText(navigator.language), []);
  const [connected, setConnected] = useState(false);
  const api = useMemo(() => connectAutomation(setConnected), []);
  const [world, setWorld] = useState<WorldState | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const refresh = useCallback(() => api['world.read']({}).then(setWorld, () => undefined), [api]);
  /** One control: the call, then the world read again; a refusal is shown as the car said it. */
  const act = useCallback(
    async (call: () => Promise<unknown>) => {
      try {
        setProblem(null);
        await call();
      } catch (error) {
        setProblem(error instanceof Error ? error.message : String(error));
      }
      await refresh();
    },
    [refresh],
  );
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), 1000);
    return () => clearInterval(timer);
  }, [refresh]);
  return (
    <div className="console">
      <header>
        <h1>{t('title')}</h1>
        <span className={connected ? 'link up' : 'link down'} role="status">
          {t(connected ? 'connected' : 'disconnected')}
        </span>
        {problem && (
          <span className="problem" role="alert">
            {problem}
          </span>
        )}
      </header>
      <main>
        <CellularPanel
          t={t}
          api={api}
          act={act}
          modem={world?.modem ?? null}
          callers={world?.phones?.filter((p) => p.paired).flatMap((p) => p.callers) ?? []}
        />
        <EsimPanel t={t} api={api} act={act} modem={world?.modem ?? null} />
        <PhonesPanel t={t} api={api} act={act} phones={world?.phones ?? null} />
        <CloudPanel t={t} api={api} act={act} pace={world?.pace ?? null} />
        <CarPanel t={t} api={api} act={act} language={languageFromLocale(navigator.language)} />
        <CheckpointsPanel t={t} api={api} act={act} />
        <MachinesPanel t={t} api={api} />
        <TimelinePanel t={t} api={api} language={languageFromLocale(navigator.language)} />
      </main>
    </div>
  );
}
