import { afterEach, describe, expect, it } from 'vitest';
import { automationHandlers, fixedCar } from '../../main/hosts/handlers';
import { parseCommand } from '../../main/automation/console';
import { automationContract } from '../../shared/contract';
import { carWithCloud, type CarWithCloud } from '../support/carWithCloud';
import { SiteClient } from '../support/siteClient';
import { useTempDirs } from '../support/tempDir';

/**
 * The bench gives a BMW ID an NTT DOCOMO line (`world.cloud`): a new BMW ID from "Register now"
 * no longer dead-ends at the app's "No NTT DOCOMO contract", and the line's secrets never come back.
 */
const tempDir = useTempDirs();
let car: CarWithCloud | undefined;
afterEach(async () => {
  await car?.stop();
  car = undefined;
});
const noDisplay = () => Promise.reject(new Error('no display here'));
/** Until the car's screen id passes `check` (checked at once, then at each change). */
function untilScreen(core: CarWithCloud['core'], check: (screen: string) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      if (!check(core.snapshot().screen)) return;
      off();
      resolve();
    };
    const off = core.onView(done);
    done();
  });
}

/** Hanako's phone through the My BMW app's STEP 1 to NTT DOCOMO's site (her line's number given). */
async function hanakoToDocomo(cloudUrl: string, msisdn: string): Promise<SiteClient> {
  const phone = new SiteClient(cloudUrl, 'en-US');
  await phone.get('/app/login');
  await phone.post('/app/login', { email: 'hanako@example.com', password: 'onenumber-demo' });
  await phone.post('/app/pin', { pin: '2580' });
  await phone.post('/app/pin/confirm', { pin: '2580' });
  await phone.post('/app/terms', { agree: 'on' });
  await phone.get('/app/esim/activate');
  await phone.post('/app/esim/activate', { country: 'JP', provider: 'docomo', last4: msisdn.slice(-4) });
  return phone;
}

describe('the cloud from the bench', () => {
  it('gives a newly registered BMW ID a line, after which STEP 1 goes on to NTT DOCOMO', async () => {
    car = await carWithCloud(await tempDir());
    const automation = automationHandlers(fixedCar(car.core), noDisplay);
    const phone = new SiteClient(car.cloud.url, 'en-US');
    await phone.get('/app/register');
    await phone.post('/app/register', { name: 'Saburo Ito', email: 'saburo@example.com', password: 'long-enough-1' });
    await phone.post('/app/pin', { pin: '2580' });
    await phone.post('/app/pin/confirm', { pin: '2580' });
    await phone.post('/app/terms', { agree: 'on' });
    await phone.get('/app/esim/activate');
    await phone.post('/app/esim/activate', { country: 'JP', provider: 'docomo', last4: '2222' });
    // the dead end, said with the way forward, and the page answered as a page
    expect(phone.status).toBe(200);
    expect(phone.page).toContain('No NTT DOCOMO contract is known for this BMW ID');
    expect(phone.page).toContain('cloud line');

    const before = await automation['world.cloud']({ action: 'accounts' });
    expect(before.accounts!.find((a) => a.email === 'saburo@example.com')).toEqual({ email: 'saburo@example.com', name: 'Saburo Ito', line: null });
    const after = await automation['world.cloud']({
      action: 'giveLine',
      email: 'saburo@example.com',
      msisdn: '+81 90-1111-2222',
      networkPin: '4321',
      dAccount: 'saburo.docomo',
      dPassword: 'docomo-demo-9',
    });
    expect(after.accounts!.find((a) => a.email === 'saburo@example.com')!.line).toEqual({
      msisdn: '+81 90-1111-2222',
      subscribed: false,
      multiDevice: false,
      associated: false,
      dAccount: 'saburo.docomo',
    });
    // no secret of any line comes back
    expect(JSON.stringify(after)).not.toMatch(/docomo-demo|4321|networkPin|dPassword|password/);
    expect(car.core.timeline.since(0).map((e) => e.text)).toContain('cloud giveLine saburo@example.com');

    await phone.post('/app/esim/activate', { country: 'JP', provider: 'docomo', last4: '2222' });
    expect(phone.url).toContain('/docomo/');
    // the network PIN given is the one the carrier's site asks for
    await phone.post('/docomo/login/pin', { pin: '4321' });
    expect(phone.page).toContain('ワンナンバーサービス未契約');
  });

  it('refuses an unknown BMW ID with its e-mail, and takes a line away', async () => {
    car = await carWithCloud(await tempDir());
    const automation = automationHandlers(fixedCar(car.core), noDisplay);
    await expect(automation['world.cloud']({ action: 'removeLine', email: 'nobody@example.com' })).rejects.toThrow(
      'the cloud has no BMW ID "nobody@example.com"',
    );
    const after = await automation['world.cloud']({ action: 'removeLine', email: 'ichiro@example.com' });
    expect(after.accounts!.find((a) => a.email === 'ichiro@example.com')!.line).toBeNull();
  });

  it("rewinds STEP 1 for a line and sets how far it got, so STEP 1 can be shown again; reads the line's text messages", async () => {
    car = await carWithCloud(await tempDir());
    const automation = automationHandlers(fixedCar(car.core), noDisplay);
    const hanako = (r: { accounts?: { email: string; line: unknown }[] }) => r.accounts!.find((a) => a.email === 'hanako@example.com')!.line;
    expect(hanako(await automation['world.cloud']({ action: 'rewindStep1', email: 'hanako@example.com' }))).toEqual({
      msisdn: expect.any(String),
      subscribed: false,
      multiDevice: false,
      associated: false,
      dAccount: 'hanako.docomo',
    });
    // The phone's STEP 1 starts over: the carrier's site says One Number is not subscribed.
    const phone = await hanakoToDocomo(car.cloud.url, (hanako(await automation['world.cloud']({ action: 'accounts' })) as { msisdn: string }).msisdn);
    await phone.post('/docomo/login/pin', { pin: '5678' });
    expect(phone.page).toContain('ワンナンバーサービス未契約');
    // Subscribed with the option, not yet associated: only what was asked changes.
    expect(hanako(await automation['world.cloud']({ action: 'setLine', email: 'hanako@example.com', subscribed: true, multiDevice: true }))).toMatchObject({
      subscribed: true,
      multiDevice: true,
      associated: false,
    });
    expect(car.core.timeline.since(0).map((e) => e.text)).toEqual(
      expect.arrayContaining(['cloud rewindStep1 hanako@example.com', 'cloud setLine hanako@example.com']),
    );
    const sms = await automation['world.cloud']({ action: 'sms', email: 'hanako@example.com' });
    expect(sms.sms).toEqual({ msisdn: expect.any(String), messages: expect.any(Array) });
    await expect(automation['world.cloud']({ action: 'setLine', email: 'taro@example.com', subscribed: true })).rejects.toThrow(
      'taro@example.com has no NTT DOCOMO line: give it one first',
    );
    await expect(automation['world.cloud']({ action: 'sms', email: 'taro@example.com' })).rejects.toThrow(/no NTT DOCOMO line/);
    expect(parseCommand('cloud rewind hanako@example.com')).toEqual(['world.cloud', { action: 'rewindStep1', email: 'hanako@example.com' }]);
    expect(parseCommand('cloud set hanako@example.com subscribed=on multidevice=off')).toEqual([
      'world.cloud',
      { action: 'setLine', email: 'hanako@example.com', subscribed: true, multiDevice: false },
    ]);
    expect(parseCommand('cloud set hanako@example.com colour=red')).toMatchObject({ message: expect.stringContaining('not "colour=red"') });
    expect(parseCommand('cloud sms hanako@example.com')).toEqual(['world.cloud', { action: 'sms', email: 'hanako@example.com' }]);
  });

  it('takes the cloud down for the car (unreachable, failing, slow) and brings it back; the phone pages stay up', async () => {
    car = await carWithCloud(await tempDir());
    const automation = automationHandlers(fixedCar(car.core), noDisplay);
    const core = car.core;
    const qrLogin = async () => {
      for (const id of ['bmwId', 'add', 'qr']) core.input({ kind: 'touch', itemId: id });
      await untilScreen(core, (s) => s === 'login.failed' || s === 'login.qr');
      return core.snapshot();
    };
    expect((await automation['world.cloud']({ action: 'outage', mode: 'unreachable' })).outage).toEqual({ mode: 'unreachable' });
    expect((await qrLogin()).items[0]?.label).toBe('The BMW ID service cannot be reached. Check the connection and try again.');
    // (the phone's pages are not the car's requests: they stay up)
    const phone = new SiteClient(car.cloud.url, 'en-US');
    await phone.get('/app/login');
    expect(phone.status).toBe(200);
    await automation['world.cloud']({ action: 'outage', mode: 'error' });
    core.input({ kind: 'touch', itemId: 'retry' });
    await untilScreen(
      core,
      (s) => s === 'login.failed' && core.snapshot().items[0]?.label !== 'The BMW ID service cannot be reached. Check the connection and try again.',
    );
    expect(core.snapshot().items[0]?.label).toBe('The BMW ID service has a problem. Try again later.');
    expect((await automation['world.cloud']({ action: 'outage', mode: 'slow', delaySeconds: 0.2 })).outage).toEqual({ mode: 'slow', delaySeconds: 0.2 });
    core.input({ kind: 'touch', itemId: 'retry' });
    await untilScreen(core, (s) => s === 'login.qr' || s === 'login.failed');
    expect(core.snapshot().screen).toBe('login.qr');
    await automation['world.cloud']({ action: 'outage', mode: 'none' });
    expect(core.timeline.since(0).map((e) => e.text)).toEqual(
      expect.arrayContaining(['cloud outage unreachable', 'cloud outage error', 'cloud outage slow', 'cloud outage none']),
    );
    expect(parseCommand('cloud outage slow 12')).toEqual(['world.cloud', { action: 'outage', mode: 'slow', delaySeconds: 12 }]);
    expect(parseCommand('cloud outage none')).toEqual(['world.cloud', { action: 'outage', mode: 'none' }]);
  });

  it("changes the QR code's lifetime and how the phone reaches the carrier's site while the cloud runs; lists the SM-DP+'s orders; sets the world's pace", async () => {
    car = await carWithCloud(await tempDir());
    const automation = automationHandlers(fixedCar(car.core), noDisplay);
    const core = car.core;
    expect((await automation['world.cloud']({ action: 'behaviour' })).behaviour).toEqual({ deviceCodeLifetimeSeconds: 600, phoneOn: 'wifi' });
    // (a read, as parsed from a client, changes nothing: no field is filled in by a default)
    expect(automationContract['world.cloud'].request.parse({ action: 'behaviour' })).toEqual({ action: 'behaviour' });
    // The next QR code the car shows lives 45 s.
    expect((await automation['world.cloud']({ action: 'behaviour', deviceCodeLifetimeSeconds: 45 })).behaviour).toEqual({
      deviceCodeLifetimeSeconds: 45,
      phoneOn: 'wifi',
    });
    for (const id of ['bmwId', 'add', 'qr']) core.input({ kind: 'touch', itemId: id });
    await untilScreen(core, (s) => s === 'login.qr');
    expect(core.snapshot().qr?.timeLeft).toMatch(/0:4[0-5]/);
    // On cellular, the carrier's site asks the phone for the network PIN; on Wi-Fi, for the d ACCOUNT.
    const carrierLogin = async () => {
      const line = (await automation['world.cloud']({ action: 'accounts' })).accounts!.find((a) => a.email === 'hanako@example.com')!.line!;
      return (await hanakoToDocomo(car!.cloud.url, line.msisdn)).page;
    };
    await automation['world.cloud']({ action: 'behaviour', phoneOn: 'cellular' });
    expect(await carrierLogin()).toContain('/docomo/login/pin');
    await automation['world.cloud']({ action: 'behaviour', phoneOn: 'wifi' });
    expect(await carrierLogin()).toContain('/docomo/login/daccount');
    expect(core.timeline.since(0).map((e) => e.text)).toEqual(
      expect.arrayContaining(['cloud behaviour deviceCodeLifetimeSeconds 45', 'cloud behaviour phoneOn cellular']),
    );
    // An order made for any LPA is listed as the bench's, not yet bound to an eUICC.
    const made = (await (
      await fetch(new URL('/admin/smdp/orders', car.cloud.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    ).json()) as { matchingId: string };
    const { orders } = await automation['world.cloud']({ action: 'orders' });
    expect(orders?.[0]).toEqual({
      matchingId: made.matchingId,
      owner: '(bench)',
      eid: '',
      msisdn: '+81 90-0000-0000',
      iccid: expect.stringMatching(/^898110\d{13}$/),
      state: 'released',
      expiresAt: expect.any(String),
    });
    // The simulated module and phones at half a real pace, then at once again.
    expect(await automation['world.pace']({ pace: 2 })).toEqual({ pace: 2 });
    expect(core.worldState().pace).toBe(2);
    await automation['world.pace']({ pace: 0 });
    expect(core.worldState().pace).toBe(0);
    expect(parseCommand('cloud phone cellular')).toEqual(['world.cloud', { action: 'behaviour', phoneOn: 'cellular' }]);
    expect(parseCommand('cloud qr 30')).toEqual(['world.cloud', { action: 'behaviour', deviceCodeLifetimeSeconds: 30 }]);
    expect(parseCommand('cloud qr 0')).toMatchObject({ message: expect.stringContaining('usage: cloud qr') });
    expect(parseCommand('cloud orders')).toEqual(['world.cloud', { action: 'orders' }]);
    expect(parseCommand('cloud order')).toEqual(['world.cloud', { action: 'makeOrder' }]);
    expect(parseCommand('cloud order ppk')).toEqual(['world.cloud', { action: 'makeOrder', protection: 'ppk' }]);
    expect(parseCommand('cloud order sealed')).toMatchObject({ message: expect.stringContaining('cloud order [ppk]') });
    expect(parseCommand('cloud expire 0A1B2C')).toEqual(['world.cloud', { action: 'expireOrder', matchingId: '0A1B2C' }]);
    expect(parseCommand('pace 0.5')).toEqual(['world.pace', { pace: 0.5 }]);
    // The outside temperature the status bar shows, from the bench, until the scenario is loaded again.
    expect(core.snapshot().status.outsideTemperature).toBe(18);
    expect((await automation['world.outside']({ temperatureC: -3.4 })).status.outsideTemperature).toBe(-3);
    await automation['world.reset']({});
    expect(core.snapshot().status.outsideTemperature).toBe(18);
    expect(parseCommand('outside -5')).toEqual(['world.outside', { temperatureC: -5 }]);
    expect(parseCommand('outside hot')).toMatchObject({ message: expect.stringContaining('usage: outside') });
    expect(parseCommand('pace fast')).toMatchObject({ message: expect.stringContaining('usage: pace') });
  });

  it('is typed in the line console as "cloud", "cloud line …" and "cloud noline …"', () => {
    expect(parseCommand('cloud')).toEqual(['world.cloud', { action: 'accounts' }]);
    expect(parseCommand('cloud line new@example.com +819011112222 1234 new.docomo docomo-demo-9')).toEqual([
      'world.cloud',
      { action: 'giveLine', email: 'new@example.com', msisdn: '+819011112222', networkPin: '1234', dAccount: 'new.docomo', dPassword: 'docomo-demo-9' },
    ]);
    expect(parseCommand('cloud noline new@example.com')).toEqual(['world.cloud', { action: 'removeLine', email: 'new@example.com' }]);
    expect(parseCommand('cloud line new@example.com')).toEqual({ message: expect.stringContaining('usage: cloud') });
  });
});
