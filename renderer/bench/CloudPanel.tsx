import { useCallback, useEffect, useState } from 'react';
import type { CloudAccount } from '../../shared/cloudWorld';
import type { Automation } from './automation';
import type { ConsoleText } from './text';
import { DelayField, ModeField } from './faultFields';
import type { PanelProps } from './panels';

/**
 * The cloud the car uses: its BMW IDs (the scenario's and those made with "Register now") and their
 * NTT DOCOMO lines; a BMW ID without a line is given one here, so that STEP 1 can go on.
 */
export function CloudPanel({ t, api, act, pace }: PanelProps & { pace: number | null }) {
  const [accounts, setAccounts] = useState<CloudAccount[] | null>(null);
  const read = useCallback(
    () =>
      api['world.cloud']({ action: 'accounts' }).then(
        (a) => setAccounts(a.accounts ?? null),
        () => undefined,
      ),
    [api],
  );
  useEffect(() => {
    void read();
    // (a BMW ID registered on a phone appears within a few seconds)
    const timer = setInterval(() => void read(), 3000);
    return () => clearInterval(timer);
  }, [read]);
  const control = (call: () => Promise<{ accounts?: CloudAccount[] }>) => act(async () => setAccounts((await call()).accounts ?? null));
  return (
    <section aria-label={t('cloud')}>
      <h2>{t('cloud')}</h2>
      <OutageControl t={t} api={api} act={act} />
      <WorldBehaviour t={t} api={api} act={act} pace={pace} />
      {accounts === null ? (
        <p>{t('cloudUnreachable')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('bmwId')}</th>
              <th>{t('line')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {accounts.map((account) => (
              <tr key={account.email} aria-label={account.email}>
                <td>
                  {account.name}
                  <br />
                  <span className="address">{account.email}</span>
                </td>
                <td>
                  {account.line
                    ? `${account.line.msisdn} · ${t(account.line.subscribed ? 'subscribed' : 'notSubscribed')}${account.line.associated ? ` · ${t('associated')}` : ''}`
                    : t('noLine')}
                </td>
                <td>
                  {account.line ? (
                    <LineControls t={t} line={account.line} email={account.email} api={api} control={control} act={act} />
                  ) : (
                    <LineForm
                      t={t}
                      email={account.email}
                      give={(line) => void control(() => api['world.cloud']({ action: 'giveLine', email: account.email, ...line }))}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const outageModes = ['none', 'unreachable', 'error', 'slow'] as const;

/** The cloud as the car meets it: working, unreachable, failing (503), or slow by some seconds. */
function OutageControl({ t, api, act }: PanelProps) {
  const [mode, setMode] = useState<(typeof outageModes)[number]>('none');
  const [seconds, setSeconds] = useState(10);
  const apply = () => act(() => api['world.cloud']({ action: 'outage', mode, ...(mode === 'slow' ? { delaySeconds: seconds } : {}) }));
  return (
    <form
      className="row"
      aria-label={t('outage')}
      onSubmit={(e) => {
        e.preventDefault();
        void apply();
      }}
    >
      <ModeField t={t} label="outage" modes={outageModes} mode={mode} setMode={setMode} name={(m) => `outage.${m}`} />
      {mode === 'slow' && <DelayField t={t} seconds={seconds} setSeconds={setSeconds} />}
      <button type="submit">{t('applyOutage')}</button>
    </form>
  );
}

const paces = [0, 0.5, 1, 2, 5] as const;

/**
 * The world's behaviour, changed live: how the bench's phone reaches the carrier's site in STEP 1
 * (on cellular the site asks for the network PIN), the QR code's lifetime, and the pace of the
 * simulated module and phones.
 */
function WorldBehaviour({ t, api, act, pace }: PanelProps & { pace: number | null }) {
  const [behaviour, setBehaviour] = useState<{ phoneOn: 'wifi' | 'cellular'; deviceCodeLifetimeSeconds: number } | null>(null);
  // (the field follows the world until the user types in it, and again once set)
  const [typed, setTyped] = useState<number | null>(null);
  const read = useCallback(
    () =>
      api['world.cloud']({ action: 'behaviour' }).then(
        (r) => setBehaviour(r.behaviour ?? null),
        () => undefined,
      ),
    [api],
  );
  useEffect(() => {
    void read();
    // (a factory reset of the world, or a checkpoint, brings the scenario's behaviour back)
    const timer = setInterval(() => void read(), 3000);
    return () => clearInterval(timer);
  }, [read]);
  const change = (patch: { phoneOn?: 'wifi' | 'cellular'; deviceCodeLifetimeSeconds?: number }) =>
    act(async () => {
      setBehaviour((await api['world.cloud']({ action: 'behaviour', ...patch })).behaviour ?? null);
      setTyped(null);
    });
  const seconds = typed ?? behaviour?.deviceCodeLifetimeSeconds ?? 600;
  return (
    <div role="group" aria-label={t('behaviour')}>
      {behaviour && (
        <div className="row" role="radiogroup" aria-label={t('phoneOn')}>
          <span>{t('phoneOn')}</span>
          {(['wifi', 'cellular'] as const).map((on) => (
            <label key={on}>
              <input type="radio" name="phoneOn" checked={behaviour.phoneOn === on} onChange={() => void change({ phoneOn: on })} />{' '}
              {t(on === 'wifi' ? 'wifi' : 'onCellular')}
            </label>
          ))}
        </div>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void change({ deviceCodeLifetimeSeconds: seconds });
        }}
      >
        <label>
          {t('qrLifetime')} <input type="number" min={1} max={3600} value={seconds} onChange={(e) => setTyped(Number(e.target.value))} />
        </label>
        <button type="submit">{t('applyQr')}</button>
      </form>
      {pace !== null && (
        <label>
          {t('pace')}{' '}
          <select value={String(pace)} onChange={(e) => void act(() => api['world.pace']({ pace: Number(e.target.value) }))}>
            {!(paces as readonly number[]).includes(pace) && <option value={String(pace)}>{pace}</option>}
            {paces.map((p) => (
              <option key={p} value={String(p)}>
                {t(`pace.${p}`)}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}

/**
 * A line's STEP 1 as the bench sets it: One Number, the Multi-Device Option and the d ACCOUNT's
 * association, each a check box; STEP 1 rewound; the line's text messages; the line taken away.
 */
function LineControls({
  t,
  line,
  email,
  api,
  control,
  act,
}: {
  t: ConsoleText;
  line: NonNullable<CloudAccount['line']>;
  email: string;
  api: Automation;
  control: (call: () => Promise<{ accounts?: CloudAccount[] }>) => Promise<void>;
  act: (call: () => Promise<unknown>) => Promise<void>;
}) {
  const [sms, setSms] = useState<{ from: string; text: string; at: number }[] | null>(null);
  const flags = [
    ['subscribed', 'oneNumber'],
    ['multiDevice', 'multiDevice'],
    ['associated', 'associated'],
  ] as const;
  return (
    <div className="line-controls">
      <div className="row" role="group" aria-label={t('step1')}>
        {flags.map(([field, label]) => (
          <label key={field}>
            <input
              type="checkbox"
              checked={line[field]}
              onChange={(e) => void control(() => api['world.cloud']({ action: 'setLine', email, [field]: e.target.checked }))}
            />{' '}
            {t(label)}
          </label>
        ))}
      </div>
      <div className="row">
        <button type="button" onClick={() => void control(() => api['world.cloud']({ action: 'rewindStep1', email }))}>
          {t('rewindStep1')}
        </button>
        <button type="button" onClick={() => void act(async () => setSms((await api['world.cloud']({ action: 'sms', email })).sms?.messages ?? []))}>
          {t('readSms')}
        </button>
        <button type="button" onClick={() => void control(() => api['world.cloud']({ action: 'removeLine', email }))}>
          {t('removeLine')}
        </button>
      </div>
      {sms && (
        <ul aria-label={t('smsInbox')}>
          {sms.length === 0 ? (
            <li>{t('none')}</li>
          ) : (
            sms.map((m) => (
              <li key={m.at}>
                {new Date(m.at).toLocaleTimeString()} {m.from}: {m.text}
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}

/** A new line's number and the carrier site's logins, filled with values the bench can change. */
function LineForm({
  t,
  email,
  give,
}: {
  t: ConsoleText;
  email: string;
  give: (line: { msisdn: string; networkPin: string; dAccount: string; dPassword: string }) => void;
}) {
  const [msisdn, setMsisdn] = useState(() => `+81 90-${String(1000 + Math.floor(Math.random() * 9000))}-${String(1000 + Math.floor(Math.random() * 9000))}`);
  const [networkPin, setNetworkPin] = useState('1234');
  const [dAccount, setDAccount] = useState(`${email.split('@')[0] ?? 'bench'}.docomo`);
  const [dPassword, setDPassword] = useState('docomo-bench-1');
  return (
    <form
      className="row"
      aria-label={t('giveLine')}
      onSubmit={(e) => {
        e.preventDefault();
        give({ msisdn, networkPin, dAccount, dPassword });
      }}
    >
      <label>
        {t('number')} <input value={msisdn} onChange={(e) => setMsisdn(e.target.value)} />
      </label>
      <label>
        {t('networkPin')} <input value={networkPin} inputMode="numeric" maxLength={4} onChange={(e) => setNetworkPin(e.target.value)} />
      </label>
      <label>
        {t('dAccount')} <input value={dAccount} onChange={(e) => setDAccount(e.target.value)} />
      </label>
      <label>
        {t('dPassword')} <input value={dPassword} onChange={(e) => setDPassword(e.target.value)} />
      </label>
      <button type="submit">{t('giveLine')}</button>
    </form>
  );
}
