import { isDeepStrictEqual } from 'node:util';
import { createActor, type Actor } from 'xstate';
import { machineCharts } from './machineCharts';
import { firstContacts } from './phonebook/vcard';
import type { Bluetooth } from '../hardware/bluetooth/contract';
import type { Modem } from '../hardware/modem/contract';
import type { Caller, CoreEvent, CoreEventName, MachineChart, ScreenSnapshot, TimelineEvent, TimelineKind, WorldState } from '../shared/contract';
import type { ControllerInput } from '../shared/controller';
import type { Language } from '../shared/i18n';
import { defaultScenario, type Scenario } from '../shared/scenario';
import type { View } from '../shared/view';
import { childrenOf, flowOf } from './machines/children';
import { phaseOf, type headUnitMachine } from './machines/headUnit';
import { composeView, type Environment } from './screens/compose';
import type { CarSettings } from './settings';
import { toSnapshot } from './snapshot';
import type { AreaIo } from './store/areaFile';
import { CarStore } from './wiring/carStore';
import { reported, StoreProblems } from './store/problems';
import { wireHeadUnit } from './wiring/headUnit';
import { controlModem, type CarParts, type ModemWorldCommand, type SimPhonesControls } from './world';
import { log, logFileOf } from './log';
import { describeInput, inputCall, matches, Timeline } from './timeline';
import { guideStepOf } from './guideStep';
import type { GuideStep } from '../shared/guide';
import { version } from './version';
import type { Licence } from './machines/context';

export interface CoreOptions {
  dataDir: string;
  /** the language of a new car (from the system locale or --lang) */
  language: Language;
  scenario?: Scenario;
  /** the BMW ID cloud's base URL (the embedded one, or a team's own) */
  cloudUrl?: () => string;
  /** an outside TS.43 entitlement server (`--entitlement-url`); default: the cloud's `/entitlement` */
  entitlementUrl?: string;
  /** how long the car waits for the cloud before saying so (default 8 s) */
  cloudTimeoutMs?: number;
  /** the cellular module and Bluetooth adapter, and the bench's controls of the simulated ones (boot.ts chooses them; tests: `simulatedParts`) */
  parts: CarParts;
  /** scales waits such as the eSIM retry backoff (tests: 0) */
  timeScale?: number;
  /** the world changed: the embedded cloud follows */
  onScenario?: (scenario: Scenario) => void;
  /** where the store's files (and the bench's, such as the simulated modem's) report problems */
  storeProblems?: StoreProblems;
  /** the file system of the car's memory (tests inject faults) */
  storeIo?: AreaIo;
  now?: () => Date;
  /** the licences of what the app carries (the build's dist/licences.json), for Settings → About */
  licences?: Licence[];
  /**
   * The core this one takes over from (a checkpoint restored while the car ran): its timeline goes
   * on, and the view's revisions count on from its last, so a display and a reader following them
   * take the new car's view as news.
   */
  continues?: { timeline: Timeline; revision: number };
}

type Listener<T> = (value: T) => void;
/** More held inputs than a person can make in the longest busy moment means a runaway client. */
const maxHeldInputs = 1000;
/** The outside temperature of a car whose scenario says none (°C). */
const demoOutsideTemperature = 18;
/** How many of each simulated phone's contacts the bench is offered as callers. */
const callersShown = 20;

/**
 * The head unit's brain as one API that both hosts (Electron and web) adapt: the current view,
 * controller input, events, and the automation hooks. All state that matters lives here.
 */
export class Core {
  private readonly actor: Actor<typeof headUnitMachine>;
  private readonly store: CarStore;
  private readonly env: Environment;
  /** the cellular module the Personal eSIM lives on */
  readonly modem: Modem;
  readonly bluetooth: Bluetooth;
  /** phones connected now (the status bar's Bluetooth symbol) */
  private readonly connected = new Set<string>();
  private view_: View;
  /** the last view without its revision, as JSON: the change test needs it once per input */
  private viewContent: Omit<View, 'revision'> | undefined;
  private readonly viewListeners = new Set<Listener<View>>();
  private readonly eventListeners = new Set<Listener<CoreEvent>>();
  private scenario: Scenario;
  /** the bench's outside temperature (°C), over the scenario's until it is loaded again */
  private outsideTemperature: number | null = null;
  private clock: NodeJS.Timeout | undefined;
  /** inputs that arrived while the car was busy, in order */
  private readonly held: ControllerInput[] = [];
  private releasing = false;
  private readonly stopProblems: () => void;
  /** resolves once the car has booted from its store */
  readonly ready: Promise<void>;
  /** what happened, in order, for the bench (the log keeps the same) */
  readonly timeline: Timeline;
  /** each machine's state and failure as last recorded, so that only moves are */
  private readonly lastStates = new Map<string, string>();
  /** each simulated phone's callers, with the address book they were read from */
  private readonly callers = new Map<string, { book: string; callers: Caller[] }>();
  /** the car's lifetime: aborted by stop */
  private readonly lifetime = new AbortController();

  constructor(private readonly options: CoreOptions) {
    this.scenario = options.scenario ?? defaultScenario;
    const problems = options.storeProblems ?? new StoreProblems();
    this.store = new CarStore(options.dataDir, options.language, problems, options.storeIo);
    const now = options.now ?? (() => new Date());
    this.env = {
      now,
      connected: () => this.connected,
      outsideTemperature: () => Math.round(this.outsideTemperature ?? this.scenario.outside?.temperatureC ?? demoOutsideTemperature),
    };
    this.timeline = options.continues?.timeline ?? new Timeline(now);
    this.modem = options.parts.modem;
    this.bluetooth = options.parts.bluetooth;
    this.bluetooth.on((event) => {
      if (event.type !== 'device' && event.type !== 'deviceRemoved') return;
      const address = event.type === 'device' ? event.device.address : event.address;
      const was = this.connected.has(address);
      if (event.type === 'device' && event.device.connected) this.connected.add(address);
      else this.connected.delete(address);
      // Only the status bar's phone depends on this: a phone's signal moving is no reason to compose.
      if (was !== this.connected.has(address)) this.refresh();
    });
    const machine = wireHeadUnit({
      store: this.store,
      modem: this.modem,
      bluetooth: this.bluetooth,
      now,
      cloudUrl: () => this.cloudUrl(),
      cloudTimeoutMs: options.cloudTimeoutMs,
      entitlementUrl: options.entitlementUrl,
      timeScale: options.timeScale ?? 1,
      firstCar: () => this.scenarioSettings(),
      vehicleName: () => this.actor.getSnapshot().context.settings.vehicleName,
      language: () => this.actor.getSnapshot().context.settings.language,
      stopped: this.lifetime.signal,
    });
    this.actor = createActor(machine, {
      input: {
        settings: this.scenarioSettings(),
        about: { version, dataDir: options.dataDir, logFile: logFileOf(options.dataDir), licences: options.licences ?? [] },
      },
      // The login and unlock machines are children: their changes are changes of the screen too.
      inspect: (event) => {
        if (event.type !== '@xstate.snapshot') return;
        this.recordTransition(
          event.actorRef === this.actor ? 'head unit' : ((event.actorRef as { id?: string }).id ?? 'child'),
          event.snapshot as { value?: unknown; context?: unknown },
        );
        if (event.actorRef === this.actor) return;
        this.refresh();
        // (a flow's write ending, such as the login storing itself, lets held input go)
        if (this.held.length > 0 && !this.busy()) this.releaseHeld();
      },
    });
    this.view_ = this.compose(options.continues ? options.continues.revision + 1 : 0);
    this.timeline.locate(() => ({
      step: guideStepOf(this.view_, this.lastStates.get('esim')),
      screen: this.view_.screen.id,
      popup: this.view_.popup?.id ?? null,
    }));
    this.actor.subscribe({
      next: () => {
        this.refresh();
        if (!this.busy()) this.releaseHeld();
      },
      error: (error) => log('head unit').error(`the head unit failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    });
    this.ready = new Promise((resolve) => {
      const sub = this.actor.subscribe((s) => {
        if (!s.matches('booting')) {
          sub.unsubscribe();
          resolve();
        }
      });
    });
    this.actor.start();
    // Every problem of the car's memory reaches the driver, from the first moment on.
    this.stopProblems = problems.on((problem) => this.actor.send({ type: 'store.problem', problem }));
    this.tickClock();
  }

  view(): View {
    return this.view_;
  }

  snapshot(): ScreenSnapshot {
    return toSnapshot(this.view_);
  }

  onView(listener: Listener<View>): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  onEvent(listener: Listener<CoreEvent>): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /**
   * One controller input, applied in the order inputs arrive. While the car is busy (booting, a
   * write to its memory, a factory reset) inputs wait, and are applied in order when it is done:
   * each means what it means on the screen it lands on, and none is dropped. `accepted` is false
   * when the input meant nothing there (or the queue is full); a held input counts as accepted.
   */
  input(input: ControllerInput): { accepted: boolean } {
    this.timeline.add('input', describeInput(input), undefined, { call: inputCall(input, this.view_.screen.id) });
    if (this.held.length > 0 || this.busy()) {
      if (this.held.length >= maxHeldInputs) return { accepted: false };
      this.held.push(input);
      return { accepted: true };
    }
    const before = this.view_.revision;
    this.actor.send({ type: 'input', input });
    return { accepted: this.view_.revision !== before };
  }

  /**
   * Busy: the car, or the flow that has the screen (the login storing itself), is writing to its
   * memory for a moment (states tagged 'busy'). Input waits meanwhile.
   */
  private busy(): boolean {
    const snapshot = this.actor.getSnapshot();
    if (snapshot.hasTag('busy')) return true;
    const login = snapshot.children.login?.getSnapshot() as { hasTag?(tag: string): boolean } | undefined;
    return login?.hasTag?.('busy') ?? false;
  }

  /** Resolves once the car is not busy and every held input has been applied. */
  settled(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.held.length > 0 || this.busy()) return false;
        resolve();
        return true;
      };
      if (check()) return;
      const sub = this.actor.subscribe(() => {
        // (after the microtask that releases held inputs)
        queueMicrotask(() => {
          if (check()) sub.unsubscribe();
        });
      });
    });
  }

  /** Applies held inputs once the car is no longer busy (outside the actor's own processing). */
  private releaseHeld(): void {
    if (this.held.length === 0 || this.releasing) return;
    this.releasing = true;
    queueMicrotask(() => {
      this.releasing = false;
      while (this.held.length > 0 && !this.busy()) {
        this.actor.send({ type: 'input', input: this.held.shift()! });
      }
    });
  }

  /** The simulated module's world controls (main/world.ts), or null for a real module. */
  world(): { apply(command: ModemWorldCommand): void } | null {
    const modem = this.options.parts.simulated.modem;
    return modem
      ? {
          apply: (command) => {
            controlModem(modem, command);
            this.timeline.add('world', `modem ${command.action}`, plainFields(command), { call: { channel: 'world.modem', request: { ...command } } });
          },
        }
      : null;
  }

  /** The address of the BMW ID cloud this car uses (embedded, or given with --cloud-url; by default the embedded one's usual port). */
  cloudUrl(): string {
    return this.options.cloudUrl?.() ?? 'http://127.0.0.1:4731/';
  }

  /** The running machines as the bench charts them (see machineCharts). */
  machines(): MachineChart[] {
    return machineCharts(this.actor);
  }

  /** The outside temperature the car's sensor reads from now on (°C), until the scenario is loaded again. */
  setOutsideTemperature(celsius: number): void {
    this.outsideTemperature = celsius;
    this.refresh();
  }

  /** How fast the simulated module and phones work from now on (see `world.pace`); false when both are real. */
  setPace(pace: number): boolean {
    const modem = this.options.parts.simulated.modem;
    modem?.setPace(pace);
    this.phones()?.setPace(pace);
    return modem !== null || this.phones() !== null;
  }

  /** A simulated phone's first contacts as callers, read once per address book (the console asks every second). */
  private callersOf(address: string, book: string): Caller[] {
    const known = this.callers.get(address);
    if (known?.book === book) return known.callers;
    const callers = firstContacts(book, callersShown).map((c) => ({ name: c.name, number: c.numbers[0]!.number }));
    this.callers.set(address, { book, callers });
    return callers;
  }

  /** The simulated world as the bench shows it (null for the parts that are real hardware). */
  worldState(): WorldState {
    const modem = this.options.parts.simulated.modem;
    const phones = this.phones();
    return {
      modem: modem && {
        registration: (({ state, operator, signal }) => ({ state, operator: operator?.name ?? null, signal }))(modem.currentRegistration()),
        faults: modem.downloadFaults().map((f) => ({
          step: f.step,
          kind: f.kind,
          ...('reason' in f ? { reason: f.reason } : {}),
          ...('afterSegments' in f ? { afterSegments: f.afterSegments } : {}),
          ...(f.every ? { every: true } : {}),
        })),
        calls: modem.currentCalls().map(({ id, number, state, direction }) => ({ id, number, state, direction })),
        network: modem.currentNetwork(),
      },
      pace: modem?.pace() ?? phones?.pace() ?? null,
      phones: phones && phones.phoneScreens().map((phone) => ({ ...phone, callers: this.callersOf(phone.address, phones.addressBook(phone.address)) })),
    };
  }

  /**
   * The timeline after `after`, of the kinds and guide steps asked; waits up to `timeoutMs` for a first new one
   * when there is none yet (a live reader's long poll).
   */
  async readTimeline(after: number, timeoutMs: number, kinds?: TimelineKind[], steps?: GuideStep[]): Promise<{ events: TimelineEvent[]; last: number }> {
    const read = () => ({ events: this.timeline.since(after, kinds, 500, steps), last: this.timeline.last() });
    const now = read();
    if (now.events.length > 0 || timeoutMs === 0) return now;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const stop = this.timeline.on((event) => matches(event, kinds, steps) && done());
      function done() {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
    return read();
  }

  /** A machine's move to another state, once, to the log and the timeline (states only: contexts hold secrets); and a new failure with its reason. */
  private recordTransition(machine: string, snapshot: { value?: unknown; context?: unknown }): void {
    if (snapshot.value === undefined) return;
    const state = JSON.stringify(snapshot.value);
    if (this.lastStates.get(machine) !== state) {
      this.lastStates.set(machine, state);
      log('machine').info(`${machine} → ${state}`);
      this.timeline.add('state', `${machine} → ${state}`, { machine });
    }
    const failure = (snapshot.context as { failure?: unknown } | undefined)?.failure;
    const said = failure && typeof failure === 'object' ? JSON.stringify(failure) : '';
    if (said === (this.lastStates.get(`${machine}.failure`) ?? '')) return;
    this.lastStates.set(`${machine}.failure`, said);
    if (!said) return;
    const fields = plainFields(failure as Record<string, unknown>);
    log('machine').warn(`${machine} failed: ${said}`);
    this.timeline.add(
      'failure',
      `${machine}: ${Object.entries(fields)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(', ')}`,
      { machine, ...fields },
    );
  }

  /** The simulated phones' world controls, or null for a real adapter. */
  phones(): SimPhonesControls | null {
    return this.options.parts.simulated.phones;
  }

  /** Settings forced from outside the car (start options), as if chosen in Settings. */
  applySettings(patch: Partial<CarSettings>): void {
    this.actor.send({ type: 'settings.set', patch });
  }

  waitForScreen(screen: string, timeoutMs: number): Promise<ScreenSnapshot> {
    return this.waitFor(timeoutMs, `screen ${screen}`, (done) => {
      const check = () => {
        if (this.view_.screen.id === screen) done(this.snapshot());
      };
      check();
      return this.onView(check);
    });
  }

  /** The screen once its revision has passed `after`: at once if it already has (see `wait.view`). */
  waitForView(after: number, timeoutMs: number): Promise<ScreenSnapshot> {
    return this.waitFor(timeoutMs, `a view after revision ${after}`, (done) => {
      const check = () => {
        if (this.view_.revision > after) done(this.snapshot());
      };
      check();
      return this.onView(check);
    });
  }

  waitForEvent(name: CoreEventName, timeoutMs: number): Promise<CoreEvent> {
    return this.waitFor(timeoutMs, `event ${name}`, (done) => this.onEvent((e) => e.name === name && done(e)));
  }

  /** Factory reset to the current scenario's car. */
  async reset(): Promise<ScreenSnapshot> {
    await this.ready;
    const done = this.waitForEvent('reset', 30_000);
    this.actor.send({ type: 'reset.confirm', settings: this.scenarioSettings() });
    await done;
    return this.snapshot();
  }

  /** The scenario the world and a reset car follow now (the start's, or the last one loaded). */
  currentScenario(): Scenario {
    return this.scenario;
  }

  /** Replace the world with a scenario and reset the car into it. */
  async loadScenario(scenario: Scenario): Promise<ScreenSnapshot> {
    this.scenario = scenario;
    this.outsideTemperature = null;
    this.options.onScenario?.(scenario);
    this.phones()?.replacePhones(scenario.phones);
    return this.reset();
  }

  async stop(): Promise<void> {
    // (work left running in the background, an address book's lists, ends at its next turn)
    this.lifetime.abort(new Error('the car stopped'));
    clearTimeout(this.clock);
    this.actor.stop();
    this.stopProblems();
    await this.saved();
    // (work the car left running, a download step or a sync, may finish later: it writes nothing)
    this.store.close();
  }

  /** Resolves once everything the car keeps is on disk (for a checkpoint of a running car). */
  async saved(): Promise<void> {
    await this.store.settings.save(this.actor.getSnapshot().context.settings).catch(reported);
    await this.store.settled();
  }

  private scenarioSettings(): CarSettings {
    return { ...this.store.defaults(), ...this.scenario.car };
  }

  private compose(revision: number): View {
    const snapshot = this.actor.getSnapshot();
    return composeView(snapshot.context, phaseOf(snapshot.value), this.env, revision, flowOf(snapshot), childrenOf(snapshot));
  }

  private refresh(): void {
    const previous = this.view_;
    const next = this.compose(previous.revision + 1);
    // (compared by structure, not as JSON text: a long list's part is the same array from step to
    // step, so a controller step costs no copy of it)
    const { revision: _, ...content } = next;
    if (this.viewContent && isDeepStrictEqual(content, this.viewContent)) return;
    this.viewContent = content;
    this.view_ = next;
    for (const event of changes(previous, next)) this.emit(event);
    if (next.popup && next.popup.id !== previous.popup?.id) this.timeline.add('popup', `${next.popup.id}: ${next.popup.title}`, { popup: next.popup.id });
    for (const listener of this.viewListeners) listener(next);
  }

  private emit(event: CoreEvent): void {
    for (const listener of this.eventListeners) listener(event);
  }

  /** The status-bar clock: one update on each minute boundary. */
  private tickClock(): void {
    const now = this.env.now();
    const wait = 60_000 - (now.getSeconds() * 1000 + now.getMilliseconds());
    this.clock = setTimeout(() => {
      this.refresh();
      this.tickClock();
    }, wait);
    this.clock.unref();
  }

  private waitFor<T>(timeoutMs: number, what: string, watch: (done: (value: T) => void) => () => void): Promise<T> {
    return new Promise((resolve, reject) => {
      // (`watch` may report at once, before it has returned the way to stop it)
      const watching: { stop?: () => void; done?: boolean } = {};
      const timer = setTimeout(() => {
        watching.stop?.();
        // (what the car showed instead: the first thing a reader of a failed wait needs)
        const shown = this.view_;
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; the car shows ${shown.screen.id}${shown.popup ? ` with the pop-up ${shown.popup.id}` : ''}`,
          ),
        );
      }, timeoutMs);
      watching.stop = watch((value) => {
        watching.done = true;
        clearTimeout(timer);
        watching.stop?.();
        resolve(value);
      });
      if (watching.done) watching.stop();
    });
  }
}

/** The named events a change of view means, for `wait.event`. */
function changes(before: View, after: View): CoreEvent[] {
  const events: CoreEvent[] = [{ name: 'view', detail: { revision: after.revision, screen: after.screen.id } }];
  if (before.screen.id !== after.screen.id) events.push({ name: 'screen', detail: { from: before.screen.id, to: after.screen.id } });
  if (before.popup?.id !== after.popup?.id) events.push({ name: 'popup', detail: { id: after.popup?.id ?? null } });
  if (before.language !== after.language || before.theme !== after.theme || before.resolution !== after.resolution)
    events.push({ name: 'settings', detail: { language: after.language, theme: after.theme, resolution: after.resolution } });
  if (before.screen.id === 'resetting' && after.screen.id !== 'resetting') events.push({ name: 'reset', detail: {} });
  if (after.popup?.id === 'storeCorrupt' && before.popup?.id !== 'storeCorrupt') events.push({ name: 'storeCorrupt', detail: {} });
  return events;
}

/** A record's string, number, boolean and null fields (what a timeline event may carry). */
function plainFields(record: object): Record<string, string | number | boolean | null> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) as Record<
    string,
    string | number | boolean | null
  >;
}
