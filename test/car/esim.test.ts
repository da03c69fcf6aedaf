import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core';
import { Lpa } from '../../main/esim/lpa';
import { carWithCloud, untilView, type CarWithCloud } from '../support/carWithCloud';
import { useTempDirs } from '../support/tempDir';
import { addByEmail } from '../support/driver';

/** The Personal eSIM on the car (guide STEP 2 steps 10–15), with the cloud over HTTP and the simulated modem. */
const tempDir = useTempDirs();
let car: CarWithCloud;
afterEach(async () => car?.stop());

const touch = (core: Core, itemId: string) => core.input({ kind: 'touch', itemId });

/** Waits until the modem's IMS voice registration is as asked (it reports every change as an event). */
async function voiceIs(core: Core, voice: boolean): Promise<void> {
  if ((await core.modem.registration()).voice === voice) return;
  await new Promise<void>((resolve) => {
    const stop = core.modem.on((event) => {
      if (event.type === 'registration' && event.registration.voice === voice) {
        stop();
        resolve();
      }
    });
  });
}
/** Waits until the eUICC's profiles are in these states (it reports every change as an event). */
async function profilesAre(core: Core, states: string[]): Promise<void> {
  const now = async () => JSON.stringify((await core.modem.euicc.listProfiles()).map((p) => p.state)) === JSON.stringify(states);
  if (await now()) return;
  await new Promise<void>((resolve) => {
    const stop = core.modem.on((event) => {
      if (event.type === 'profiles' && JSON.stringify(event.profiles.map((p) => p.state)) === JSON.stringify(states)) {
        stop();
        resolve();
      }
    });
  });
}
const esimRow = (core: Core) => core.snapshot().items.find((i) => i.id === 'esim')?.detail;

describe('the Personal eSIM on the car', () => {
  it('sets up after the BMW ID login, offers telephony, and ends Connected with both switches ticked', async () => {
    car = await carWithCloud(await tempDir());
    const core = car.core;
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    touch(core, 'mobileDevices');
    expect(core.snapshot().items[0]).toMatchObject({ label: 'Personal eSIM', detail: 'Setting up personal eSIM…' });
    await untilView(core, () => core.snapshot().popup?.id === 'esim.telephony');
    expect(core.snapshot().popup?.items.map((i) => i.id)).toEqual(['activate', 'notNow']);
    core.input({ kind: 'press' }); // Also activate telephone functions (the default)
    // Step 13 follows: the car searches for the phone; the driver can come back to it later.
    expect(core.snapshot().screen).toBe('bt.search');
    core.input({ kind: 'button', button: 'BACK' });
    await untilView(core, () => esimRow(core) === 'Connected');
    touch(core, 'esim');
    await untilView(core, () => core.snapshot().items.find((i) => i.id === 'voice')?.checked === true);
    await untilView(core, () => core.view().status.data);
    const page = core.snapshot();
    expect(page.items.filter((i) => i.kind === 'check').map((i) => [i.id, i.checked])).toEqual([
      ['voice', true],
      ['data', true],
      ['roaming', false],
    ]);
    expect(page.items.find((i) => i.id === 'number')?.label).toContain('+81 90-1234-5678');
    await voiceIs(core, true);
    expect(await core.modem.registration()).toMatchObject({ state: 'registered', operator: { plmn: '440 10' }, voice: true });
    expect((await core.modem.dataSession()).state).toBe('up');
    expect(core.view().status).toMatchObject({ network: { operator: 'NTT DOCOMO' }, data: true });

    // The switches drive the modem.
    touch(core, 'data');
    await untilView(core, () => core.snapshot().items.find((i) => i.id === 'data')?.checked === false);
    await untilView(core, () => !core.view().status.data);
    expect((await core.modem.dataSession()).state).toBe('down');
  });

  it("is not confused by a profile it did not install: another LPA's profile is not its line, and leaves it alone", async () => {
    car = await carWithCloud(await tempDir());
    const core = car.core;
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    touch(core, 'mobileDevices');
    await untilView(core, () => core.snapshot().popup?.id === 'esim.telephony');
    core.input({ kind: 'button', button: 'BACK' });
    await untilView(core, 'Connected', () => esimRow(core) === 'Connected');
    const [own] = await core.modem.euicc.listProfiles();
    // A bench tool (another LPA on the same module) downloads a profile of its own and switches to it.
    const order = (await (await fetch(new URL('/admin/smdp/orders', car.cloud.url), { method: 'POST' })).json()) as { activationCode: string; iccid: string };
    const other = new Lpa(core.modem.euicc);
    await other.download(order.activationCode);
    await core.modem.euicc.enableProfile(order.iccid);
    await untilView(core, 'No network while the other profile is enabled', () => esimRow(core) === 'No network');
    // Back to the car's own profile: its line again; the other profile deleted: the car's stays.
    await core.modem.euicc.enableProfile(own!.iccid);
    await untilView(core, 'Connected again', () => esimRow(core) === 'Connected');
    await core.modem.euicc.deleteProfile(order.iccid);
    await other.sendNotifications();
    expect((await core.modem.euicc.listProfiles()).map((p) => [p.iccid, p.state])).toEqual([[own!.iccid, 'enabled']]);
    expect(esimRow(core)).toBe('Connected');
  });

  it('tells a BMW ID without Personal eSIM what to do (STEP 1)', async () => {
    car = await carWithCloud(await tempDir());
    const core = car.core;
    await addByEmail(core, 'taro@example.com', 'bmw-id-demo', null);
    touch(core, 'mobileDevices');
    await untilView(core, () => esimRow(core) === 'Not available');
    touch(core, 'esim');
    expect(core.snapshot().items[0]?.label).toMatch(/Activate it in the My BMW App \(STEP 1/);
    expect(await core.modem.euicc.listProfiles()).toEqual([]);
  });
});

describe('removing a BMW ID with a Personal eSIM', () => {
  it('deletes its eSIM profile from the eUICC after the driver confirms, and tells the SM-DP+', async () => {
    car = await carWithCloud(await tempDir());
    const core = car.core;
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    await untilView(core, () => core.snapshot().popup?.id === 'esim.telephony');
    touch(core, 'notNow');
    expect((await core.modem.euicc.listProfiles()).map((p) => p.state)).toEqual(['enabled']);
    touch(core, 'bmwId');
    touch(core, core.snapshot().items.find((i) => i.label === 'Hanako Suzuki')!.id);
    touch(core, 'remove');
    expect(core.snapshot().popup?.text).toContain('Personal eSIM are deleted');
    touch(core, 'confirm');
    await untilView(core, () => core.snapshot().screen === 'bmwId' && core.snapshot().items.every((i) => i.label !== 'Hanako Suzuki'));
    expect(await core.modem.euicc.listProfiles()).toEqual([]);
    expect(await core.modem.euicc.listNotifications()).toEqual([]); // delivered to the SM-DP+
  });
});

describe('the Personal eSIM follows the BMW ID', () => {
  it('switching to another profile disables (not deletes) the eSIM, and switching back enables it again', async () => {
    car = await carWithCloud(await tempDir());
    const core = car.core;
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    await untilView(core, () => core.snapshot().popup?.id === 'esim.telephony');
    touch(core, 'notNow');
    await addByEmail(core, 'taro@example.com', 'bmw-id-demo', null);
    await profilesAre(core, ['disabled']); // Taro has no eSIM: Hanako's is disabled, and kept
    expect(core.view().status.network).toBeNull();
    touch(core, 'bmwId');
    touch(core, core.snapshot().items.find((i) => i.label === 'Hanako Suzuki')!.id);
    await core.waitForScreen('menu', 5000);
    await profilesAre(core, ['enabled']);
    await untilView(core, () => core.view().status.network?.operator === 'NTT DOCOMO');
    touch(core, 'bmwId');
    touch(core, 'profile.guest');
    await profilesAre(core, ['disabled']); // a Guest uses no eSIM
    expect(core.view().status.profile).toBe('Guest');
  });
});

describe('an expired BMW ID token', () => {
  it('is renewed with the refresh token before the car asks the carrier again, and kept', async () => {
    let clock = Date.now();
    const dir = await tempDir();
    car = await carWithCloud(dir, undefined, () => new Date(clock));
    const core = car.core;
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    await untilView(core, () => core.snapshot().popup?.id === 'esim.telephony');
    touch(core, 'notNow');
    const before = JSON.parse(await readFile(join(dir, 'tokens.json'), 'utf8')).data;
    // Two hours later the access token (an hour's) has run out; the car needs the carrier again.
    clock += 2 * 3600_000;
    touch(core, 'bmwId');
    touch(core, 'profile.guest');
    await profilesAre(core, ['disabled']);
    touch(core, 'bmwId');
    touch(core, core.snapshot().items.find((i) => i.label === 'Hanako Suzuki')!.id);
    await core.waitForScreen('menu', 5000);
    await profilesAre(core, ['enabled']);
    touch(core, 'mobileDevices');
    await untilView(core, () => esimRow(core) === 'Connected');
    const after = JSON.parse(await readFile(join(dir, 'tokens.json'), 'utf8')).data;
    const [id] = Object.keys(before);
    expect(after[id!].accessToken).not.toBe(before[id!].accessToken);
    expect(after[id!].refreshToken).not.toBe(before[id!].refreshToken);
    expect(after[id!].expiresAt).toBe(clock + 3600_000);
  });
});

describe("the Personal eSIM's check boxes", () => {
  it('stay as the driver left them, per BMW ID, across a restart', async () => {
    car = await carWithCloud(await tempDir());
    let core = car.core;
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    await untilView(core, 'the telephony offer', () => core.snapshot().popup?.id === 'esim.telephony');
    touch(core, 'activate');
    core.input({ kind: 'button', button: 'BACK' }); // out of the pairing search
    touch(core, 'mobileDevices');
    await untilView(core, 'Connected', () => esimRow(core) === 'Connected');
    touch(core, 'esim');
    touch(core, 'data');
    await untilView(core, 'data off', () => !core.view().status.data);
    core = await car.restart();
    touch(core, 'mobileDevices');
    await untilView(core, 'Connected after the restart', () => esimRow(core) === 'Connected');
    touch(core, 'esim');
    await untilView(core, 'the check boxes', () => core.snapshot().items.some((i) => i.id === 'voice'));
    expect(
      core
        .snapshot()
        .items.filter((i) => i.kind === 'check')
        .map((i) => [i.id, i.checked]),
    ).toEqual([
      ['voice', true],
      ['data', false],
      ['roaming', false],
    ]);
    await voiceIs(core, true);
    expect((await core.modem.dataSession()).state).toBe('down');
  });
});

describe('a factory reset', () => {
  it('deletes the Personal eSIM from the eUICC, tells the SM-DP+, says it is done, and the next login sets it up anew', async () => {
    car = await carWithCloud(await tempDir());
    const core = car.core;
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    await untilView(core, () => core.snapshot().popup?.id === 'esim.telephony');
    touch(core, 'notNow');
    await profilesAre(core, ['enabled']);

    const done = await core.reset();
    expect(done.popup).toMatchObject({ id: 'reset.done' });
    expect(done.popup?.text).toContain('Personal eSIM were deleted');
    expect(await core.modem.euicc.listProfiles()).toEqual([]);
    // the delete notification reached the SM-DP+: nothing is left to send
    expect(await core.modem.euicc.listNotifications()).toEqual([]);
    core.input({ kind: 'press' }); // OK

    // A new login finds no eSIM left behind: it is set up again, and telephony offered again (guide steps 11–12).
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    touch(core, 'mobileDevices');
    expect(core.snapshot().items[0]).toMatchObject({ label: 'Personal eSIM', detail: 'Setting up personal eSIM…' });
    await untilView(core, () => core.snapshot().popup?.id === 'esim.telephony');
    await profilesAre(core, ['enabled']);
  });
});

describe('pop-ups', () => {
  it('queue: an incoming call over another pop-up does not erase it', async () => {
    car = await carWithCloud(await tempDir());
    const core = car.core;
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    await untilView(core, () => core.snapshot().popup?.id === 'esim.telephony');
    touch(core, 'activate'); // telephony over the eSIM: the car can be called
    core.input({ kind: 'button', button: 'BACK' });
    await voiceIs(core, true);
    core.input({ kind: 'button', button: 'OPTION' });
    expect(core.snapshot().popup?.id).toBe('options');
    core.world()!.apply({ action: 'ring', number: '03-1234-5678' });
    await untilView(core, () => core.snapshot().popup?.id === 'call.incoming');
    touch(core, 'decline');
    // the pop-up beneath is back, and a choice in it closes it by the one rule
    await untilView(core, () => core.snapshot().popup?.id === 'options');
    touch(core, 'close');
    expect(core.snapshot().popup).toBeNull();
  });
});
