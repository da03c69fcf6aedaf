import { useCallback, useEffect, useState } from 'react';
import type { CheckpointSummary } from '../../shared/contract';
import type { PanelProps } from './panels';

/**
 * Checkpoints of the whole bench: save it as it is under a name, and put it back to any saved one
 * (the car restarts on it; the display follows by itself).
 */
export function CheckpointsPanel({ t, api, act }: PanelProps) {
  const [list, setList] = useState<CheckpointSummary[] | null>(null);
  const [name, setName] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const read = useCallback(
    () =>
      api['checkpoint.list']({}).then(
        (l) => setList(l.checkpoints),
        () => undefined,
      ),
    [api],
  );
  useEffect(() => void read(), [read]);
  const save = () =>
    act(async () => {
      await api['checkpoint.save']({ name: name.trim() });
      setName('');
      await read();
    });
  const restore = (checkpoint: string) =>
    act(async () => {
      setStatus(t('restoring'));
      try {
        await api['checkpoint.restore']({ name: checkpoint });
        setStatus(`${t('restored')}: ${checkpoint}`);
      } catch (error) {
        setStatus(null);
        throw error;
      }
    });
  return (
    <section aria-label={t('checkpoints')}>
      <h2>{t('checkpoints')}</h2>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          {t('checkpointName')}{' '}
          <input value={name} required maxLength={64} pattern="[A-Za-z0-9_\-][A-Za-z0-9._\-]*" onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit">{t('saveCheckpoint')}</button>
      </form>
      {status && <p role="status">{status}</p>}
      {list === null || list.length === 0 ? (
        <p>{t('noCheckpoints')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('checkpointName')}</th>
              <th>{t('savedAt')}</th>
              <th>{t('size')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((checkpoint) => (
              <tr key={checkpoint.name} aria-label={checkpoint.name}>
                <td>{checkpoint.name}</td>
                <td>{new Date(checkpoint.savedAt).toLocaleString()}</td>
                <td>{kib(checkpoint.bytes)}</td>
                <td>
                  <button type="button" onClick={() => void restore(checkpoint.name)}>
                    {t('restoreCheckpoint')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
}
