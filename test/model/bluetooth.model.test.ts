import { describe, expect, it } from 'vitest';
import { TestModel } from 'xstate/graph';
import type { BluetoothDevice } from '../../hardware/bluetooth/contract';
import type { PairedDevice } from '../../main/bluetooth/devices';
import { bluetoothMachine, type BluetoothContext, type BluetoothEvent } from '../../main/machines/bluetooth';

/**
 * Model-based test of the Bluetooth machine: xstate/graph walks it with every event the driver,
 * the adapter and the store can send (two phones, found and lost, one that starts a pairing), and
 * at every state of every path the rules a driver relies on must hold.
 */
type State = { value: unknown; context: BluetoothContext };
type ModelEvent = BluetoothEvent | { type: `xstate.done.actor.${string}`; output: unknown } | { type: `xstate.error.actor.${string}`; error: unknown };

const phones: BluetoothDevice[] = ['AA:00:00:00:00:01', 'AA:00:00:00:00:02'].map((address, i) => ({
  address,
  name: `Phone ${i + 1}`,
  deviceClass: 0x5a020c,
  rssi: -50 - i * 20,
  paired: false,
  trusted: false,
  connected: false,
  profiles: ['hfp', 'pbap', 'a2dp'],
}));

const record = (address: string, esim: boolean): PairedDevice => ({
  address,
  name: address,
  pairedAt: '2026-11-25T00:00:00Z',
  functions: { telephone: true, audio: true, contacts: true },
  esim,
  contacts: [],
  callLog: [],
  syncedAt: null,
});

const stateName = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : Object.entries(value as object)
        .map(([k, v]) => `${k}.${stateName(v)}`)
        .join('|');

function eventsFor(state: State): ModelEvent[] {
  const { context } = state;
  const name = stateName(state.value);
  const events: ModelEvent[] = [];
  if (name === 'loading') return [{ type: 'xstate.done.actor.load', output: [] }];
  events.push({ type: 'bt.search' }, { type: 'bt.stop' }, { type: 'bt.evict' });
  for (const phone of phones) {
    events.push({ type: 'bt.found', device: phone }, { type: 'bt.lost', address: phone.address }, { type: 'bt.select', address: phone.address });
    events.push({ type: 'bt.sync', address: phone.address }, { type: 'bt.remove', address: phone.address }, { type: 'bt.useWithEsim', address: phone.address });
  }
  events.push({ type: 'bt.incoming', address: phones[1]!.address, name: 'Phone 2', passkey: '123456' });
  events.push({ type: 'bt.passkey', passkey: '004821' }, { type: 'bt.confirm', accept: true }, { type: 'bt.confirm', accept: false });
  events.push({ type: 'bt.paired' }, { type: 'bt.pairFailed', failure: 'gone' }, { type: 'bt.pairFailed', failure: 'rejected' });
  events.push({ type: 'bt.syncProgress', loaded: 1, total: 2 }, { type: 'bt.syncFailed', reason: 'gone' }, { type: 'bt.cancel' });
  if (context.sync)
    events.push({ type: 'bt.synced', address: context.sync.address, contacts: [{ name: 'A', reading: '', numbers: [], organisation: '' }], callLog: [] });
  // What the store hands back, as the real actors compute it.
  const target = context.target?.address;
  if (target) {
    const others = context.devices.filter((d) => d.address !== target);
    events.push({ type: 'xstate.done.actor.connect', output: [...others, record(target, !others.some((d) => d.esim))] });
    events.push({ type: 'xstate.error.actor.connect', error: new Error('page timeout') });
  }
  if (context.chosen) events.push({ type: 'xstate.done.actor.remove', output: context.devices.filter((d) => d.address !== context.chosen) });
  events.push({ type: 'xstate.done.actor.evict', output: context.devices.slice(1) });
  return events;
}

function serialize(state: State): string {
  const c = state.context;
  return JSON.stringify({
    state: stateName(state.value),
    devices: c.devices.map((d) => [d.address, d.esim, d.contacts.length]),
    discovered: c.discovered.map((d) => d.address),
    target: c.target?.address ?? null,
    passkey: c.passkey !== null,
    failure: c.failure,
    sync: c.sync?.address ?? null,
    chosen: c.chosen,
  });
}

// The head unit is not there: what the machine tells it goes nowhere.
const machine = bluetoothMachine.provide({ actions: { tellHeadUnit: () => {} } });
const model = new TestModel(machine as never, { input: { profileId: 'hanako' }, events: eventsFor as never, serializeState: serialize as never } as never);

/** The rules that hold in every state the machine can reach. */
function checkRules(state: State): void {
  const c = state.context;
  const name = stateName(state.value);
  const searching = name.includes('pairing.search');
  // Found phones are shown only while the search screen is open, strongest first, each once.
  if (!searching) expect(c.discovered).toEqual([]);
  expect(new Set(c.discovered.map((d) => d.address)).size).toBe(c.discovered.length);
  expect(c.discovered.map((d) => d.rssi ?? -999)).toEqual([...c.discovered.map((d) => d.rssi ?? -999)].sort((a, b) => b - a));
  // A pairing always knows whom it is with; a failed one says why.
  if (/search\.(pairing|accepting|connecting)/.test(name)) expect(c.target).not.toBeNull();
  if (name.includes('search.accepting')) expect(c.passkey).not.toBeNull();
  if (name.includes('search.failed')) expect(c.failure).not.toBeNull();
  // Paired devices are unique, and exactly one is the Personal eSIM's phone while any is paired.
  expect(new Set(c.devices.map((d) => d.address)).size).toBe(c.devices.length);
  if (c.devices.length > 0) expect(c.devices.filter((d) => d.esim)).toHaveLength(1);
  // Progress is shown exactly while a sync runs.
  expect(c.sync !== null).toBe(name.includes('sync.syncing'));
}

describe('the Bluetooth machine, path by path', () => {
  const paths = model.getShortestPaths();

  it('reaches pairing, connecting, failing, syncing, removing and making room', () => {
    // (paths that are the start of a longer one are merged into it: every step's state counts)
    const names = new Set(paths.flatMap((p) => [...p.steps.map((s) => s.state), p.state]).map((s) => stateName((s as unknown as State).value)));
    for (const expected of [
      'search.list',
      'search.pairing',
      'search.accepting',
      'search.connecting',
      'search.failed',
      'pairing.removing',
      'pairing.evicting',
      'sync.syncing',
    ]) {
      expect(
        [...names].some((n) => n.includes(expected)),
        expected,
      ).toBe(true);
    }
    expect(paths.length).toBeGreaterThan(100);
  });

  it('keeps its rules at every step of every path', () => {
    let steps = 0;
    for (const path of paths) {
      for (const step of path.steps) {
        checkRules(step.state as unknown as State);
        steps++;
      }
      checkRules(path.state as unknown as State);
    }
    console.log(`bluetooth model: ${paths.length} paths, ${steps} steps checked`);
  });
});
