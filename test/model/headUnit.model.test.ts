import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestModel } from 'xstate/graph';
import { defaultScenario } from '../../shared/scenario';
import type { ControllerInput } from '../../shared/controller';
import type { View } from '../../shared/view';
import { Core } from '../../main/core';
import { headUnitMachine, phaseOf } from '../../main/machines/headUnit';
import { interpretInput } from '../../main/screens/input';
import type { HeadUnitEvent } from '../../main/machines/events';
import type { HeadUnitContext } from '../../main/machines/context';
import { composeView, popupModelOf, screenModel } from '../../main/screens/compose';
import { isFocusable } from '../../main/screens/model';
import { defaultSettings } from '../../main/settings';
import { expectNoPlaceholders } from '../support/shownText';
import { useTempDirs } from '../support/tempDir';
import { version } from '../../main/version';
import { simulatedParts } from '../../main/world';

/**
 * Model-based test of the head unit: xstate/graph walks the machine with every controller input
 * (and a touch on every item) from every state it can reach, and each path is replayed on a real
 * Core with its real store. At every step the real display must show what the model says.
 */
const tempDir = useTempDirs();
const defaults = defaultSettings('en');

type ModelEvent = HeadUnitEvent | { type: 'xstate.done.actor.loadSettings'; output: unknown } | { type: 'xstate.done.actor.factoryReset'; output: unknown };

const controllerInputs: ControllerInput[] = [
  { kind: 'rotate', detents: 1 },
  { kind: 'rotate', detents: -1 },
  { kind: 'rotate', detents: 5 },
  { kind: 'tilt', direction: 'up' },
  { kind: 'tilt', direction: 'down' },
  { kind: 'tilt', direction: 'left' },
  { kind: 'tilt', direction: 'right' },
  { kind: 'press' },
  ...(['BACK', 'MENU', 'OPTION', 'TEL', 'NAV', 'MEDIA'] as const).map((button) => ({ kind: 'button' as const, button })),
];

function eventsFor(state: { value: unknown; context: HeadUnitContext }): ModelEvent[] {
  const phase = phaseOf(state.value);
  if (phase === 'booting') {
    // The store reports a damaged settings file while the car boots (once), or it does not.
    return [
      { type: 'xstate.done.actor.loadSettings', output: { settings: defaults, profiles: { active: null, profiles: [] } } },
      ...(state.context.notices.length === 0
        ? [{ type: 'store.problem' as const, problem: { kind: 'damaged' as const, area: 'settings', file: 'CORRUPT', code: null } }]
        : []),
    ];
  }
  if (phase === 'resetting') return [{ type: 'xstate.done.actor.factoryReset', output: { settings: defaults, esimErased: true } }];
  // The BMW ID login and PIN unlock are machines of their own, walked by their own model tests.
  if (inFlow(state)) return [];
  const rows = popupModelOf(state.context, phase)?.rows ?? screenModel(state.context, phase).rows;
  // On the keyboard, touching each character is the same transition; touch the special keys only.
  const touches = rows.filter((r) => isFocusable(r) && !/^key\.\d+$/.test(r.id)).map((r) => ({ kind: 'touch' as const, itemId: r.id }));
  return [...controllerInputs, ...touches].map((input) => ({ type: 'input', input }));
}

/** What distinguishes states for the walk: where the driver is, what is checked, what the field holds in kind. */
function serialize(state: { value: unknown; context: HeadUnitContext }): string {
  const { stack, popup, settings, entry, notices } = state.context;
  const keyClass = (id: string | null) => (id && /^key\.\d+$/.test(id) ? 'char' : id);
  return JSON.stringify({
    phase: phaseOf(state.value),
    ui: (state.value as { running?: { ui?: string } }).running?.ui ?? null,
    stack: stack.map((f) => [f.screen, f.screen === 'entry' ? keyClass(f.focus) : f.focus]),
    popup,
    // Resolution and vehicle name only change one row's check or detail: the walk still takes
    // every transition that sets them, without multiplying every other state by them.
    settings: [settings.language, settings.theme],
    entry: entry && [entry.layer, entry.text.length === 0, entry.text.length >= 24, entry.error],
    notices: notices.length,
  });
}

function inFlow(state: { value: unknown }): boolean {
  return ((state.value as { running?: { ui?: string } }).running?.ui ?? 'shell') !== 'shell';
}

/** (each path's core has a data directory of its own: the About page's paths are not the model's) */
const ownPaths = (screen: View['screen']) =>
  screen.id === 'settings.about' ? { ...screen, items: screen.items.map((i) => (i.id === 'memory' || i.id === 'log' ? { ...i, label: i.id } : i)) } : screen;
const comparable = (view: View) => ({ ...view, revision: 0, status: { ...view.status, time: '' }, screen: ownPaths(view.screen) });
const licences = [{ name: 'xstate', version: '5.0.0', licence: 'MIT' }];

// TestModel rather than createTestModel: the latter refuses machines that invoke actors; the
// walk never runs them, and their results are the `xstate.done.actor.*` events above.
// The meaning of an input is provided to the machine, as the core provides it.
const model = new TestModel(
  headUnitMachine.provide({ actions: { interpretInput: interpretInput as never } }) as never,
  {
    input: { settings: defaults, about: { version, dataDir: '/data', logFile: '/data/logs/head-unit.log', licences } },
    events: eventsFor as never,
    serializeState: serialize as never,
  } as never,
);

describe('the head unit, path by path on a real core', () => {
  const paths = model.getShortestPaths();
  const cores: Core[] = [];
  afterAll(async () => Promise.all(cores.map((c) => c.stop())));

  it('reaches every screen of the shell', () => {
    // every screen and pop-up of the shell, in both languages and themes
    const screens = new Set(paths.map((p) => JSON.parse(serialize(p.state as never)).stack.at(-1)[0]));
    expect([...screens].sort()).toEqual(
      [
        'entry',
        'menu',
        'bmwId',
        'bt.search',
        'contacts',
        'mobileDevices',
        'esim',
        'settings',
        'settings.language',
        'settings.resolution',
        'settings.theme',
        'settings.about',
        'settings.licences',
        'telephone',
      ].sort(),
    );
    expect(paths.some((p) => inFlow(p.state as never))).toBe(true);
    console.log(`model: ${paths.length} states, ${paths.reduce((n, p) => n + p.steps.length, 0)} steps replayed`);
  });

  it('shows on the real display what the model says, at every step of every path', async () => {
    for (const path of paths) {
      let core: Core | undefined;
      let damaged = false;
      await path.test({
        states: {
          '*': (state) => {
            const s = state as unknown as { value: unknown; context: HeadUnitContext };
            if (!core) return; // still booting: the real core is made by the first event
            if (inFlow(s)) {
              // Add BMW ID hands the screen to the login machine: its first screen is the method choice.
              expect(core.snapshot()).toMatchObject({ screen: 'login.method', items: [{ id: 'qr' }, { id: 'email' }] });
              return;
            }
            const expected = composeView(
              s.context,
              phaseOf(s.value),
              { now: () => new Date(0), connected: () => new Set<string>(), outsideTemperature: () => 18 },
              0,
            );
            const actual = comparable(core.view());
            expectNoPlaceholders(core.view());
            // the corrupt file's name is made by the store; the model only knows there is one
            if (expected.popup?.id === 'storeCorrupt') expected.popup.text = actual.popup?.text ?? '';
            expect(actual).toEqual(comparable(expected));
          },
        },
        events: {
          // The real store finds the damage itself, in the file this path gives it.
          'store.problem': () => {
            damaged = true;
          },
          'xstate.done.actor.loadSettings': async () => {
            const dir = await tempDir();
            if (damaged) await writeFile(join(dir, 'settings.json'), 'not json');
            // (no phones in range: the model knows nothing of the world behind the screens)
            core = new Core({
              dataDir: dir,
              language: 'en',
              scenario: { ...defaultScenario, phones: [] },
              parts: simulatedParts({ ...defaultScenario, phones: [] }),
              licences,
            });
            cores.push(core);
            await core.ready;
          },
          'xstate.done.actor.factoryReset': async () => {
            await core!.waitForScreen('menu', 5000);
          },
          input: ({ event }: never) => {
            core!.input((event as { input: ControllerInput }).input);
          },
        } as never,
      });
      await core?.stop();
    }
  }, 600_000);
});
