import { startCloud, type Cloud } from '../../cloud/server';
import { Core, type CoreOptions } from '../../main/core';
import { SimModem } from '../../hardware/modem/sim/simModem';
import { defaultScenario, type Scenario } from '../../shared/scenario';
import type { Bluetooth } from '../../hardware/bluetooth/contract';
import { simulatedParts } from '../../main/world';
import { within } from './within';

/** A core and an embedded cloud in this process, talking over real HTTP. */
export interface CarWithCloud {
  core: Core;
  cloud: Cloud;
  /** a new core on the same data directory: a restart of the head unit */
  restart(now?: () => Date): Promise<Core>;
  stop(): Promise<void>;
}

/** `extra` sets more of the car's options; its `bluetooth`, a real adapter's backend (BlueZ, BLE), replaces the simulated phones. */
export async function carWithCloud(
  dataDir: string,
  scenario: Scenario = defaultScenario,
  now?: () => Date,
  extra: Partial<Omit<CoreOptions, 'parts'>> & { bluetooth?: Bluetooth } = {},
): Promise<CarWithCloud> {
  // A test's clock is the world's too: the cloud's tokens and codes age with the car's.
  const cloud = await startCloud({ scenario, host: '127.0.0.1', port: 0, ...(now ? { now: () => now().getTime() } : {}) });
  // The cellular module outlives a restart of the head unit, as in the car: its eUICC keeps its profiles.
  const modem = new SimModem({ calls: scenario.calls });
  const make = async (clock?: () => Date) => {
    const { bluetooth, ...options } = extra;
    const parts = bluetooth ? { modem, bluetooth, simulated: { modem, phones: null } } : simulatedParts(scenario, { modem, timeScale: 0 });
    const core = new Core({ dataDir, language: 'en', scenario, cloudUrl: () => cloud.url, parts, timeScale: 0, ...options, ...(clock ? { now: clock } : {}) });
    await core.ready;
    return core;
  };
  const car: CarWithCloud = {
    core: await make(now),
    cloud,
    restart: async (clock) => {
      await car.core.stop();
      car.core = await make(clock ?? now);
      return car.core;
    },
    // (bounded and named, within a hook's 60 s: a stop that hangs says whether the car's or its
    // cloud's did, where the runner's hook timeout names neither)
    stop: async () => {
      await within(car.core.stop(), 30_000, 'stop of the car', () => car.core.view().status);
      await within(cloud.close(), 30_000, 'close of its cloud');
    },
  };
  return car;
}

/** Resolves once `check` holds for the core's view; fails with the screen as it was after 10 s. */
export function untilView(core: Core, check: () => boolean): Promise<void>;
export function untilView(core: Core, what: string, check: () => boolean, timeoutMs?: number): Promise<void>;
export function untilView(core: Core, whatOrCheck: string | (() => boolean), maybeCheck?: () => boolean, timeoutMs = 10_000): Promise<void> {
  const [what, check] = typeof whatOrCheck === 'string' ? [whatOrCheck, maybeCheck!] : ['a change of the view', whatOrCheck];
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(core.snapshot())}`));
    }, timeoutMs);
    const off = core.onView(() => {
      if (!check()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}
