import { resolveScenario } from '../../shared/scenario';
import { controlPhones, WorldControlError } from '../world';
import { CloudAdminError, controlCloud } from '../bmwId/cloudAdmin';
import { cloudChange } from './cloudChange';
import type { automationContract, rendererContract } from '../../shared/contract';
import type { Core } from '../core';
import type { View } from '../../shared/view';
import { CheckpointError, type CheckpointInfo } from '../bench/checkpoints';
import { applyPreset, PresetError } from '../bench/presets';
import { replayTimeline } from '../bench/replay';
import { RequestFailed, type Handlers } from './dispatch';

/** What the display of a host can do for automation: a picture, and a touch at a point. */
export interface Display {
  screenshot(): Promise<Buffer>;
  /** touches the display at a point in display pixels; returns the item hit, if any */
  tap(x: number, y: number): Promise<string | null>;
}

/**
 * The car a host serves: its core, which a checkpoint restored while it runs replaces, and the
 * checkpoints (null where there are none, as for a bare core in a test).
 */
export interface CarHost {
  /** the core now, even mid-restart (for what cannot wait, such as the display's resolution) */
  core(): Core;
  /** the core once a checkpoint operation under way is over: requests wait for it */
  ready(): Promise<Core>;
  /** every view of whichever core runs, the new core's first at once after a restart */
  onView(listener: (view: View) => void): () => void;
  /** switches the car off and on (null where it cannot be, as for a bare core in a test) */
  restart: (() => Promise<void>) | null;
  checkpoints: {
    list(): Promise<CheckpointInfo[]>;
    save(name: string): Promise<CheckpointInfo>;
    restore(name: string): Promise<CheckpointInfo>;
  } | null;
}

/** A car that is one core for good (tests, tools): no checkpoints. */
export function fixedCar(core: Core): CarHost {
  return { core: () => core, ready: async () => core, onView: (listener) => core.onView(listener), restart: null, checkpoints: null };
}

export function rendererHandlers(car: CarHost): Handlers<typeof rendererContract> {
  return {
    'view.get': async () => (await car.ready()).view(),
    'input.send': async (input) => (await car.ready()).input(input),
  };
}

export function automationHandlers(car: CarHost, display: () => Promise<Display>): Handlers<typeof automationContract> {
  const timed = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      throw new RequestFailed(error instanceof Error ? error.message : String(error));
    }
  };
  const at = car.ready.bind(car);
  const checkpoints = () => {
    if (!car.checkpoints) throw new RequestFailed('this car keeps no checkpoints');
    return car.checkpoints;
  };
  /** Errors of these kinds are the client's (a damaged checkpoint, an unknown BMW ID): answered with their message. */
  const told = async <T>(work: Promise<T>, kinds: readonly (abstract new (...args: never[]) => Error)[]): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      if (kinds.some((kind) => error instanceof kind)) throw new RequestFailed((error as Error).message);
      throw error;
    }
  };
  const handlers: Handlers<typeof automationContract> = {
    'screen.read': async () => (await at()).snapshot(),
    'input.send': async (input) => (await at()).input(input),
    'input.tap': async ({ x, y }) => ({ itemId: await (await display()).tap(x, y) }),
    'wait.screen': async ({ screen, timeoutMs }) => timed((await at()).waitForScreen(screen, timeoutMs)),
    'wait.view': async ({ after, timeoutMs }) => timed((await at()).waitForView(after, timeoutMs)),
    'wait.event': async ({ event, timeoutMs }) => timed((await at()).waitForEvent(event, timeoutMs)),
    'screenshot.take': async () => ({ png: (await (await display()).screenshot()).toString('base64') }),
    'car.restart': async () => {
      if (!car.restart) throw new RequestFailed('this car cannot be restarted here');
      await told(car.restart(), [CheckpointError]);
      return (await at()).snapshot();
    },
    'car.reset': async () => {
      const core = await at();
      core.timeline.add('world', 'factory reset', undefined, { call: { channel: 'car.reset', request: {} } });
      return core.reset();
    },
    'world.modem': async (command) => {
      const world = (await at()).world();
      if (!world) throw new RequestFailed('the cellular module is real: it has no world controls');
      return worldControl(() => {
        world.apply(command);
        return { done: true };
      });
    },
    'world.bluetooth': async (command) => {
      const core = await at();
      const phones = core.phones();
      if (!phones) throw new RequestFailed('Bluetooth is real: its phones have no world controls');
      const done = worldControl(() => controlPhones(phones, command));
      if (command.action !== 'phone')
        core.timeline.add(
          'world',
          `phone ${command.address} ${command.action}`,
          { ...command },
          { call: { channel: 'world.bluetooth', request: { ...command } } },
        );
      return done;
    },
    'world.cloud': async (command) => {
      const core = await at();
      const answer = await told(controlCloud(core.cloudUrl(), command), [CloudAdminError]);
      const change = cloudChange(command);
      if (change) core.timeline.add('world', change.text, change.detail, { ...(change.step1 ? { step: 'step1' as const } : {}), call: change.call });
      return answer;
    },
    'world.pace': async ({ pace }) => {
      const core = await at();
      if (!core.setPace(pace)) throw new RequestFailed('the module and Bluetooth are real: they keep their own pace');
      core.timeline.add('world', `pace ${pace}`, { pace }, { call: { channel: 'world.pace', request: { pace } } });
      return { pace };
    },
    'world.outside': async ({ temperatureC }) => {
      const core = await at();
      core.timeline.add('world', `outside ${temperatureC} °C`, { temperatureC }, { call: { channel: 'world.outside', request: { temperatureC } } });
      core.setOutsideTemperature(temperatureC);
      return core.snapshot();
    },
    'world.read': async () => (await at()).worldState(),
    'machines.read': async () => ({ machines: (await at()).machines() }),
    'timeline.read': async ({ after, timeoutMs, kinds, steps }) => (await at()).readTimeline(after, timeoutMs, kinds, steps),
    'timeline.replay': (request) => told(replayTimeline(handlers, car, request), [CheckpointError]),
    'car.settings': async (patch) => {
      const core = await at();
      core.timeline.add(
        'world',
        `settings ${Object.entries(patch)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
        { ...patch },
        { call: { channel: 'car.settings', request: { ...patch } } },
      );
      core.applySettings(patch);
      return core.snapshot();
    },
    'world.reset': async () => {
      const core = await at();
      core.timeline.add('world', 'factory reset of the car and its world', undefined, { call: { channel: 'world.reset', request: {} } });
      return core.loadScenario(core.currentScenario());
    },
    'preset.apply': async ({ preset }) => {
      const core = await at();
      core.timeline.add('world', `preset ${preset}`, { preset }, { call: { channel: 'preset.apply', request: { preset } } });
      return told(
        core.timeline.driven(() => applyPreset(core, core.currentScenario(), preset)),
        [PresetError],
      );
    },
    'scenario.load': async ({ scenario }) => {
      const core = await at();
      core.timeline.add('world', `scenario "${scenario.name ?? 'unnamed'}" loaded`);
      return core.loadScenario(resolveScenario(scenario));
    },
    'checkpoint.list': async () => ({ checkpoints: await checkpoints().list() }),
    'checkpoint.save': ({ name }) => told(checkpoints().save(name), [CheckpointError]),
    'checkpoint.restore': async ({ name }) => {
      await told(checkpoints().restore(name), [CheckpointError]);
      return (await at()).snapshot();
    },
  };
  return handlers;
}

/** Makes a display when first needed and keeps it; a failed attempt is tried again next time. */
export function lazyDisplay(open: () => Promise<Display>): () => Promise<Display> {
  let display: Promise<Display> | undefined;
  return () =>
    (display ??= open().catch((error: unknown) => {
      display = undefined;
      throw error;
    }));
}

/** A world control used wrongly is the client's mistake: answered with its message, not as an internal error. */
function worldControl<T>(control: () => T): T {
  try {
    return control();
  } catch (error) {
    if (error instanceof WorldControlError) throw new RequestFailed(error.message);
    throw error;
  }
}
