import { useState } from 'react';
import type { ReplayReport, TimelineEvent } from '../../shared/contract';
import type { Automation } from './automation';
import { fromJsonLines } from '../../shared/jsonLines';
import type { ConsoleText } from './text';

/** The secrets a replay needs, as the bench types them: one `key=value` per line (`entry.password=…`, `networkPin=…`). */
function parseSecrets(text: string): Record<string, string[]> {
  const secrets: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    (secrets[line.slice(0, at).trim()] ??= []).push(line.slice(at + 1));
  }
  return secrets;
}

/**
 * A recorded timeline (the export's JSON lines) replayed on the car: from the car and world as new,
 * a checkpoint, or as they are; with the secrets the timeline never kept. Says what was replayed,
 * what could not be, or where the car went another way.
 */
export function ReplayForm({ t, api }: { t: ConsoleText; api: Automation }) {
  const [file, setFile] = useState<File | null>(null);
  const [from, setFrom] = useState<'reset' | 'asIs' | 'checkpoint'>('reset');
  const [checkpoint, setCheckpoint] = useState('');
  const [secrets, setSecrets] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const replay = async () => {
    if (!file) return;
    setRunning(true);
    setStatus(t('replaying'));
    try {
      const events = fromJsonLines(await file.text());
      const report: ReplayReport = await api['timeline.replay']({
        events: events as TimelineEvent[],
        secrets: parseSecrets(secrets),
        from: from === 'checkpoint' ? { checkpoint } : from,
      });
      setStatus(
        `${t('replayed')}: ${report.replayed}${report.skipped.length > 0 ? ` · ${t('notReplayed')}: ${report.skipped.map((s) => `${s.seq} ${s.text}`).join('; ')}` : ''}`,
      );
    } catch (error) {
      setStatus(error instanceof SyntaxError ? t('notJsonLines') : error instanceof Error ? error.message : String(error));
    } finally {
      setRunning(false);
    }
  };
  return (
    <form
      aria-label={t('replay')}
      onSubmit={(e) => {
        e.preventDefault();
        void replay();
      }}
    >
      <h3>{t('replay')}</h3>
      <div className="row">
        <label>
          {t('timelineFile')} <input type="file" accept=".jsonl,application/jsonl,application/json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <label>
          {t('replayFrom')}{' '}
          <select value={from} onChange={(e) => setFrom(e.target.value as typeof from)}>
            <option value="reset">{t('fromNew')}</option>
            <option value="checkpoint">{t('fromCheckpoint')}</option>
            <option value="asIs">{t('fromAsIs')}</option>
          </select>
        </label>
        {from === 'checkpoint' && (
          <label>
            {t('checkpointName')} <input value={checkpoint} onChange={(e) => setCheckpoint(e.target.value)} />
          </label>
        )}
      </div>
      <label className="secrets">
        {t('replaySecrets')} <textarea rows={2} value={secrets} placeholder="entry.password=…" onChange={(e) => setSecrets(e.target.value)} />
      </label>
      <button type="submit" disabled={!file || running || (from === 'checkpoint' && !checkpoint)}>
        {t('replayButton')}
      </button>
      {status && (
        <p role="status" data-replay-status>
          {status}
        </p>
      )}
    </form>
  );
}
