import { afterEach, describe, expect, it } from 'vitest';
import { ModemError, type Call, type Modem } from '../../hardware/modem/contract';
import type { EuiccFlash } from '../../hardware/modem/sim/simEuicc';
import { modemBackends, until, type Made } from '../support/modemBackends';

/**
 * The radio half of the modem contract (power, registration, data, calls) on every backend: the
 * simulated module directly, and the AT backend talking to the simulated module's AT port in the
 * real 27.007 dialect, byte by byte (so the AT backend is tested against a peer that speaks what
 * modules speak). The eUICC half is in modem.contract.test.ts.
 */
const docomo: EuiccFlash = {
  profiles: [
    {
      metadata: {
        iccid: '8981100000000000017',
        serviceProviderName: 'NTT DOCOMO',
        profileName: 'One Number',
        profileClass: 'operational',
        profileOwner: { mccMnc: '44010' },
        size: 20_000,
      },
      state: 'enabled',
      nickname: null,
      address: 'smdp.example',
    },
  ],
  notifications: [],
  nextSeq: 1,
};

const backends = modemBackends.map((b) => ({ name: b.name, make: () => b.make({ flash: structuredClone(docomo) }) }));

const closers: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const callIn = (modem: Modem, state: Call['state']) => until(modem, (e) => e.type === 'call' && e.call.state === state).then((e) => (e as { call: Call }).call);

async function registered(made: Made): Promise<void> {
  for (;;) {
    const r = await made.modem.registration();
    if (r.state === 'registered') return;
    await until(made.modem, (e) => e.type === 'registration');
  }
}

describe.each(backends)('modem radio contract: $name', (backend) => {
  const make = async () => {
    const made = await backend.make();
    closers.push(made.close);
    return made;
  };

  it('registers the enabled profile on NTT DOCOMO (440 10) over LTE, and follows the signal', async () => {
    const made = await make();
    await registered(made);
    expect(await made.modem.registration()).toEqual({
      state: 'registered',
      operator: { name: 'NTT DOCOMO', plmn: '440 10' },
      technology: 'LTE',
      signal: 4,
      voice: false,
    });
    const weaker = until(made.modem, (e) => e.type === 'registration' && e.registration.signal === 1);
    made.world.setSignal(1);
    await weaker;
    expect((await made.modem.registration()).signal).toBe(1);
  });

  it('refuses to report a registration while off, and registers again when on', async () => {
    const made = await make();
    await registered(made);
    await made.modem.power(false);
    const off = await made.modem.registration().then(
      () => null,
      (e: unknown) => e as ModemError,
    );
    expect(off).toBeInstanceOf(ModemError);
    expect(off?.code).toBe('off');
    await made.modem.power(true);
    await registered(made);
  });

  it('brings the data session up on an APN with an address, and down', async () => {
    const made = await make();
    await registered(made);
    const up = await made.modem.startData('onenumber.docomo');
    expect(up).toMatchObject({ state: 'up', apn: 'onenumber.docomo' });
    expect(up.address).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(await made.modem.dataSession()).toEqual(up);
    expect(await made.modem.stopData()).toEqual({ state: 'down', apn: null, address: null });
    expect((await made.modem.dataSession()).state).toBe('down');
  });

  it('calls out only with IMS voice on; the other party answers; hanging up ends it as local', async () => {
    const made = await make();
    await registered(made);
    const refused = await made.modem.dial('0312345678').then(
      () => null,
      (e: unknown) => e as ModemError,
    );
    expect(refused?.code).toBe('voiceOff');
    await made.modem.setVoice(true);
    await registered(made);
    const alerting = callIn(made.modem, 'alerting');
    const call = await made.modem.dial('0312345678');
    expect(call).toMatchObject({ number: '0312345678', direction: 'outgoing' });
    await alerting;
    const active = callIn(made.modem, 'active');
    made.world.remoteAnswer(call.id);
    await active;
    const ended = callIn(made.modem, 'disconnected');
    await made.modem.hangUp(call.id);
    expect(await ended).toMatchObject({ id: call.id, endReason: 'local' });
    expect(await made.modem.calls()).toEqual([]);
  });

  it('rings with the caller, answers, and hears the other party hang up', async () => {
    const made = await make();
    await made.modem.setVoice(true);
    await registered(made);
    const ringing = callIn(made.modem, 'incoming');
    const { id } = made.world.ring('09012345678');
    expect(await ringing).toMatchObject({ number: '09012345678', direction: 'incoming' });
    const active = callIn(made.modem, 'active');
    await made.modem.answer((await made.modem.calls())[0]!.id);
    await active;
    const ended = callIn(made.modem, 'disconnected');
    made.world.remoteHangUp(id);
    expect(await ended).toMatchObject({ endReason: 'remote' });
  });

  it('says the module went away when it is unplugged', async () => {
    const made = await make();
    await registered(made);
    const gone = until(made.modem, (e) => e.type === 'gone');
    made.world.unplug();
    await gone;
    const after = await made.modem.registration().then(
      () => null,
      (e: unknown) => e as ModemError,
    );
    expect(after?.code).toBe('gone');
  });

  it('reports its EID and profiles, enables and disables them with the radio following, names and deletes them', async () => {
    const made = await make();
    const { modem } = made;
    expect(await modem.euicc.eid()).toBe(await made.world.euicc.eid());
    await registered(made);
    const iccid = docomo.profiles[0]!.metadata.iccid;
    expect(await modem.euicc.listProfiles()).toEqual([
      { iccid, state: 'enabled', nickname: null, serviceProviderName: 'NTT DOCOMO', profileName: 'One Number', profileClass: 'operational' },
    ]);
    await modem.euicc.setNickname(iccid, 'Car line');
    expect((await modem.euicc.listProfiles())[0]?.nickname).toBe('Car line');
    const rejected = await modem.euicc.deleteProfile(iccid).then(
      () => null,
      (e: unknown) => e as ModemError,
    );
    expect(rejected?.code).toBe('profileEnabled');
    const lost = until(modem, (e) => e.type === 'registration' && e.registration.state === 'notRegistered');
    await modem.euicc.disableProfile(iccid);
    await lost;
    await modem.euicc.disableProfile(iccid); // (again: nothing to do)
    await modem.euicc.enableProfile(iccid);
    await registered(made);
    await modem.euicc.disableProfile(iccid);
    await modem.euicc.deleteProfile(iccid);
    expect(await modem.euicc.listProfiles()).toEqual([]);
    const unknown = await modem.euicc.enableProfile(iccid).then(
      () => null,
      (e: unknown) => e as ModemError,
    );
    expect(unknown?.code).toBe('noSuchProfile');
    // Each change left a notification for the SM-DP+; once delivered, each is forgotten.
    const pending = await modem.euicc.listNotifications();
    expect(pending.map((n) => [n.event, n.iccid])).toEqual([
      ['disable', iccid],
      ['enable', iccid],
      ['disable', iccid],
      ['delete', iccid],
    ]);
    for (const n of pending) await modem.euicc.removeNotification(n.seqNumber);
    await modem.euicc.removeNotification(pending[0]!.seqNumber); // (again: a retry after a lost answer)
    expect(await modem.euicc.listNotifications()).toEqual([]);
  });
});
