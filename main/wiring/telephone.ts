import { fromCallback } from 'xstate';
import { BluetoothError, type Bluetooth } from '../../hardware/bluetooth/contract';
import { ModemError, type Modem } from '../../hardware/modem/contract';
import type { ActiveCall, TelephoneEvent, TelephoneFailure } from '../machines/telephone';
import { dialString } from '../phonebook/numbers';

function failureOf(error: unknown): TelephoneFailure {
  if (error instanceof ModemError && (error.code === 'voiceOff' || error.code === 'notRegistered')) return error.code;
  if (error instanceof BluetoothError && (error.code === 'notConnected' || error.code === 'gone')) return 'notConnected';
  return 'failed';
}

/** The telephone's line: the modem's calls (Personal eSIM) and the phones' calls (HFP), both ways. */
export function telephoneActors(modem: Modem, bt: Bluetooth) {
  return {
    line: fromCallback<TelephoneEvent>(({ sendBack, receive }) => {
      const calls = new Map<string, ActiveCall>();
      const connectedAt = new Map<string, number>();
      /** every call the line has reported: a dial's answer must not undo news of the same call that came first */
      const heard = new Set<string>();
      const update = (reported: ActiveCall, fromDial = false) => {
        const key = `${reported.via}:${reported.id}`;
        if (fromDial && heard.has(key)) return;
        heard.add(key);
        // (the line stamps when a call first connects: a hold and its return keep the call's time)
        if (reported.state === 'active' && !connectedAt.has(key)) connectedAt.set(key, Date.now());
        const since = connectedAt.get(key);
        const call = since === undefined ? reported : { ...reported, connectedAt: since };
        if (call.state === 'disconnected') connectedAt.delete(key);
        if (call.state === 'disconnected') calls.delete(key);
        else calls.set(key, call);
        sendBack({ type: 'tel.update', call });
      };
      const offModem = modem.on((event) => event.type === 'call' && update({ ...event.call, via: 'esim', address: null }));
      const offPhone = bt.on((event) => event.type === 'call' && update({ ...event.call, via: 'phone', address: event.address }));
      const first = (match: (c: ActiveCall) => boolean) => [...calls.values()].find(match);
      const end = (call: ActiveCall) => (call.via === 'esim' ? modem.hangUp(call.id) : bt.hangUp(call.address!, call.id));
      receive((event) => {
        const run = async () => {
          switch (event.type) {
            case 'tel.dial': {
              // Every number reaches a line as a dial string, whoever wrote it and however.
              const number = dialString(event.number);
              if (number === '') return sendBack({ type: 'tel.failed', failure: 'invalidNumber' });
              // (the call's events may overtake the dial's answer: a call answered at once stays answered)
              if (event.route.via === 'esim') update({ ...(await modem.dial(number)), via: 'esim', address: null }, true);
              else update({ ...(await bt.dial(event.route.address, number)), via: 'phone', address: event.route.address }, true);
              return;
            }
            case 'tel.answer': {
              const call = first((c) => c.state === 'incoming' || c.state === 'waiting');
              if (call) await (call.via === 'esim' ? modem.answer(call.id) : bt.answer(call.address!, call.id));
              return;
            }
            case 'tel.decline': {
              const call = first((c) => c.state === 'incoming' || c.state === 'waiting');
              if (call) await end(call);
              return;
            }
            case 'tel.hangUp': {
              const call = first((c) => c.state !== 'held') ?? first(() => true);
              if (call) await end(call);
              return;
            }
          }
        };
        run().catch((error: unknown) => sendBack({ type: 'tel.failed', failure: failureOf(error) }));
      });
      return () => {
        offModem();
        offPhone();
      };
    }),
  };
}
