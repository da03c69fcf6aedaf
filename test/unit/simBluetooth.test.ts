import { describe, expect, it } from 'vitest';
import { BluetoothError } from '../../hardware/bluetooth/contract';
import { SimBluetooth } from '../../hardware/bluetooth/sim/simBluetooth';
import { ScenarioPhone } from '../../shared/scenario';

/** The simulated phones keep the order a real pairing has, whatever the timing. */
describe('the simulated phones', () => {
  it('show the code to the car before their owner can answer, even with no delay at all', async () => {
    for (let round = 0; round < 50; round++) {
      const address = `02:00:00:00:01:${String(round).padStart(2, '0')}`;
      const bt = new SimBluetooth({ phones: [ScenarioPhone.parse({ name: `Phone ${round}`, address, pairing: 'reject', confirmAfterMs: 0 })], timeScale: 0 });
      await bt.setPairable(true);
      const events: string[] = [];
      bt.on((event) => event.type === 'confirm' && events.push('asked'));
      // Started from the loop's check phase, the loop then held for 2 ms: a timer due by then runs
      // before the next check phase, as on a loaded machine.
      const outcome = await new Promise<string>((resolve) =>
        setImmediate(() => {
          bt.pair(address).then(
            () => resolve('paired'),
            (error: unknown) => resolve(error instanceof BluetoothError ? error.code : 'error'),
          );
          for (const until = performance.now() + 2; performance.now() < until;);
        }),
      );
      events.push(outcome);
      expect(events, `round ${round}`).toEqual(['asked', 'rejected']);
    }
  });
});
