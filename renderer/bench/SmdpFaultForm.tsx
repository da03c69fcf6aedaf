import { useState } from 'react';
import { es9Functions, type Es9Fault, type Es9Function } from '../../shared/rsp/es9Fault';
import { DelayField, ModeField } from './faultFields';
import type { PanelProps } from './panels';

const modes = ['none', 'slow', 'error'] as const;

/** The SM-DP+ as the car meets it: answering as it should, slowly, or one ES9+ function failing with SGP.22's codes. */
export function SmdpFaultForm({ t, api, act }: PanelProps) {
  const [mode, setMode] = useState<(typeof modes)[number]>('none');
  const [seconds, setSeconds] = useState(10);
  const [fn, setFn] = useState<Es9Function>('authenticateClient');
  const [subjectCode, setSubject] = useState('8.8.5');
  const [reasonCode, setReason] = useState('4.1');
  const [every, setEvery] = useState(false);
  const fault: Es9Fault =
    mode === 'slow' ? { mode, delaySeconds: seconds } : mode === 'error' ? { mode, function: fn, subjectCode, reasonCode, every } : { mode };
  return (
    <form
      className="row"
      aria-label={t('smdpAnswers')}
      onSubmit={(e) => {
        e.preventDefault();
        void act(() => api['world.cloud']({ action: 'smdpFault', fault }));
      }}
    >
      <ModeField t={t} label="smdpAnswers" modes={modes} mode={mode} setMode={setMode} name={(m) => `smdp.${m}`} />
      {mode === 'slow' && <DelayField t={t} seconds={seconds} setSeconds={setSeconds} />}
      {mode === 'error' && (
        <>
          <label>
            {t('es9Function')}{' '}
            <select value={fn} onChange={(e) => setFn(e.target.value as Es9Function)}>
              {es9Functions.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </label>
          <label>
            {t('subjectCode')} <input value={subjectCode} size={6} onChange={(e) => setSubject(e.target.value)} />
          </label>
          <label>
            {t('reasonCode')} <input value={reasonCode} size={6} onChange={(e) => setReason(e.target.value)} />
          </label>
          <label>
            <input type="checkbox" checked={every} onChange={(e) => setEvery(e.target.checked)} /> {t('everyDownload')}
          </label>
        </>
      )}
      <button type="submit">{t('applyOutage')}</button>
    </form>
  );
}
