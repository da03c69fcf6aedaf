import { useCallback, useEffect, useState } from 'react';
import type { SmdpOrderSummary } from '../../shared/cloudWorld';
import type { Automation } from './automation';
import type { ConsoleText } from './text';

/**
 * The SM-DP+'s orders, newest first: whose, for which eUICC, and how far each got (a released
 * order past its time is shown expired, as the SM-DP+ will refuse it). Read every few seconds.
 * The bench makes an order any LPA can download (lpac, a phone; its activation code shown to
 * copy), with profile protection keys if asked, and expires a released one.
 */
export function SmdpOrders({ t, api, act }: { t: ConsoleText; api: Automation; act: (call: () => Promise<unknown>) => Promise<void> }) {
  const [orders, setOrders] = useState<SmdpOrderSummary[] | null>(null);
  const [ppk, setPpk] = useState(false);
  const [made, setMade] = useState<string | null>(null);
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
  const expired = (o: SmdpOrderSummary) => o.state === 'released' && Date.parse(o.expiresAt) <= Date.now();
  const state = (o: SmdpOrderSummary) => (expired(o) ? t('expired') : o.state);
  const change = (call: () => Promise<unknown>) => act(call).then(read);
  const makeOrder = () =>
    change(async () => {
      const { order } = await api['world.cloud']({ action: 'makeOrder', ...(ppk ? { protection: 'ppk' as const } : {}) });
      setMade(order?.activationCode ?? null);
    });
  return (
    <>
      <h3>{t('orders')}</h3>
      <div className="row">
        <label>
          <input type="checkbox" checked={ppk} onChange={(e) => setPpk(e.target.checked)} /> {t('withPpk')}
        </label>
        <button type="button" onClick={() => void makeOrder()}>
          {t('makeOrder')}
        </button>
      </div>
      {made && (
        <p>
          {t('activationCode')}: <output aria-label={t('activationCode')}>{made}</output>
        </p>
      )}
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
                <td>
                  <span data-order-state>{state(o)}</span>
                  {o.state === 'released' && !expired(o) && (
                    <button type="button" onClick={() => void change(() => api['world.cloud']({ action: 'expireOrder', matchingId: o.matchingId }))}>
                      {t('expireOrder')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
