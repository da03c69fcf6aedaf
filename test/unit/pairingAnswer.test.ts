import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor, setup } from 'xstate';
import { bluetoothActors, pairingAnswerMs } from '../../main/wiring/bluetooth';
import type { PairedDevices } from '../../main/bluetooth/devices';
import type { Bluetooth, BluetoothEvent } from '../../hardware/bluetooth/contract';

/**
 * The car's own wait for the answers to a pairing code: 30 s from the code, counted down on the
 * display; then the pairing is cancelled at the adapter and the driver told it timed out, even
 * when the adapter itself would wait longer.
 */
afterEach(() => {
  vi.useRealTimers();
});

describe('the answer to a pairing code', () => {
  it('is awaited 30 s from the code, then the pairing is cancelled as timed out', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const listeners = new Set<(event: BluetoothEvent) => void>();
    const cancelPairing = vi.fn(async () => {});
    // (an adapter that never settles the pairing by itself)
    const bt = {
      on: (l: (event: BluetoothEvent) => void) => (listeners.add(l), () => listeners.delete(l)),
      pair: () => new Promise<void>(() => {}),
      confirm: async () => {},
      cancelPairing,
    } as unknown as Bluetooth;
    const { pair } = bluetoothActors(
      bt,
      {} as PairedDevices,
      () => 'BMW 12345',
      async () => {},
    );
    const heard: unknown[] = [];
    const parent = setup({ actors: { pair } }).createMachine({
      invoke: { src: 'pair', input: { address: '00:00:00:00:00:07' } },
      on: { '*': { actions: ({ event }) => void heard.push(event) } },
    });
    const actor = createActor(parent).start();
    for (const listener of listeners) listener({ type: 'confirm', address: '00:00:00:00:00:07', passkey: '123456' });
    expect(heard).toEqual([{ type: 'bt.passkey', passkey: '123456', until: 1_000_000 + pairingAnswerMs }]);
    vi.advanceTimersByTime(pairingAnswerMs - 1);
    expect(heard).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(heard.at(-1)).toEqual({ type: 'bt.pairFailed', failure: 'timeout' });
    expect(cancelPairing).toHaveBeenCalledWith('00:00:00:00:00:07');
    actor.stop();
    // (settled: leaving does not cancel it twice)
    expect(cancelPairing).toHaveBeenCalledTimes(1);
  });
});
