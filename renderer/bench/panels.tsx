import { useEffect, useState } from 'react';
import type { Caller, ScreenSnapshot, WorldState } from '../../shared/contract';
import { resolutions, themes, type Resolution, type Theme } from '../../shared/view';
import { presetIds, presetSteps, type PresetId } from '../../shared/presets';
import { languages, locales, translate, type Language } from '../../shared/i18n';
import type { Automation } from './automation';
import type { ConsoleText } from './text';
import { SmdpOrders } from './SmdpOrders';
import { SmdpFaultForm } from './SmdpFaultForm';

/** What every console panel is given: its words, the automation API, and the way to run a control. */
export interface PanelProps {
  t: ConsoleText;
  api: Automation;
  /** runs one control, shows a refusal, and reads the world again */
  act: (call: () => Promise<unknown>) => Promise<void>;
}

const steps = ['authenticateServer', 'prepareDownload', 'load'] as const;
const networks = ['home', 'roaming', 'denied'] as const;
const faultKinds = ['reset', 'gone', 'errorReason'] as const;

/** Cellular: signal bars, the module's reset, a call to the car (from a contact or any number) and the other party's side of it. */
export function CellularPanel({ t, api, act, modem, callers }: PanelProps & { modem: WorldState['modem']; callers: Caller[] }) {
  const [number, setNumber] = useState('+81 90-8765-4321');
  if (!modem)
    return (
      <section aria-label={t('cellular')}>
        <h2>{t('cellular')}</h2>
        <p>{t('real')}</p>
      </section>
    );
  const { registration } = modem;
  return (
    <section aria-label={t('cellular')}>
      <h2>{t('cellular')}</h2>
      <p data-registration>
        {t('registration')}: {registration.state}
        {registration.operator ? ` (${registration.operator})` : ''}
      </p>
      <div role="group" aria-label={t('signal')} className="row">
        <span>{t('signal')}</span>
        {[0, 1, 2, 3, 4].map((bars) => (
          <button
            key={bars}
            type="button"
            aria-pressed={registration.signal === bars}
            onClick={() => void act(() => api['world.modem']({ action: 'signal', signal: bars }))}
          >
            {bars}
          </button>
        ))}
      </div>
      <div role="radiogroup" aria-label={t('network')} className="row">
        <span>{t('network')}</span>
        {networks.map((network) => (
          <label key={network}>
            <input
              type="radio"
              name="network"
              checked={modem.network === network}
              onChange={() => void act(() => api['world.modem']({ action: 'network', network }))}
            />{' '}
            {t(`network.${network}`)}
          </label>
        ))}
      </div>
      <div className="row">
        {callers.length > 0 && (
          <label>
            {t('fromContact')}{' '}
            <select value={callers.some((c) => c.number === number) ? number : ''} onChange={(e) => e.target.value && setNumber(e.target.value)}>
              <option value="">—</option>
              {callers.map((c) => (
                <option key={`${c.name} ${c.number}`} value={c.number}>
                  {c.name} ({c.number})
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('number')} <input value={number} onChange={(e) => setNumber(e.target.value)} />
        </label>
        <button type="button" onClick={() => void act(() => api['world.modem']({ action: 'ring', number }))}>
          {t('ringCar')}
        </button>
      </div>
      <div className="row">
        <button type="button" onClick={() => void act(() => api['world.modem']({ action: 'remoteAnswer' }))}>
          {t('otherAnswers')}
        </button>
        <button type="button" onClick={() => void act(() => api['world.modem']({ action: 'remoteHangUp' }))}>
          {t('otherHangsUp')}
        </button>
        <button type="button" onClick={() => void act(() => api['world.modem']({ action: 'reset' }))}>
          {t('resetModule')}
        </button>
        <button type="button" onClick={() => void act(() => api['world.modem']({ action: 'unplug' }))}>
          {t('unplugModule')}
        </button>
        <button type="button" onClick={() => void act(() => api['world.modem']({ action: 'plugIn' }))}>
          {t('plugInModule')}
        </button>
      </div>
      <p>
        {t('calls')}: {modem.calls.length === 0 ? t('none') : modem.calls.map((c) => `${c.number} (${c.direction}, ${c.state})`).join('; ')}
      </p>
    </section>
  );
}

/** eSIM: a download fault picked by step, kind, errorReason and segment, and the queue of those waiting. */
export function EsimPanel({ t, api, act, modem }: PanelProps & { modem: WorldState['modem'] }) {
  const [step, setStep] = useState<(typeof steps)[number]>('load');
  const [kind, setKind] = useState<(typeof faultKinds)[number]>('errorReason');
  const [reason, setReason] = useState(10);
  const [after, setAfter] = useState(0);
  const [every, setEvery] = useState(false);
  if (!modem)
    return (
      <section aria-label={t('esim')}>
        <h2>{t('esim')}</h2>
        <p>{t('real')}</p>
      </section>
    );
  // (an errorReason is what the card answers a segment with: only while loading)
  const loading = kind === 'errorReason' || step === 'load';
  const fault =
    kind === 'errorReason'
      ? { action: 'downloadFault' as const, step: 'load' as const, kind, reason, afterSegments: after, every }
      : { action: 'downloadFault' as const, step, kind, every, ...(loading ? { afterSegments: after } : {}) };
  return (
    <section aria-label={t('esim')}>
      <h2>{t('esim')}</h2>
      <div className="row">
        <label>
          {t('step')}{' '}
          <select value={kind === 'errorReason' ? 'load' : step} disabled={kind === 'errorReason'} onChange={(e) => setStep(e.target.value as typeof step)}>
            {steps.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          {t('kind')}{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            {faultKinds.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        {kind === 'errorReason' && (
          <label>
            {t('reason')} <input type="number" min={1} max={127} value={reason} onChange={(e) => setReason(Number(e.target.value))} />
          </label>
        )}
        {loading && (
          <label>
            {t('afterSegments')} <input type="number" min={0} max={64} value={after} onChange={(e) => setAfter(Number(e.target.value))} />
          </label>
        )}
        <label>
          <input type="checkbox" checked={every} onChange={(e) => setEvery(e.target.checked)} /> {t('everyDownload')}
        </label>
        <button type="button" onClick={() => void act(() => api['world.modem'](fault))}>
          {t('addFault')}
        </button>
      </div>
      <h3>{t('queue')}</h3>
      <ol aria-label={t('queue')}>
        {modem.faults.length === 0 ? (
          <li className="empty">{t('none')}</li>
        ) : (
          modem.faults.map((f, i) => (
            <li key={i}>
              {f.step} · {f.kind}
              {f.reason !== undefined ? ` ${f.reason}` : ''}
              {f.afterSegments !== undefined ? ` · ${f.afterSegments}` : ''}
              {f.every ? ` · ${t('everyDownload')}` : ''}
            </li>
          ))
        )}
      </ol>
      <button type="button" disabled={modem.faults.length === 0} onClick={() => void act(() => api['world.modem']({ action: 'clearFaults' }))}>
        {t('clearFaults')}
      </button>
      <SmdpFaultForm t={t} api={api} act={act} />
      <SmdpOrders t={t} api={api} act={act} />
    </section>
  );
}

/** One card per simulated phone: range, contact sharing, pairing from the phone and its prompt, forgetting the car. */
export function PhonesPanel({ t, api, act, phones }: PanelProps & { phones: WorldState['phones'] }) {
  if (!phones)
    return (
      <section aria-label={t('phones')}>
        <h2>{t('phones')}</h2>
        <p>{t('real')}</p>
      </section>
    );
  const phone = (address: string, command: Parameters<Automation['world.bluetooth']>[0]) => act(() => api['world.bluetooth'](command));
  return (
    <section aria-label={t('phones')}>
      <h2>{t('phones')}</h2>
      <div className="cards">
        {phones.map((p) => (
          <article key={p.address} aria-label={p.name} className="card">
            <h3>{p.name}</h3>
            <p className="address">{p.address}</p>
            <p>
              {t(p.inRange ? 'inRange' : 'outOfRange')}
              {p.paired ? ` · ${t('paired')}` : ''}
              {p.connected ? ` · ${t('connectedPhone')}` : ''}
            </p>
            {p.passkey && (
              <div role="group" aria-label={t('pairingCode')} className="prompt">
                <span>
                  {t('pairingCode')}: <strong data-passkey>{p.passkey}</strong>
                </span>
                <button type="button" onClick={() => void phone(p.address, { action: 'answer', address: p.address, accept: true })}>
                  {t('accept')}
                </button>
                <button type="button" onClick={() => void phone(p.address, { action: 'answer', address: p.address, accept: false })}>
                  {t('decline')}
                </button>
              </div>
            )}
            <div className="row">
              <button type="button" onClick={() => void phone(p.address, { action: 'range', address: p.address, inRange: !p.inRange })}>
                {t(p.inRange ? 'goAway' : 'comeBack')}
              </button>
              <button type="button" onClick={() => void phone(p.address, { action: 'startPairing', address: p.address })}>
                {t('pairFromPhone')}
              </button>
              <button type="button" onClick={() => void phone(p.address, { action: 'forget', address: p.address })}>
                {t('forgetCar')}
              </button>
            </div>
            <PhoneSignal
              t={t}
              rssi={p.rssi}
              walkAway={(afterSeconds) => void phone(p.address, { action: 'walkAway', address: p.address, afterSeconds })}
              signal={(rssi) => void phone(p.address, { action: 'signal', address: p.address, rssi })}
            />
            <div className="row">
              <button type="button" onClick={() => void phone(p.address, { action: 'contactSharing', address: p.address, allowed: true })}>
                {t('allowSharing')}
              </button>
              <button type="button" onClick={() => void phone(p.address, { action: 'contactSharing', address: p.address, allowed: false })}>
                {t('refuseSharing')}
              </button>
            </div>
          </article>
        ))}
      </div>
    </section>
  );
}

const strengths = [
  ['strong', -45],
  ['good', -60],
  ['weak', -80],
  ['edge', -95],
] as const;

/** A phone's signal strength where the car is, and its owner walking away in some seconds. */
function PhoneSignal({
  t,
  rssi,
  signal,
  walkAway,
}: {
  t: ConsoleText;
  rssi: number;
  signal: (rssi: number) => void;
  walkAway: (afterSeconds: number) => void;
}) {
  const [seconds, setSeconds] = useState(5);
  return (
    <div className="row">
      <label>
        {t('phoneSignal')}{' '}
        <select value={String(rssi)} onChange={(e) => signal(Number(e.target.value))}>
          {!strengths.some(([, dbm]) => dbm === rssi) && <option value={String(rssi)}>{rssi} dBm</option>}
          {strengths.map(([name, dbm]) => (
            <option key={name} value={String(dbm)}>
              {t(`signal.${name}`)} ({dbm} dBm)
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('walkAwayIn')} <input type="number" min={0} max={600} value={seconds} onChange={(e) => setSeconds(Number(e.target.value))} />
      </label>
      <button type="button" onClick={() => walkAway(seconds)}>
        {t('walkAway')}
      </button>
    </div>
  );
}

/**
 * The car: a preset that puts it at a step of STEP 2 (from the car and the world as new), and the
 * factory resets, of the car alone or of the car and its world.
 */
export function CarPanel({ t, api, act, language }: PanelProps & { language: Language }) {
  const [preset, setPreset] = useState<PresetId>('pinOffer');
  const [busy, setBusy] = useState(false);
  const apply = () =>
    act(async () => {
      setBusy(true);
      try {
        await api['preset.apply']({ preset });
      } finally {
        setBusy(false);
      }
    });
  return (
    <section aria-label={t('car')}>
      <h2>{t('car')}</h2>
      <div className="row">
        <label>
          {t('preset')}{' '}
          <select value={preset} onChange={(e) => setPreset(e.target.value as PresetId)}>
            {presetIds.map((id) => (
              <option key={id} value={id}>
                {presetSteps[id][language]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={busy} onClick={() => void apply()}>
          {t('applyPreset')}
        </button>
      </div>
      {busy && <p role="status">{t('presetRunning')}</p>}
      <DisplaySettings t={t} api={api} act={act} />
      <OutsideTemperature t={t} api={api} act={act} />
      <div className="row">
        <button type="button" onClick={() => void act(() => api['car.restart']({}))}>
          {t('restartCar')}
        </button>
        <button type="button" onClick={() => void act(() => api['car.reset']({}))}>
          {t('factoryReset')}
        </button>
        <button type="button" onClick={() => void act(() => api['world.reset']({}))}>
          {t('worldReset')}
        </button>
      </div>
    </section>
  );
}

/** The outside temperature the car's sensor reads (the status bar shows it). */
function OutsideTemperature({ t, api, act }: PanelProps) {
  const [celsius, setCelsius] = useState(18);
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        void act(() => api['world.outside']({ temperatureC: celsius }));
      }}
    >
      <label>
        {t('outsideTemperature')} <input type="number" min={-50} max={60} value={celsius} onChange={(e) => setCelsius(Number(e.target.value))} />
      </label>
      <button type="submit">{t('applyQr')}</button>
    </form>
  );
}

/** The display's language, day or night, and resolution, as the driver sets them; and a screenshot of it. */
function DisplaySettings({ t, api, act }: PanelProps) {
  const [shown, setShown] = useState<Pick<ScreenSnapshot, 'language' | 'theme' | 'resolution'> | null>(null);
  const [png, setPng] = useState<string | null>(null);
  useEffect(() => void api['screen.read']({}).then(setShown, () => undefined), [api]);
  const set = (patch: Parameters<Automation['car.settings']>[0]) => act(async () => setShown(await api['car.settings'](patch)));
  if (!shown) return null;
  return (
    <div className="row">
      <label>
        {t('language')}{' '}
        <select value={shown.language} onChange={(e) => void set({ language: e.target.value as Language })}>
          {languages.map((l) => (
            <option key={l} value={l}>
              {translate(l, locales[l].name)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('theme')}{' '}
        <select value={shown.theme} onChange={(e) => void set({ theme: e.target.value as Theme })}>
          {themes.map((theme) => (
            <option key={theme} value={theme}>
              {t(theme)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('resolution')}{' '}
        <select value={shown.resolution} onChange={(e) => void set({ resolution: e.target.value as Resolution })}>
          {resolutions.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => void act(async () => setPng(`data:image/png;base64,${(await api['screenshot.take']({})).png}`))}>
        {t('screenshot')}
      </button>
      {png && (
        <a href={png} download="display.png">
          {t('saveScreenshot')}
        </a>
      )}
    </div>
  );
}
