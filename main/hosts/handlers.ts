import { resolveScenario } from '../../shared/scenario';
import { controlPhones, WorldControlError } from '../world';
import { CloudAdminError, controlCloud } from '../bmwId/cloudAdmin';
import type { automationContract, rendererContract } from '../../shared/contract';
import type { Core } from '../core';
import { RequestFailed, type Handlers } from './dispatch';

/** What the display of a host can do for automation: a picture, and a touch at a point. */
export interface Display {
  screenshot(): Promise<Buffer>;
  /** touches the display at a point in display pixels; returns the item hit, if any */
  tap(x: number, y: number): Promise<string | null>;
}

export function rendererHandlers(core: Core): Handlers<typeof rendererContract> {
  return {
    'view.get': () => core.view(),
    'input.send': (input) => core.input(input),
  };
}

export function automationHandlers(core: Core, display: () => Promise<Display>): Handlers<typeof automationContract> {
  const timed = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      throw new RequestFailed(error instanceof Error ? error.message : String(error));
    }
  };
  return {
    'screen.read': () => core.snapshot(),
    'input.send': (input) => core.input(input),
    'input.tap': async ({ x, y }) => ({ itemId: await (await display()).tap(x, y) }),
    'wait.screen': ({ screen, timeoutMs }) => timed(core.waitForScreen(screen, timeoutMs)),
    'wait.view': ({ after, timeoutMs }) => timed(core.waitForView(after, timeoutMs)),
    'wait.event': ({ event, timeoutMs }) => timed(core.waitForEvent(event, timeoutMs)),
    'screenshot.take': async () => ({ png: (await (await display()).screenshot()).toString('base64') }),
    'car.reset': () => {
      core.timeline.add('world', 'factory reset');
      return core.reset();
    },
    'world.modem': (command) => {
      const world = core.world();
      if (!world) throw new RequestFailed('the cellular module is real: it has no world controls');
      return worldControl(() => {
        world.apply(command);
        return { done: true };
      });
    },
    'world.bluetooth': (command) => {
      const phones = core.phones();
      if (!phones) throw new RequestFailed('Bluetooth is real: its phones have no world controls');
      const done = worldControl(() => controlPhones(phones, command));
      if (command.action !== 'phone') core.timeline.add('world', `phone ${command.address} ${command.action}`, { ...command });
      return done;
    },
    'world.cloud': async (command) => {
      try {
        const answer = await controlCloud(core.cloudUrl(), command);
        if (command.action !== 'accounts') core.timeline.add('world', `cloud ${command.action} ${command.email}`, { action: command.action, email: command.email });
        return answer;
      } catch (error) {
        if (error instanceof CloudAdminError) throw new RequestFailed(error.message);
        throw error;
      }
    },
    'world.read': () => core.worldState(),
    'timeline.read': ({ after, timeoutMs, kinds }) => core.readTimeline(after, timeoutMs, kinds),
    'scenario.load': ({ scenario }) => {
      core.timeline.add('world', `scenario "${scenario.name ?? 'unnamed'}" loaded`);
      return core.loadScenario(resolveScenario(scenario));
    },
  };
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
