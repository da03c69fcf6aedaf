import { parseCommand } from '../../main/automation/console';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type Cloud } from '../../cloud/server';
import { SimModem } from '../../hardware/modem/sim/simModem';
import type { DownloadFault } from '../../hardware/modem/sim/simEuicc';
import { Core } from '../../main/core';
import { errorReasons } from '../../shared/esim';
import { defaultScenario } from '../../shared/scenario';
import { untilView as until } from '../support/carWithCloud';
import { useTempDirs } from '../support/tempDir';
import { automationHandlers, fixedCar } from '../../main/hosts/handlers';
import { simulatedParts } from '../../main/world';
import { addByEmail } from '../support/driver';

/**
 * The Personal eSIM set-up under faults at every step (fast-check): modem resets and each
 * errorReason during the download, at random segments, several in a row. After every run:
 * - the eUICC holds no profile or one complete profile with the order's ICCID;
 * - the car says "Connected" only when the eUICC lists that ICCID, enabled;
 * - with faults within the retry budget the car gets there by itself; beyond it, it says Error,
 *   and "Try again" gets there once the faults stop.
 */
const tempDir = useTempDirs();
let cloud: Cloud;
beforeAll(async () => {
  cloud = await startCloud({ scenario: defaultScenario, host: '127.0.0.1', port: 0 });
});
afterAll(async () => cloud.close());

const fault: fc.Arbitrary<DownloadFault> = fc.oneof(
  fc.constantFrom('authenticateServer' as const, 'prepareDownload' as const).map((step) => ({ step, kind: 'reset' as const })),
  fc.integer({ min: 0, max: 7 }).map((afterSegments) => ({ step: 'load' as const, kind: 'reset' as const, afterSegments })),
  fc
    .record({
      afterSegments: fc.integer({ min: 0, max: 7 }),
      // every errorReason SGP.22 defines, the retryable one (11) among them
      reason: fc.constantFrom(...Object.values(errorReasons)),
    })
    .map(({ afterSegments, reason }) => ({ step: 'load' as const, kind: 'errorReason' as const, reason, afterSegments })),
);

const esimState = (core: Core) => core.view().screen.items.find((i) => i.id === 'esim')?.detail;
const settled = (core: Core) => ['Connected', 'Error'].includes(esimState(core) ?? '');
/** A car on this suite's cloud with the simulated module `modem` (faults already injected), ready. */
async function carWith(modem: SimModem): Promise<Core> {
  const core = new Core({
    dataDir: await tempDir(),
    language: 'en',
    cloudUrl: () => cloud.url,
    parts: simulatedParts(defaultScenario, { modem, timeScale: 0 }),
    timeScale: 0,
  });
  await core.ready;
  return core;
}

describe('Personal eSIM set-up under faults', () => {
  it('never leaves half a profile, and says Connected only for a listed, enabled ICCID', async () => {
    const outcomes = { connected: 0, error: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(fault, { minLength: 0, maxLength: 4 }), async (faults) => {
        // each run is a new car (and a new order): the world's BMW ID, a fresh eUICC
        cloud.load(defaultScenario);
        const modem = new SimModem();
        for (const f of faults) modem.injectDownloadFault(f);
        const core = await carWith(modem);
        try {
          await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
          core.input({ kind: 'touch', itemId: 'mobileDevices' });
          await until(core, () => settled(core));
          const profiles = await modem.euicc.listProfiles();
          expect(profiles.length).toBeLessThanOrEqual(1);
          outcomes[esimState(core) === 'Connected' ? 'connected' : 'error'] += 1;
          if (esimState(core) === 'Connected') {
            expect(profiles).toEqual([expect.objectContaining({ state: 'enabled' })]);
          } else {
            // beyond the retry budget, or a fault that must not be retried: Error, and a way forward
            expect(profiles).toEqual([]);
            // (the driver is told at once, with the reason, not offered telephony without an eSIM)
            expect(core.snapshot().popup).toMatchObject({ id: 'esim.failed', items: [{ id: 'retry' }, { id: 'ok' }] });
            core.input({ kind: 'touch', itemId: 'ok' });
            core.input({ kind: 'touch', itemId: 'esim' });
            expect(core.snapshot().items.map((i) => i.id)).toContain('retry');
            modem.clearDownloadFaults();
            core.input({ kind: 'touch', itemId: 'retry' });
            // the new attempt says its own first stage, not how far the failed one had got
            expect(core.snapshot().items.find((i) => i.id === 'stage')?.label).toBe('Contacting NTT DOCOMO…');
            core.input({ kind: 'button', button: 'BACK' });
            await until(core, () => esimState(core) === 'Connected');
            expect(await modem.euicc.listProfiles()).toEqual([expect.objectContaining({ state: 'enabled' })]);
          }
          const iccid = (await modem.euicc.listProfiles())[0]!.iccid;
          if (core.snapshot().popup?.id === 'esim.telephony') core.input({ kind: 'touch', itemId: 'notNow' });
          core.input({ kind: 'touch', itemId: 'esim' });
          expect(core.snapshot().items.find((i) => i.id === 'number')?.label).toBe('Phone number: +81 90-1234-5678');
          expect(iccid).toMatch(/^898110\d{13}$/);
        } finally {
          await core.stop();
        }
      }),
      { numRuns: 100 },
    );
    // both ways out were taken: the faults really bit, and the car really recovered
    expect(outcomes.connected).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  }, 120_000);
  it('tells the driver in a pop-up why it stopped, with the code for support, and its Try again sets it up', async () => {
    cloud.load(defaultScenario);
    const modem = new SimModem();
    modem.injectDownloadFault({ step: 'load', kind: 'errorReason', reason: errorReasons.insufficientMemoryForProfile, afterSegments: 3 });
    const core = await carWith(modem);
    try {
      await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
      await until(core, () => core.snapshot().popup?.id === 'esim.failed');
      expect(core.snapshot().popup!.text).toBe(
        "The Personal eSIM could not be set up. The car's eSIM has no room left for another profile. Remove a BMW ID that is no longer used, then try again.\nCode for BMW support: SGP.22 errorReason 10",
      );
      // The timeline carries the reason, for the tester.
      expect(
        core.timeline
          .since(0)
          .filter((e) => e.kind === 'failure')
          .map((e) => e.detail),
      ).toEqual([expect.objectContaining({ machine: 'esim', kind: 'errorReason', reason: 10 })]);
      core.input({ kind: 'touch', itemId: 'retry' });
      await until(core, () => core.snapshot().popup?.id === 'esim.telephony');
      expect(await modem.euicc.listProfiles()).toEqual([expect.objectContaining({ state: 'enabled' })]);
    } finally {
      await core.stop();
    }
  });
  it('follows the network the bench puts the car on: abroad it says One Number works in Japan only, refused it says so, home again it is Connected', async () => {
    cloud.load(defaultScenario);
    const modem = new SimModem();
    const core = await carWith(modem);
    try {
      await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
      await until(core, () => core.snapshot().popup?.id === 'esim.telephony');
      core.input({ kind: 'touch', itemId: 'notNow' });
      core.input({ kind: 'touch', itemId: 'mobileDevices' });
      await until(core, () => esimState(core) === 'Connected');
      const world = core.world()!;
      world.apply({ action: 'network', network: 'roaming' });
      await until(core, () => esimState(core) === 'Abroad: no service');
      expect(core.snapshot().status.network).toBeNull();
      core.input({ kind: 'touch', itemId: 'esim' });
      await until(core, () => core.snapshot().items.some((i) => i.label === 'Vodafone.de (abroad): One Number service works in Japan only'));
      world.apply({ action: 'network', network: 'denied' });
      await until(core, () => core.snapshot().items.some((i) => i.label === 'The network refused the Personal eSIM'));
      world.apply({ action: 'network', network: 'home' });
      await until(core, () => core.snapshot().status.network?.operator === 'NTT DOCOMO');
      // The module unplugged: the car says so, keeps the eSIM, and is Connected again once it is back.
      world.apply({ action: 'unplug' });
      await until(core, () => core.snapshot().items.some((i) => i.label.startsWith('The cellular module does not answer.')));
      expect(core.snapshot().status.network).toBeNull();
      world.apply({ action: 'plugIn' });
      // (the driver's choices applied again: mobile data comes back up)
      await until(core, () => core.snapshot().status.network?.operator === 'NTT DOCOMO' && core.snapshot().status.data);
      expect(parseCommand('modem unplug')).toEqual(['world.modem', { action: 'unplug' }]);
      expect(core.worldState().modem?.registration).toMatchObject({ state: 'registered', operator: 'NTT DOCOMO' });
      expect(parseCommand('modem network roaming')).toEqual(['world.modem', { action: 'network', network: 'roaming' }]);
      expect(parseCommand('modem network moon')).toMatchObject({ message: 'modem network takes home, roaming or denied' });
    } finally {
      await core.stop();
    }
  });

  it('meets the SM-DP+ failing an ES9+ function once, says so, and Try again goes through', async () => {
    cloud.load(defaultScenario);
    const modem = new SimModem();
    const core = await carWith(modem);
    try {
      const bench = automationHandlers(fixedCar(core), () => Promise.reject(new Error('no display')));
      // (8.8.5 / 4.1: the order has expired, as SGP.22 codes it)
      const fault = { mode: 'error' as const, function: 'authenticateClient' as const, subjectCode: '8.8.5', reasonCode: '4.1', every: false };
      expect((await bench['world.cloud']({ action: 'smdpFault', fault })).smdpFault).toEqual(fault);
      await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
      await until(core, () => core.snapshot().popup?.id === 'esim.failed');
      expect(core.timeline.since(0).map((e) => e.text)).toContain('cloud smdpFault error authenticateClient 8.8.5/4.1');
      expect(
        core.timeline
          .since(0)
          .filter((e) => e.kind === 'failure')
          .map((e) => e.text)
          .join('\n'),
      ).toMatch(/8\.8\.5/);
      // Spent: the next download goes through.
      core.input({ kind: 'touch', itemId: 'retry' });
      await until(core, () => core.snapshot().popup?.id === 'esim.telephony');
      // Slow, then as it should.
      expect((await bench['world.cloud']({ action: 'smdpFault', fault: { mode: 'slow', delaySeconds: 0.1 } })).smdpFault).toEqual({
        mode: 'slow',
        delaySeconds: 0.1,
      });
      await bench['world.cloud']({ action: 'smdpFault', fault: { mode: 'none' } });
      expect(parseCommand('fault smdp error getBoundProfilePackage 8.2 3.7 every')).toEqual([
        'world.cloud',
        { action: 'smdpFault', fault: { mode: 'error', function: 'getBoundProfilePackage', subjectCode: '8.2', reasonCode: '3.7', every: true } },
      ]);
      expect(parseCommand('fault smdp slow 5')).toEqual(['world.cloud', { action: 'smdpFault', fault: { mode: 'slow', delaySeconds: 5 } }]);
      expect(parseCommand('fault smdp error nothing 8.2 3.7')).toMatchObject({ message: expect.stringContaining('usage: fault smdp') });
    } finally {
      await core.stop();
    }
  });

  it('keeps a fault for every download until the bench clears it: Try again meets it again, then goes through', async () => {
    cloud.load(defaultScenario);
    const modem = new SimModem();
    modem.injectDownloadFault({ step: 'load', kind: 'errorReason', reason: errorReasons.insufficientMemoryForProfile, afterSegments: 1, every: true });
    const core = await carWith(modem);
    try {
      await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
      await until(core, () => core.snapshot().popup?.id === 'esim.failed');
      expect(modem.downloadFaults()).toEqual([expect.objectContaining({ reason: 10, every: true })]);
      core.input({ kind: 'touch', itemId: 'retry' });
      // (the pop-up closes for the new attempt, which meets the same fault and says so again)
      expect(core.snapshot().popup).toBeNull();
      await until(core, () => core.snapshot().popup?.id === 'esim.failed');
      expect(await modem.euicc.listProfiles()).toEqual([]);
      modem.clearDownloadFaults();
      core.input({ kind: 'touch', itemId: 'retry' });
      await until(core, () => core.snapshot().popup?.id === 'esim.telephony');
      expect(await modem.euicc.listProfiles()).toEqual([expect.objectContaining({ state: 'enabled' })]);
      expect(parseCommand('fault esim load errorReason 10 every')).toEqual([
        'world.modem',
        { action: 'downloadFault', step: 'load', kind: 'errorReason', reason: 10, afterSegments: 0, every: true },
      ]);
    } finally {
      await core.stop();
    }
  });
});
