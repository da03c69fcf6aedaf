import { useEffect, useState } from 'react';
import { timelineKinds, type TimelineEvent, type TimelineKind } from '../../shared/contract';
import type { Automation } from './automation';
import type { ConsoleText } from './text';
import { guideStepNames, guideSteps, type GuideStep } from '../../shared/guide';
import type { Language } from '../../shared/i18n';
import { ReplayForm } from './ReplayForm';
import { toJsonLines } from '../../shared/jsonLines';

/** The newest events kept on the page; the car keeps more, and the log all of them. */
const shown = 1000;

/**
 * The car's timeline, live: a long poll of `timeline.read` from the last event seen, so nothing is
 * missed and nothing comes twice; filterable by kind and by guide step; exported as JSON lines,
 * and such a file replayed.
 */
export function TimelinePanel({ t, api, language }: { t: ConsoleText; api: Automation; language: Language }) {
  const [events, setEvents] = useState<TimelineEvent[]>([]);
  const [kind, setKind] = useState<TimelineKind | 'all'>('all');
  const [step, setStep] = useState<GuideStep | 'all' | 'none'>('all');
  useEffect(() => {
    let stopped = false;
    let after = 0;
    void (async () => {
      while (!stopped) {
        const read = await api['timeline.read']({ after, timeoutMs: 20_000 }).catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          return null;
        });
        if (!read || stopped) continue;
        after = read.events.at(-1)?.seq ?? after;
        if (read.events.length > 0) setEvents((old) => [...old, ...read.events].slice(-shown));
      }
    })();
    return () => {
      stopped = true;
    };
  }, [api]);
  const visible = events.filter((e) => (kind === 'all' || e.kind === kind) && (step === 'all' || (step === 'none' ? !e.step : e.step === step)));
  const exportLines = () => {
    const blob = new Blob([toJsonLines(events)], { type: 'application/jsonl' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'timeline.jsonl';
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <section aria-label={t('timeline')} className="timeline">
      <h2>{t('timeline')}</h2>
      <div className="row">
        <select aria-label={t('show')} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="all">{t('all')}</option>
          {timelineKinds.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <select aria-label={t('guideStep')} value={step} onChange={(e) => setStep(e.target.value as typeof step)}>
          <option value="all">{t('all')}</option>
          {guideSteps.map((s) => (
            <option key={s} value={s}>
              {guideStepNames[s][language]}
            </option>
          ))}
          <option value="none">{t('outsideGuide')}</option>
        </select>
        <button type="button" onClick={exportLines}>
          {t('export')}
        </button>
      </div>
      <ReplayForm t={t} api={api} />
      <ol aria-label={t('timeline')} aria-live="polite">
        {visible
          .slice()
          .reverse()
          .map((e) => (
            <li key={e.seq} className={`event ${e.kind}`} data-kind={e.kind}>
              <time dateTime={e.at}>{e.at.slice(11, 23)}</time> <span className="kind">{e.kind}</span> {e.text}
              {e.step && <span className="step"> · {guideStepNames[e.step][language]}</span>}
            </li>
          ))}
      </ol>
    </section>
  );
}
