import type { ConsoleKey, ConsoleText } from './text';

/** A fault form's mode: how the part answers (the cloud's outage, the SM-DP+'s fault), one option a mode. */
export function ModeField<M extends string>({
  t,
  label,
  modes,
  mode,
  setMode,
  name,
}: {
  t: ConsoleText;
  label: ConsoleKey;
  modes: readonly M[];
  mode: M;
  setMode: (mode: M) => void;
  /** each mode's text */
  name: (mode: M) => ConsoleKey;
}) {
  return (
    <label>
      {t(label)}{' '}
      <select value={mode} onChange={(e) => setMode(e.target.value as M)}>
        {modes.map((m) => (
          <option key={m} value={m}>
            {t(name(m))}
          </option>
        ))}
      </select>
    </label>
  );
}

/** How long a slow part takes to answer, in seconds (0.1 to 120, as the automation API takes it). */
export function DelayField({ t, seconds, setSeconds }: { t: ConsoleText; seconds: number; setSeconds: (seconds: number) => void }) {
  return (
    <label>
      {t('delaySeconds')} <input type="number" min={0.1} max={120} step={0.1} value={seconds} onChange={(e) => setSeconds(Number(e.target.value))} />
    </label>
  );
}
