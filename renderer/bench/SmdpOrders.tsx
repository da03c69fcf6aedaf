import { useCallback, useEffect, useState } from 'react';
import type { SmdpOrderSummary } from '../../shared/contract';
import type { Automation } from './automation';
import type { ConsoleText } from './text';

/**
 * The SM-DP+'s orders, newest first: whose, for which eUICC, and how far each got (a released
 * order past its time is shown expired, as the SM-DP+ will refuse it). Read every few seconds.
 */
export function SmdpOrders({ t, api }: { t: ConsoleText; api: Automation }) {
  const [orders, setOrders] = useState<SmdpOrderSummary[] | null>(null);
  const read = useCallback(
    () =>
      api['world.cloud']({ action: 'orders' }).then(
        (r) => setOrders(r.orders ?? []),
        () => setOrders(null),
      ),
    [api],
  );
  useEffect(() => {
    void read();
    const timer = setInterval(() => void read(), 3000);
    return () => clearInterval(timer);
  }, [read]);
  const state = (o: SmdpOrderSummary) => (o.state === 'released' && Date.parse(o.expiresAt) <= Date.now() ? t('expired') : o.state);
  return (
    <>
      <h3>{t('orders')}</h3>
      {orders === null ? (
        <p>{t('cloudUnreachable')}</p>
      ) : orders.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <table aria-label={t('orders')}>
          <thead>
            <tr>
              <th>{t('matchingId')}</th>
              <th>{t('owner')}</th>
              <th>{t('number')}</th>
              <th>{t('state')}</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.matchingId}>
                <td className="address">{o.matchingId}</td>
                <td>{o.owner}</td>
                <td>{o.msisdn}</td>
                <td data-order-state>{state(o)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
