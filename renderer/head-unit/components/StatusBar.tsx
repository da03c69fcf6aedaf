import { memo } from 'react';
import { locales, translate } from '../../../shared/i18n';
import type { View } from '../../../shared/view';
import { SignalBars } from './SignalBars';

/** Time, date and outside temperature, profile, cellular network and signal, mobile data and Bluetooth, as the car's status line. */
export const StatusBar = memo(StatusBarView, (a, b) => JSON.stringify(a.status) === JSON.stringify(b.status) && a.language === b.language);

function StatusBarView({ status, language }: Pick<View, 'status' | 'language'>) {
  const t = (key: Parameters<typeof translate>[1]) => translate(language, key);
  const clock = new Date(status.time);
  const time = clock.toLocaleTimeString(locales[language].tag, { hour: '2-digit', minute: '2-digit' });
  // (the date as the car's language writes it short: "Mon 7 Dec", 「12月7日(月)」)
  const date = clock.toLocaleDateString(locales[language].tag, { weekday: 'short', day: 'numeric', month: language === 'ja' ? 'long' : 'short' });
  return (
    <header className="status-bar" aria-label="status">
      <span className="status-time" data-status="time">
        {time}
      </span>
      <span className="status-date" data-status="date">
        {date}
      </span>
      {status.outsideTemperature !== null && (
        <span className="status-temperature" data-status="temperature">
          {status.outsideTemperature}°C
        </span>
      )}
      <span className="status-profile" data-status="profile">
        {status.profile}
      </span>
      <span className="status-right">
        {status.network ? (
          <span data-status="network" aria-label={`${status.network.operator} ${status.network.signal}/4`}>
            {status.network.operator} {status.network.technology} <SignalBars level={status.network.signal} />
          </span>
        ) : (
          // No network: the bars empty and crossed, as head units draw it (the words for screen readers).
          <span data-status="network" className="no-network" role="img" aria-label={t('status.noNetwork')}>
            <SignalBars level={0} />
          </span>
        )}
        {status.data && (
          <span data-status="data" className="on" role="img" aria-label={t('status.data')}>
            ⇅
          </span>
        )}
        {status.phone !== null && (
          <span data-status="phone" className="on" aria-label={`${t('status.phoneConnected')}: ${status.phone}`}>
            <BluetoothMark /> {status.phone}
          </span>
        )}
      </span>
    </header>
  );
}

/** The Bluetooth mark (the runes H and B bound), in the status bar's colour. */
function BluetoothMark() {
  return (
    <svg className="bt-mark" viewBox="0 0 14 24" aria-hidden>
      <path d="M2 7l10 10-5 5V2l5 5L2 17" />
    </svg>
  );
}
