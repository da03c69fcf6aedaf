import { afterEach, describe, expect, it } from 'vitest';
import { BmwIdClient } from '../../main/bmwId/client';
import { startCloud, type Cloud, type CloudState } from '../../cloud/server';
import { SimModem } from '../../hardware/modem/sim/simModem';
import { Lpa, LpaError } from '../../main/esim/lpa';
import { DownloadSessions } from '../../main/esim/sessions';
import { defaultScenario } from '../../shared/scenario';
import { errorReasons } from '../../shared/esim';

/**
 * The car's LPA against the cloud over HTTP (entitlement and SM-DP+) and the simulated modem: the
 * Personal eSIM from an activated One Number to a registered profile, and what goes wrong on the way.
 */
const clouds: Cloud[] = [];
afterEach(async () => Promise.all(clouds.splice(0).map((c) => c.close().catch(() => undefined))));

async function world(port = 0, smdpPort = 0) {
  const cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port, smdpPort });
  clouds.push(cloud);
  const modem = new SimModem();
  return { cloud, modem, lpa: new Lpa(modem.euicc) };
}

async function tokenFor(cloud: Cloud, email: string, password: string): Promise<string> {
  const response = await fetch(new URL('/oauth/token', cloud.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: email, password, client_id: 'idrive-head-unit' }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The carrier's answer, asked as the car asks it (TS.43 ODSA through the car's own client). */
function entitlement(cloud: Cloud, token: string, eid: string) {
  return new BmwIdClient(() => cloud.url).entitlement(token, eid) as Promise<{
    serviceStatus: string;
    reason?: string;
    activationCode?: string | null;
    msisdn?: string;
    iccid?: string;
  }>;
}

const hanako = (cloud: Cloud) => tokenFor(cloud, 'hanako@example.com', 'onenumber-demo');
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => (e as LpaError).failure,
  );

describe('the Personal eSIM download', () => {
  it('entitlement → download → install → enable → registered on NTT DOCOMO, and the cloud knows', async () => {
    const { cloud, modem, lpa } = await world();
    const token = await hanako(cloud);
    const eid = await modem.euicc.eid();
    const offer = await entitlement(cloud, token, eid);
    expect(offer).toMatchObject({
      serviceStatus: 'activating',
      msisdn: '+81 90-1234-5678',
      activationCode: expect.stringMatching(/^LPA:1\$127\.0\.0\.1:\d+\$[0-9A-F]{24}$/),
    });
    const stages: string[] = [];
    const { iccid } = await lpa.download(offer.activationCode!, (stage) => stages.push(stage));
    expect(iccid).toBe(offer.iccid);
    expect([...new Set(stages)]).toEqual(['authenticating', 'downloading', 'installing', 'notifying']);
    expect(await modem.euicc.listNotifications()).toEqual([]); // delivered
    expect(await entitlement(cloud, token, eid)).toMatchObject({ serviceStatus: 'activated', activationCode: null, iccid });
    const registered = new Promise((resolve) => modem.on((e) => e.type === 'registration' && e.registration.state === 'registered' && resolve(e)));
    await modem.euicc.enableProfile(iccid);
    await registered;
    expect(await modem.registration()).toMatchObject({ operator: { name: 'NTT DOCOMO', plmn: '440 10' } });
  });

  it('makes an order any LPA can download from the admin endpoint, bound to the first eUICC that asks', async () => {
    const { cloud, modem, lpa } = await world();
    const made = await fetch(new URL('/admin/smdp/orders', cloud.url), { method: 'POST' });
    expect(made.status).toBe(200);
    const order = (await made.json()) as { activationCode: string; matchingId: string; iccid: string };
    expect(order.activationCode).toBe(`LPA:1$${cloud.smdpAddress}$${order.matchingId}`);
    expect((await lpa.download(order.activationCode)).iccid).toBe(order.iccid);
    expect((await modem.euicc.listProfiles()).map((p) => [p.iccid, p.profileName])).toEqual([[order.iccid, 'Bench profile']]);
    // Now it belongs to that eUICC: another one is refused with SGP.22's code.
    const other = new SimModem({ eid: '89049032000000000000000000009999' });
    expect(await failureOf(new Lpa(other.euicc).download(order.activationCode))).toMatchObject({ kind: 'refused', subjectCode: '8.1.1', reasonCode: '3.8' });
    // A body that names what it wants is checked.
    const bad = await fetch(new URL('/admin/smdp/orders', cloud.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ eid: '123' }),
    });
    expect(bad.status).toBe(400);
  });

  it('installs an order the bench asked to protect with profile protection keys, through ES9+ and the card', async () => {
    const { cloud, modem, lpa } = await world();
    const made = await fetch(new URL('/admin/smdp/orders', cloud.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ protection: 'ppk' }),
    });
    const order = (await made.json()) as { activationCode: string; iccid: string };
    expect((await lpa.download(order.activationCode)).iccid).toBe(order.iccid);
    expect((await modem.euicc.listProfiles()).map((p) => p.iccid)).toEqual([order.iccid]);
  });

  it('tells a BMW ID without One Number, and a second car without the Multi-Device Option, why not', async () => {
    const { cloud, modem } = await world();
    const taro = await tokenFor(cloud, 'taro@example.com', 'bmw-id-demo');
    expect(await entitlement(cloud, taro, await modem.euicc.eid())).toEqual({ serviceStatus: 'deactivated', reason: 'noLine' });
    await fetch(new URL('/admin/carrier/lines/hanako@example.com', cloud.url), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ msisdn: '+81 90-1234-5678', subscribed: true, multiDevice: false, associated: false }),
    });
    expect(await entitlement(cloud, await hanako(cloud), await modem.euicc.eid())).toMatchObject({ serviceStatus: 'deactivated', reason: 'notAssociated' });
  });

  it('cancels the session after a modem reset mid-install, leaves nothing, and the retry installs', async () => {
    const { cloud, modem, lpa } = await world();
    const offer = await entitlement(cloud, await hanako(cloud), await modem.euicc.eid());
    modem.injectDownloadFault({ step: 'load', kind: 'reset', afterSegments: 4 });
    expect(await failureOf(lpa.download(offer.activationCode!))).toEqual({ kind: 'modem', code: 'interrupted' });
    expect(await modem.euicc.listProfiles()).toEqual([]);
    expect((await lpa.download(offer.activationCode!)).iccid).toBe(offer.iccid);
  });

  it('reports errorReason 11 (interrupted), notifies the SM-DP+, and the retry installs', async () => {
    const { cloud, modem, lpa } = await world();
    const offer = await entitlement(cloud, await hanako(cloud), await modem.euicc.eid());
    modem.injectDownloadFault({ step: 'load', kind: 'errorReason', reason: errorReasons.installInterrupted, afterSegments: 2 });
    expect(await failureOf(lpa.download(offer.activationCode!))).toEqual({ kind: 'errorReason', reason: 11 });
    expect(await modem.euicc.listNotifications()).toEqual([]);
    expect((await lpa.download(offer.activationCode!)).iccid).toBe(offer.iccid);
  });

  it('is refused an expired order (8.8.5/4.1) and a profile ordered for another car (8.1.1/3.8)', async () => {
    const { cloud, modem, lpa } = await world();
    const token = await hanako(cloud);
    const offer = await entitlement(cloud, token, '89049032000000000000000000000001');
    expect(await failureOf(lpa.download(offer.activationCode!))).toMatchObject({ kind: 'refused', subjectCode: '8.1.1', reasonCode: '3.8' });
    const mine = await entitlement(cloud, token, await modem.euicc.eid());
    const matchingId = mine.activationCode!.split('$')[2]!;
    await fetch(new URL(`/admin/smdp/orders/${matchingId}/expire`, cloud.url), { method: 'POST' });
    expect(await failureOf(lpa.download(mine.activationCode!))).toMatchObject({ kind: 'refused', subjectCode: '8.8.5', reasonCode: '4.1' });
    expect(await modem.euicc.listProfiles()).toEqual([]);
  });

  it('keeps notifications while the network is gone and sends them once it is back', async () => {
    const { cloud, modem, lpa } = await world();
    const offer = await entitlement(cloud, await hanako(cloud), await modem.euicc.eid());
    const { iccid } = await lpa.download(offer.activationCode!);
    const port = Number(new URL(cloud.url).port);
    const smdpPort = Number(cloud.smdpAddress.split(':')[1]);
    await cloud.close();
    await modem.euicc.enableProfile(iccid);
    await modem.euicc.disableProfile(iccid);
    await modem.euicc.deleteProfile(iccid);
    await expect(lpa.sendNotifications()).rejects.toBeInstanceOf(LpaError);
    expect((await modem.euicc.listNotifications()).map((n) => n.event)).toEqual(['enable', 'disable', 'delete']);
    await world(port, smdpPort); // the cloud is back at the same addresses
    expect(await lpa.sendNotifications()).toBe(3);
    expect(await modem.euicc.listNotifications()).toEqual([]);
  });
});

/** A download whose eUICC never returns from loading the package (the power went): resolves once it is installing. */
async function powerCutWhileInstalling(modem: SimModem, sessions: DownloadSessions, activationCode: string): Promise<void> {
  let installing = () => {};
  const cut = new Promise<void>((resolve) => (installing = resolve));
  const frozen = new Proxy(modem.euicc, {
    get: (target, key) =>
      key === 'loadBoundProfilePackage' ? () => new Promise(() => {}) : (target[key as keyof typeof target] as (...a: unknown[]) => unknown).bind(target),
  });
  void new Lpa(frozen, undefined, sessions).download(activationCode, (stage) => stage === 'installing' && installing());
  await cut;
}

describe('a download cut off by a power cut', () => {
  it('is cancelled at the SM-DP+ at the next start, from the session the LPA wrote down, and its order released', async () => {
    let state: CloudState | undefined;
    const cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0, onChange: (s) => (state = s) });
    clouds.push(cloud);
    const modem = new SimModem();
    const sessions = new DownloadSessions();
    const offer = await entitlement(cloud, await hanako(cloud), await modem.euicc.eid());
    // The power goes while the eUICC loads the package: the load never returns, nothing after it runs.
    await powerCutWhileInstalling(modem, sessions, offer.activationCode!);
    expect(sessions.list()).toHaveLength(1);
    expect(state?.orders[0]?.state).toBe('downloaded');
    // Without the cancel, the SM-DP+ holds the order for the open session.
    expect(await failureOf(new Lpa(modem.euicc).download(offer.activationCode!))).toMatchObject({ kind: 'refused', subjectCode: '8.2.6', reasonCode: '3.8' });

    // The next start: the eUICC lost its session with the power; the LPA cancels it at the SM-DP+.
    await new Lpa(modem.euicc, undefined, sessions).reconcile();
    expect(sessions.list()).toEqual([]);
    expect(state?.orders[0]?.state).toBe('released');
    expect((await new Lpa(modem.euicc, undefined, sessions).download(offer.activationCode!)).iccid).toBe(offer.iccid);
    expect(sessions.list()).toEqual([]);
  });

  it('finds the embedded SM-DP+ at the same address after the bench restarts, so the cut-off session is cancelled there', async () => {
    let state: CloudState | undefined;
    const first = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0, onChange: (s) => (state = s) });
    const modem = new SimModem();
    const sessions = new DownloadSessions();
    const offer = await entitlement(first, await hanako(first), await modem.euicc.eid());
    await powerCutWhileInstalling(modem, sessions, offer.activationCode!);
    // The bench is killed; its next start takes the world it saved.
    await first.close();
    const again = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0, state: state!, onChange: (s) => (state = s) });
    clouds.push(again);
    expect(again.smdpAddress).toBe(first.smdpAddress);
    // (the SM-DP+ there answers for the session: it no longer knows it, so the car stops asking)
    await new Lpa(modem.euicc, undefined, sessions).reconcile();
    expect(sessions.list()).toEqual([]);
    expect((await new Lpa(modem.euicc, undefined, sessions).download(offer.activationCode!)).iccid).toBe(offer.iccid);
  });

  it('keeps the session while the SM-DP+ cannot be told, and forgets one the SM-DP+ no longer knows', async () => {
    const { cloud, modem } = await world();
    const sessions = new DownloadSessions();
    await sessions.open({ transactionId: '0123456789ABCDEF0123456789ABCDEF', smdpAddress: cloud.smdpAddress });
    await sessions.open({ transactionId: 'FEDCBA9876543210FEDCBA9876543210', smdpAddress: '127.0.0.1:9' });
    await new Lpa(modem.euicc, 2000, sessions).reconcile();
    expect(sessions.list().map((s) => s.transactionId)).toEqual(['FEDCBA9876543210FEDCBA9876543210']);
  });
});
