import * as z from 'zod';
import { ControllerInput } from './controller';
import { resolutions, themes, type View } from './view';
import { languages } from './i18n';
import { Scenario } from './scenario';
import { presetIds } from './presets';
import { guideSteps, type GuideStep } from './guide';
import { CloudWorldCommand, type CloudWorldResult } from './cloudWorld';

/**
 * The one IPC contract: for each channel its request schema (checked on arrival, untrusted) and
 * its result type (made by the core, trusted). The Electron preload builds one named function per
 * renderer channel from this; the web host speaks the same channels over WebSocket.
 */
export interface Channel<Req extends z.ZodType, Res> {
  request: Req;
  /** phantom: the result's type, never read at run time */
  result?: Res;
}
function channel<Res>() {
  return <Req extends z.ZodType>(request: Req): Channel<Req, Res> => ({ request });
}
const Empty = z.strictObject({});

/** What the car's display may ask of the core. */
export const rendererContract = {
  'view.get': channel<View>()(Empty),
  'input.send': channel<{ accepted: boolean }>()(ControllerInput),
} as const;

/** The stable JSON of what is on screen, for tests, the bench and scripts. */
export interface ScreenSnapshot {
  /** grows by one with each change of what is shown; `wait.view` waits for a revision past one already read */
  revision: number;
  screen: string;
  kind: View['screen']['kind'];
  title: string;
  items: { id: string; label: string; kind: string; detail?: string; checked?: boolean; disabled?: boolean }[];
  focused: string | null;
  popup: { id: string; title: string; text: string; highlight?: string; items: { id: string; label: string }[]; focused: string | null } | null;
  /** a passing message shown beside the screen (a phone just connected), while there is one */
  notice?: { title: string; text: string };
  /** the status bar (without its clock): the active profile, the network and its signal bars, mobile data, the connected phone */
  status: Omit<View['status'], 'time'>;
  /** the context pane at the right of the wide display, when the screen has one */
  aside: View['aside'];
  language: View['language'];
  theme: View['theme'];
  resolution: View['resolution'];
  /** entry screens only: what the field shows, and the message under it */
  field?: string;
  error?: string;
  /** QR screens only: the instructions, the code to type, and the time left */
  qr?: { instructions: string; manual: string; timeLeft: string };
}

/** What a timeline event is: an input, a change of the world (or a fault injected), a machine's move, a pop-up, a failure. */
export const timelineKinds = ['input', 'world', 'state', 'popup', 'failure'] as const;
export type TimelineKind = (typeof timelineKinds)[number];
/**
 * What a timeline replays: the driver's inputs and the bench's changes of the car and its world,
 * not what the car did in answer (its moves, pop-ups and failures follow from these).
 */
export const replayChannels = [
  'input.send',
  'world.modem',
  'world.bluetooth',
  'world.cloud',
  'world.pace',
  'world.outside',
  'car.settings',
  'car.restart',
  'car.reset',
  'world.reset',
  'preset.apply',
  'checkpoint.restore',
] as const;
export type ReplayChannel = (typeof replayChannels)[number];

/**
 * The automation call that does an event again, and the screen it was made on (a replay waits for
 * that screen first). A secret (typed into a password or PIN field, a line's PIN and password) is
 * taken out: `secrets` names the fields a replay must be given again, in order.
 */
export interface TimelineCall {
  channel: ReplayChannel;
  request: Record<string, unknown>;
  secrets?: string[];
  screen: string;
  popup: string | null;
}

const TimelineCallSchema = z.strictObject({
  channel: z.enum(replayChannels),
  request: z.record(z.string(), z.unknown()),
  secrets: z.array(z.string().max(64)).max(4).optional(),
  screen: z.string().max(128),
  popup: z.string().max(128).nullable(),
});

/** What a replay did: how many calls it made again, the changes it could not make again and why, and the screen it ended on. */
export interface ReplayReport {
  replayed: number;
  skipped: { seq: number; text: string; reason: string }[];
  screen: ScreenSnapshot;
}

/** One thing that happened to the car (see main/timeline.ts), numbered in order. */
export interface TimelineEvent {
  seq: number;
  /** ISO time */
  at: string;
  kind: TimelineKind;
  /** the part of the guide the car was at (absent: outside the guide) */
  step?: GuideStep;
  text: string;
  detail?: Record<string, string | number | boolean | null>;
  /** how to make it again (inputs and the bench's changes only) */
  replay?: TimelineCall;
}

/** A contact of a phone's address book as a caller: the name the car shows for the number. */
export interface Caller {
  name: string;
  number: string;
}

/** The simulated world as the bench console shows it (null where the part is real hardware). */
export interface WorldState {
  modem: {
    registration: { state: string; operator: string | null; signal: number };
    /** the network where the bench put the car: home, a roaming partner's abroad, or one that refuses registration */
    network: 'home' | 'roaming' | 'denied';
    /** the download faults waiting for the next downloads, in the order they apply */
    faults: { step: string; kind: string; reason?: number; afterSegments?: number; every?: boolean }[];
    calls: { id: number; number: string; state: string; direction: string }[];
  } | null;
  /** how fast the simulated module and phones work: 1 about real hardware's pace, 0 at once (null: both real) */
  pace: number | null;
  /** with the first contacts of each phone's address book, so the bench can ring the car as one of them */
  phones: (PhoneScreen & { address: string; callers: Caller[] })[] | null;
}

/** `view`: anything on the display changed (the other names are the notable kinds of change). */
export const coreEvents = ['view', 'screen', 'popup', 'settings', 'reset', 'storeCorrupt'] as const;
export type CoreEventName = (typeof coreEvents)[number];
export interface CoreEvent {
  name: CoreEventName;
  detail: Record<string, string | number | boolean | null>;
}

/** What a simulated phone's own screen shows. */
export interface PhoneScreen {
  name: string;
  /** the phone's signal strength where the car is (RSSI, dBm) */
  rssi: number;
  /** the pairing code while the phone asks to pair */
  passkey: string | null;
  paired: boolean;
  connected: boolean;
  inRange: boolean;
}
const Address = z.string().regex(/^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/);
const PhoneNumber = z.string().regex(/^\+?[0-9 ()-]{2,24}$/);

const Timeout = z.number().int().min(1).max(600_000).default(10_000);

/** A machine as the bench charts it: every state (dotted paths, as declared) and the ones it is in now. */
export interface MachineChart {
  name: string;
  states: string[];
  active: string[];
}

/** A checkpoint as listed: its name, when it was saved (ISO 8601), its files' total bytes and count. */
export interface CheckpointSummary {
  name: string;
  savedAt: string;
  bytes: number;
  files: number;
}

/** A name a checkpoint may have: letters, digits, `.`, `_`, `-`; 1–64 characters, not starting with `.`. */
export const CheckpointName = z
  .string()
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/, 'a checkpoint name is 1 to 64 letters, digits, ".", "_" or "-", not starting with "."');

/** The automation API: input, screen as JSON, waits, screenshot, reset and scenarios. */
export const automationContract = {
  'screen.read': channel<ScreenSnapshot>()(Empty),
  'input.send': channel<{ accepted: boolean }>()(ControllerInput),
  'input.tap': channel<{ itemId: string | null }>()(z.strictObject({ x: z.number().min(0).max(10_000), y: z.number().min(0).max(10_000) })),
  'wait.screen': channel<ScreenSnapshot>()(z.strictObject({ screen: z.string().min(1).max(128), timeoutMs: Timeout })),
  /** The screen once it has changed since `after` (a `revision` read before): at once if it already has, so no change falls between a read and the wait. */
  'wait.view': channel<ScreenSnapshot>()(z.strictObject({ after: z.number().int().min(0), timeoutMs: Timeout })),
  'wait.event': channel<CoreEvent>()(z.strictObject({ event: z.enum(coreEvents), timeoutMs: Timeout })),
  'screenshot.take': channel<{ png: string }>()(Empty),
  /** The world around the car: the cellular module's faults and coverage (simulated module only). */
  'world.modem': channel<{ done: boolean }>()(
    z.discriminatedUnion('action', [
      z.strictObject({ action: z.literal('reset') }),
      /** the module is unplugged (everything fails as gone), or plugged back in */
      z.strictObject({ action: z.literal('unplug') }),
      z.strictObject({ action: z.literal('plugIn') }),
      z.strictObject({ action: z.literal('signal'), signal: z.number().int().min(0).max(4) }),
      /** the network where the car is: the profile's home network, a roaming partner's abroad, or one that denies registration */
      z.strictObject({ action: z.literal('network'), network: z.enum(['home', 'roaming', 'denied']) }),
      /** One Number rings the car: a call arrives on the Personal eSIM */
      z.strictObject({ action: z.literal('ring'), number: PhoneNumber }),
      /** the other party of the newest call answers, or hangs up */
      z.strictObject({ action: z.literal('remoteAnswer') }),
      z.strictObject({ action: z.literal('remoteHangUp') }),
      /** the download faults waiting are dropped: downloads go through again */
      z.strictObject({ action: z.literal('clearFaults') }),
      z.strictObject({
        action: z.literal('downloadFault'),
        step: z.enum(['authenticateServer', 'prepareDownload', 'load']),
        kind: z.enum(['reset', 'gone', 'errorReason']),
        afterSegments: z.number().int().min(0).max(64).default(0),
        reason: z.number().int().min(1).max(127).optional(),
        /** every download until the faults are cleared (default: the next download only) */
        every: z.boolean().default(false),
      }),
    ]),
  ),
  /** Phones in range (simulated Bluetooth only): read a phone's screen, answer its pairing prompt, move it, call it. */
  'world.bluetooth': channel<{ done: boolean; phone?: PhoneScreen }>()(
    z.discriminatedUnion('action', [
      z.strictObject({ action: z.literal('phone'), address: Address }),
      z.strictObject({ action: z.literal('answer'), address: Address, accept: z.boolean() }),
      /** the owner pairs from the phone's own Bluetooth settings */
      z.strictObject({ action: z.literal('startPairing'), address: Address }),
      z.strictObject({ action: z.literal('range'), address: Address, inRange: z.boolean() }),
      /** the owner walks away with the phone in `afterSeconds` (out of range then: mid-pairing, say) */
      z.strictObject({ action: z.literal('walkAway'), address: Address, afterSeconds: z.number().min(0).max(600) }),
      /** the phone's signal strength where the car is, RSSI in dBm */
      z.strictObject({ action: z.literal('signal'), address: Address, rssi: z.number().int().min(-100).max(-20) }),
      /** the owner removes the car from the phone's own Bluetooth settings */
      z.strictObject({ action: z.literal('forget'), address: Address }),
      z.strictObject({ action: z.literal('ring'), address: Address, number: PhoneNumber }),
      /** the owner allows or stops contact sharing for the car on the phone */
      z.strictObject({ action: z.literal('contactSharing'), address: Address, allowed: z.boolean() }),
    ]),
  ),
  /**
   * The cloud the car uses (embedded, or a shared one on this machine): its BMW IDs and lines, its
   * outages, its live behaviour, the SM-DP+'s orders and faults (shared/cloudWorld.ts), run by
   * the cloud's `POST /admin/world`.
   */
  'world.cloud': channel<CloudWorldResult>()(CloudWorldCommand),
  /**
   * How fast the simulated module (registration, a Personal eSIM download) and phones (discovery,
   * pairing, an address book's transfer) work from now on: 1 about real hardware's pace, 0 at once,
   * 2 twice as slow; the scenario's `pace` again at the next start.
   */
  'world.pace': channel<{ pace: number }>()(z.strictObject({ pace: z.number().min(0).max(10) })),
  /** The outside temperature the car's sensor reads (°C), shown in the status bar; the scenario's again when it is loaded again. */
  'world.outside': channel<ScreenSnapshot>()(z.strictObject({ temperatureC: z.number().min(-50).max(60) })),
  /** The simulated world's state: the module's registration, its waiting faults and calls; the phones in range. */
  'world.read': channel<WorldState>()(Empty),
  /** The running machines (the head unit and its children), each with its states and the ones it is in now. */
  'machines.read': channel<{ machines: MachineChart[] }>()(Empty),
  /**
   * The timeline after `after` (a seq; 0: from the oldest kept), of the kinds and guide steps asked
   * (default all); with `timeoutMs`, waits that long for a first new event (a live reader's long
   * poll). `last` is the newest seq, filtered or not: the next read's `after`.
   */
  'timeline.read': channel<{ events: TimelineEvent[]; last: number }>()(
    z.strictObject({
      after: z.number().int().min(0).default(0),
      timeoutMs: z.number().int().min(0).max(60_000).default(0),
      kinds: z.array(z.enum(timelineKinds)).max(5).optional(),
      steps: z.array(z.enum(guideSteps)).max(4).optional(),
    }),
  ),
  /**
   * A recorded timeline (from `timeline.read` or the console's export) made to happen again: from the
   * car and world as new (`from: "reset"`, the default), a checkpoint, or as they are (`"asIs"`);
   * each input and world change waits up to `waitMs` for the screen it was made on. `secrets`: the
   * text typed into secret fields and the e-mail, by screen id (`entry.email`, `entry.password`, `entry.pin`, …: every character,
   * in order), and a line's `networkPin` and `dPassword`, as the timeline never keeps them.
   */
  'timeline.replay': channel<ReplayReport>()(
    z.strictObject({
      events: z
        .array(z.object({ seq: z.number().int().min(0), kind: z.enum(timelineKinds), text: z.string().max(500), replay: TimelineCallSchema.optional() }))
        .max(5000),
      from: z.union([z.literal('reset'), z.literal('asIs'), z.strictObject({ checkpoint: z.string().min(1).max(1000) })]).default('reset'),
      secrets: z.record(z.string().max(64), z.array(z.string().max(256)).max(100)).default({}),
      waitMs: z.number().int().min(100).max(600_000).default(30_000),
    }),
  ),
  /** The car switched off and on (an ignition cycle): it starts again from what it keeps, the world with it. */
  'car.restart': channel<ScreenSnapshot>()(Empty),
  'car.reset': channel<ScreenSnapshot>()(Empty),
  /** The car's display settings, as the driver sets them in Settings: language, day or night, resolution. */
  'car.settings': channel<ScreenSnapshot>()(
    z.strictObject({ language: z.enum(languages).optional(), theme: z.enum(themes).optional(), resolution: z.enum(resolutions).optional() }),
  ),
  /** Factory reset of the car and of its world: the current scenario loaded again (accounts, lines, orders as new). */
  'world.reset': channel<ScreenSnapshot>()(Empty),
  /**
   * The car and its world put at a step of STEP 2 (from both as new, by the driver's own inputs):
   * guest, pinOffer, esimSettingUp, telephonyOffer, pairing, connected.
   */
  'preset.apply': channel<ScreenSnapshot>()(z.strictObject({ preset: z.enum(presetIds) })),
  'scenario.load': channel<ScreenSnapshot>()(z.strictObject({ scenario: Scenario })),
  /** The data dir's checkpoints of the whole bench, newest first. */
  'checkpoint.list': channel<{ checkpoints: CheckpointSummary[] }>()(Empty),
  /** Saves the whole bench (car memory, simulated eUICC, phones, cloud world) under a name, replacing one of that name. */
  'checkpoint.save': channel<CheckpointSummary>()(z.strictObject({ name: CheckpointName })),
  /**
   * Puts the bench back to a checkpoint (a name, or a checkpoint directory's path): the car
   * restarts on it. A damaged or missing checkpoint is refused, and nothing changes.
   */
  'checkpoint.restore': channel<ScreenSnapshot>()(z.strictObject({ name: z.string().min(1).max(1000) })),
} as const;

export type Contract = Record<string, Channel<z.ZodType, unknown>>;
export type RequestOf<C extends Contract, K extends keyof C> = z.input<C[K]['request']>;
export type ResultOf<C extends Contract, K extends keyof C> = NonNullable<C[K]['result']>;

/** Messages on the wire (WebSocket) and through the preload. */
export const RequestEnvelope = z.strictObject({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  channel: z.string().min(1).max(64),
  payload: z.unknown(),
});
export type Outcome = { ok: true; result: unknown } | { ok: false; error: string };
export type Reply = Outcome & { id: number };
/** Pushed by the core without a request. */
export interface ViewPush {
  push: 'view';
  view: View;
}

/** The only error text a client gets for a request it got wrong: no schema details leak. */
export const invalidRequest = 'invalid request';
