import { afterEach, describe, expect, it } from 'vitest';
import { errorReasons } from '../../shared/esim';
import { readInstallationResult } from '../../shared/es10/notifications';
import { decodeTlv } from '../../shared/es10/tlv';
import { ModemError, type Modem, type ModemEvent } from '../../hardware/modem/contract';
import { SimModem } from '../../hardware/modem/sim/simModem';
import type { DownloadFault, EuiccFlash } from '../../hardware/modem/sim/simEuicc';
import { EuiccFlashFile } from '../../hardware/modem/sim/flashFile';
import { modemBackends, until } from '../support/modemBackends';
import { testSmdp } from '../support/testSmdp';

/**
 * The eUICC half of the modem contract, one suite for every backend: the simulated module, and the
 * AT backend on the simulated module's port (in memory, with +CSIM only, and through a
 * pseudo-terminal with serialport). The same SGP.22 bytes go through each; each backend comes with
 * the controls of the simulated module behind it.
 */
const smdp = await testSmdp();

const closers: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const registered = (modem: Modem) => until(modem, (e) => e.type === 'registration' && e.registration.state === 'registered');

async function rejectsWith(promise: Promise<unknown>, code: ModemError['code']) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModemError);
  expect((error as ModemError).code).toBe(code);
}

/** The install result the eUICC signed for notification `seqNumber`, as the SM-DP+ would read it. */
async function installResult(modem: Modem, seqNumber: number) {
  return readInstallationResult(decodeTlv((await modem.euicc.retrieveNotification(seqNumber))!)).result;
}

describe.each(modemBackends)('modem contract: $name', (backend) => {
  const make = async () => {
    const made = await backend.make();
    closers.push(made.close);
    return made;
  };

  it('reports its EID, and refuses everything but power while off', async () => {
    const { modem } = await make();
    expect(await modem.euicc.eid()).toMatch(/^\d{32}$/);
    await modem.power(false);
    await rejectsWith(modem.euicc.eid(), 'off');
    await rejectsWith(modem.registration(), 'off');
    await modem.power(true);
    expect(await modem.euicc.listProfiles()).toEqual([]);
  });

  it('downloads a profile through the ES10b steps, with progress and an install notification', async () => {
    const { modem } = await make();
    const progress: number[] = [];
    // (about 4.9 KB of profile elements: five '86' segments of at most 1020 bytes)
    const result = await smdp.download(modem, { iccid: '8981100000000000017', size: 4_900, onProgress: (loaded, total) => progress.push(loaded / total) });
    expect(result).toMatchObject({ iccid: '8981100000000000017' });
    expect(progress).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    expect(await modem.euicc.listProfiles()).toEqual([
      {
        iccid: '8981100000000000017',
        state: 'disabled',
        nickname: null,
        serviceProviderName: 'NTT DOCOMO',
        profileName: 'One Number',
        profileClass: 'operational',
      },
    ]);
    const notifications = await modem.euicc.listNotifications();
    expect(notifications).toEqual([expect.objectContaining({ event: 'install', iccid: '8981100000000000017', notificationAddress: 'smdp.test.example' })]);
    expect(await installResult(modem, notifications[0]!.seqNumber)).toEqual({ ok: true });
    await modem.euicc.removeNotification(notifications[0]!.seqNumber);
    await modem.euicc.removeNotification(notifications[0]!.seqNumber); // a retry after a lost answer
    expect(await modem.euicc.listNotifications()).toEqual([]);
  });

  it('registers the enabled profile on NTT DOCOMO (440 10), one profile enabled at a time', async () => {
    const { modem } = await make();
    await smdp.download(modem, { iccid: '8981100000000000017' });
    await smdp.download(modem, { iccid: '8981100000000000025' });
    const onNetwork = registered(modem);
    await modem.euicc.enableProfile('8981100000000000017');
    await onNetwork;
    expect(await modem.registration()).toMatchObject({ state: 'registered', operator: { name: 'NTT DOCOMO', plmn: '440 10' }, technology: 'LTE' });
    await modem.euicc.enableProfile('8981100000000000025');
    expect((await modem.euicc.listProfiles()).map((p) => p.state)).toEqual(['disabled', 'enabled']);
    await rejectsWith(modem.euicc.deleteProfile('8981100000000000025'), 'profileEnabled');
    await modem.euicc.disableProfile('8981100000000000025');
    await modem.euicc.deleteProfile('8981100000000000025');
    await rejectsWith(modem.euicc.enableProfile('8981100000000000025'), 'noSuchProfile');
    await modem.euicc.setNickname('8981100000000000017', 'One Number (car)');
    expect((await modem.euicc.listProfiles())[0]?.nickname).toBe('One Number (car)');
  });

  it.each([
    ['a tampered package', { tamper: 'bppSignature' as const }, errorReasons.invalidSignature],
    // (smdpSign covers the eUICC's one-time key: a package bound to another key fails its signature)
    ['a package bound to another key', { tamper: 'otpk' as const }, errorReasons.invalidSignature],
    ['another transaction', { tamper: 'transaction' as const }, errorReasons.invalidTransactionId],
    ['a profile too large', { size: 600_000 }, errorReasons.insufficientMemoryForProfile],
  ])('refuses %s with its errorReason and installs nothing', async (_what, options, reason) => {
    const { modem } = await make();
    expect(await smdp.download(modem, options)).toMatchObject({ errorReason: reason });
    expect(await modem.euicc.listProfiles()).toEqual([]);
    const [notification] = await modem.euicc.listNotifications();
    expect(await installResult(modem, notification!.seqNumber)).toMatchObject({ ok: false, errorReason: reason });
  });

  it('installs a package whose profile elements are protected with profile protection keys', async () => {
    const { modem } = await make();
    expect(await smdp.download(modem, { iccid: '8981100000000000017', ppk: true })).toMatchObject({ iccid: '8981100000000000017' });
    expect((await modem.euicc.listProfiles()).map((p) => p.iccid)).toEqual(['8981100000000000017']);
  });

  it('refuses an ICCID that is already installed (errorReason 9)', async () => {
    const { modem } = await make();
    await smdp.download(modem, { iccid: '8981100000000000017' });
    expect(await smdp.download(modem, { iccid: '8981100000000000017' })).toMatchObject({ errorReason: errorReasons.iccidAlreadyExistsOnEuicc });
    expect(await modem.euicc.listProfiles()).toHaveLength(1);
  });

  it('checks the server: its signature, its trust and the challenge', async () => {
    const { modem } = await make();
    await rejectsWith(smdp.download(modem, { tamper: 'serverSignature' }), 'invalidSignature');
    await rejectsWith(smdp.download(modem, { tamper: 'challenge' }), 'invalidChallenge');
    await rejectsWith((await testSmdp({ foreign: true })).download(modem), 'untrustedServer');
  });

  it.each([
    { step: 'authenticateServer', kind: 'reset' },
    { step: 'prepareDownload', kind: 'reset' },
    { step: 'load', kind: 'reset', afterSegments: 0 },
    { step: 'load', kind: 'reset', afterSegments: 3 },
    { step: 'load', kind: 'errorReason', reason: errorReasons.installInterrupted, afterSegments: 2 },
  ] as DownloadFault[])('leaves no half profile after a fault ($kind at $step), and a retry succeeds', async (fault) => {
    const { modem, world } = await make();
    world.injectDownloadFault(fault);
    const first = await smdp.download(modem, { iccid: '8981100000000000017' }).catch((e: unknown) => e);
    if (fault.kind === 'errorReason') expect(first).toMatchObject({ errorReason: fault.reason });
    else expect((first as ModemError).code).toBe('interrupted');
    expect(await modem.euicc.listProfiles()).toEqual([]);
    expect(await smdp.download(modem, { iccid: '8981100000000000017' })).toMatchObject({ iccid: '8981100000000000017' });
  });

  it('fails everything with gone once unplugged mid-download, and says so once', async () => {
    const { modem, world } = await make();
    const events: ModemEvent[] = [];
    modem.on((e) => events.push(e));
    world.injectDownloadFault({ step: 'load', kind: 'gone', afterSegments: 1 });
    await rejectsWith(smdp.download(modem), 'gone');
    await rejectsWith(modem.euicc.listProfiles(), 'gone');
    await rejectsWith(modem.power(true), 'gone');
    expect(events.filter((e) => e.type === 'gone')).toHaveLength(1);
  });
});

/** What the simulated world adds around its module (coverage, the other party of a call), with a downloaded profile. */
describe('the simulated module, from a downloaded profile to data and calls', () => {
  const make = async () => {
    const modem = new SimModem();
    return { modem, world: modem };
  };

  it('brings data up and down, loses it without coverage, and keeps the roaming flag', async () => {
    const { modem, world } = await make();
    await rejectsWith(modem.startData('onenumber.docomo'), 'notRegistered');
    await smdp.download(modem, { iccid: '8981100000000000017' });
    const onNetwork = registered(modem);
    await modem.euicc.enableProfile('8981100000000000017');
    await onNetwork;
    expect(await modem.startData('onenumber.docomo')).toMatchObject({ state: 'up', apn: 'onenumber.docomo', address: expect.stringMatching(/^10\./) });
    await modem.euicc.setNickname('8981100000000000017', 'car');
    expect((await modem.dataSession()).state).toBe('up');
    const lost = until(modem, (e) => e.type === 'data' && e.session.state === 'down');
    world.setSignal(0);
    await lost;
    expect(await modem.registration()).toMatchObject({ state: 'searching', signal: 0 });
    const back = registered(modem);
    world.setSignal(3);
    expect(await back).toMatchObject({ registration: { signal: 3 } });
    expect(await modem.stopData()).toMatchObject({ state: 'down' });
    await modem.setRoaming(true);
    expect(await modem.roaming()).toBe(true);
  });

  it('places and takes calls only with voice over the eSIM', async () => {
    const { modem, world } = await make();
    await smdp.download(modem, { iccid: '8981100000000000017' });
    const onNetwork = registered(modem);
    await modem.euicc.enableProfile('8981100000000000017');
    await onNetwork;
    await rejectsWith(modem.dial('0312345678'), 'voiceOff');
    await modem.setVoice(true);
    expect((await modem.registration()).voice).toBe(true);
    const call = await modem.dial('0312345678');
    expect(call).toMatchObject({ direction: 'outgoing', state: 'dialing' });
    await until(modem, (e) => e.type === 'call' && e.call.state === 'alerting');
    world.remoteAnswer(call.id);
    expect((await modem.calls())[0]?.state).toBe('active');
    const ringing = world.ring('09012345678');
    expect((await modem.calls()).find((c) => c.id === ringing.id)?.state).toBe('waiting');
    await modem.answer(ringing.id);
    expect((await modem.calls()).map((c) => c.state)).toEqual(['held', 'active']);
    const ended = until(modem, (e) => e.type === 'call' && e.call.state === 'disconnected');
    await modem.hangUp(call.id);
    expect(await ended).toMatchObject({ call: { id: call.id, endReason: 'local' } });
    world.reset();
    expect(await modem.calls()).toEqual([]);
  });
});

describe('the simulated module across a restart of the bench', () => {
  it('keeps its profiles and undelivered notifications in flash, and registers the enabled one again', async () => {
    let flash: EuiccFlash | undefined;
    const first = new SimModem({ onFlash: (f) => (flash = f) });
    first.injectDownloadFault({ step: 'load', kind: 'errorReason', reason: errorReasons.installInterrupted, afterSegments: 1 });
    await smdp.download(first, { iccid: '8981100000000000017' });
    await first.euicc.removeNotification((await first.euicc.listNotifications())[0]!.seqNumber);
    await smdp.download(first, { iccid: '8981100000000000017', tamper: 'bppSignature' });
    await smdp.download(first, { iccid: '8981100000000000017' });
    await first.euicc.enableProfile('8981100000000000017');
    // What it keeps is what the bench's file accepts: the file's schema takes it back unchanged.
    expect(EuiccFlashFile.parse(flash)).toEqual(flash);
    const again = new SimModem({ ...(flash ? { flash } : {}) });
    const registeredAgain = registered(again);
    expect((await again.euicc.listProfiles()).map((p) => [p.iccid, p.state])).toEqual([['8981100000000000017', 'enabled']]);
    expect((await again.euicc.listNotifications()).map((n) => n.event)).toEqual(['install', 'install', 'enable']);
    await registeredAgain;
  });
});
