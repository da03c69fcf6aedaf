import { assign, enqueueActions, fromCallback, fromPromise, setup } from 'xstate';
import type { AccountInfo, DeviceAuthorization, LoginFailure, TokenSet } from '../bmwId/client';
import type { MessageKey } from '../../shared/i18n';
import { forwardKey, openEntry, type EntryState } from './keyboard';
import type { HeadUnitEvent } from './events';
import type { LoginEvent, LoginResult } from './loginEvents';
import type { ProfilesFile } from '../bmwId/profiles';
import type { CarSettings } from '../settings';

/** A QR login in progress: the code the phone scans, and until when it is good. */
export interface ShownCode extends Pick<DeviceAuthorization, 'device_code' | 'user_code' | 'verification_uri' | 'verification_uri_complete' | 'interval'> {
  issuedAt: number;
  expiresAt: number;
  /** the QR code as a PNG data URL, drawn once per code */
  qr: string;
}

export interface LoginContext {
  vehicleName: string;
  /** an e-mail to start from (logging back into a known profile) */
  email: string;
  password: string;
  code: ShownCode | null;
  now: number;
  /** what went wrong, what "Try again" does, and how many times in a row it went wrong this way */
  failure: { failure: LoginFailure; retryAfterSeconds: number; retry: 'qr' | 'email' | 'waiting'; attempt: number } | null;
  tokens: TokenSet | null;
  account: AccountInfo | null;
  applySettings: boolean;
  pin: string | null;
  /** the second PIN differed from the first: explained when the driver starts over */
  pinMismatch: boolean;
  entry: EntryState | null;
  /** where the flow starts: the method choice, straight into one method, or only a new PIN */
  start: 'choose' | 'qr' | 'email' | 'password' | 'pin';
  /** the profile a new PIN is for */
  profileId: string | null;
  /** the car's profiles once the login (or the new PIN) is stored */
  saved: ProfilesFile | null;
  /** the store refused to keep it */
  refused: boolean;
}

/** What the login stores: a new or renewed profile with its tokens and PIN, or a new PIN. */
export type LoginToSave = LoginResult | { id: string; newPin: string };

export interface LoginInput {
  vehicleName: string;
  /** the profile a new PIN is for (`method: 'pin'`) */
  profileId?: string;
  email?: string;
  /** 'pin': only choose a new PIN (Change PIN on a profile that is already logged in) */
  method?: 'qr' | 'email' | 'pin';
  now: number;
}

type Event = LoginEvent | Extract<HeadUnitEvent, { type: 'entry.key' | 'entry.type' }>;

/**
 * How the login ended. It stores what it gathered itself (tokens and PINs never pass through the
 * head unit): `saved`, a profile added and made active (with the BMW ID's settings to apply, when
 * the driver chose so); `pinSet`, a new PIN; `notSaved`, the store refused and the driver gave up
 * trying again (told on the login's own screen and by the store's notice); null, cancelled.
 */
export type LoginOutput =
  { kind: 'saved'; profiles: ProfilesFile; settings: Partial<CarSettings> | null } | { kind: 'pinSet'; profiles: ProfilesFile } | { kind: 'notSaved' } | null;

const failureMessages: Record<LoginFailure, MessageKey> = {
  unreachable: 'login.unreachable',
  timeout: 'login.timeout',
  server: 'login.server',
  denied: 'login.denied',
  expired: 'login.server',
  wrongCredentials: 'login.wrongCredentials',
  rateLimited: 'login.rateLimited',
  invalidToken: 'login.server',
};
export function failureMessage(failure: LoginFailure): MessageKey {
  return failureMessages[failure];
}

/**
 * The BMW ID login, from "Add BMW ID" to a profile with its PIN (guide STEP 2 steps 2–9). It talks
 * to the cloud only through its actors, so tests run it against the real cloud or without one.
 */
export const loginMachine = setup({
  types: { context: {} as LoginContext, events: {} as Event, input: {} as LoginInput, output: {} as LoginOutput },
  actors: {
    requestCode: fromPromise<ShownCode, { vehicleName: string }>(async () => {
      throw new Error('requestCode not provided');
    }),
    /** polls the token endpoint at the code's interval (slower after slow_down) and ticks the clock */
    pollForTokens: fromCallback<LoginEvent, ShownCode>(() => () => {}),
    passwordLogin: fromPromise<TokenSet, { email: string; password: string }>(async () => {
      throw new Error('passwordLogin not provided');
    }),
    fetchAccount: fromPromise<AccountInfo, TokenSet>(async () => {
      throw new Error('fetchAccount not provided');
    }),
    /** stores the login (tokens, PIN hash, the profile made active) or the new PIN; answers the car's profiles */
    save: fromPromise<ProfilesFile, LoginToSave>(async () => {
      throw new Error('save not provided');
    }),
  },
  guards: {
    /** how the login was opened: the driver's choice of method, a known profile's password, or a new PIN */
    startsAt: ({ context }, start: LoginContext['start']) => context.start === start,
    /** the driver chose this way to log in */
    chose: ({ event }, method: Extract<LoginEvent, { type: 'login.method' }>['method']) => event.type === 'login.method' && event.method === method,
    /** a password login refused in a way the driver can put right on the password screen */
    driverCanFix: (_, error: unknown) => ['wrongCredentials', 'rateLimited'].includes(failureOf(error)),
    /** "Try again" goes back to this part of the login */
    retriesWith: ({ context }, retry: 'qr' | 'email' | 'waiting') => context.failure?.retry === retry,
    /** the PIN typed again is the one chosen */
    samePin: ({ context }, text: string) => text === context.pin,
  },
  actions: {
    fail: assign(({ context, event }, retry: 'qr' | 'email' | 'waiting') => {
      const e = event as { error?: unknown } & Partial<Extract<LoginEvent, { type: 'login.failed' }>>;
      const failure = e.failure ?? failureOf(e.error);
      // "Try again" that fails the same way says so: the driver sees that it was tried.
      const same = context.failure?.failure === failure && context.failure.retry === retry;
      return { failure: { failure, retryAfterSeconds: e.retryAfterSeconds ?? retryAfterOf(e.error), retry, attempt: same ? context.failure!.attempt + 1 : 1 } };
    }),
    openEntry: assign(
      (
        _,
        params: { purpose: EntryState['purpose']; text?: string; subject?: string; error?: MessageKey | null; errorParams?: Record<string, string | number> },
      ) => ({
        entry: {
          ...openEntry(params.purpose, params.text ?? '', params.error ?? null),
          ...(params.errorParams ? { errorParams: params.errorParams } : {}),
          ...(params.subject ? { subject: params.subject } : {}),
        },
      }),
    ),
    pressKey: enqueueActions(({ context, event, enqueue }) =>
      // (a flow's entries submit only the flow's own events)
      forwardKey(context.entry, event, { entry: (entry) => enqueue.assign({ entry }), submit: (submit) => enqueue.raise(submit as LoginEvent) }),
    ),
  },
}).createMachine({
  id: 'login',
  context: ({ input }) => ({
    vehicleName: input.vehicleName,
    email: input.email ?? '',
    password: '',
    code: null,
    now: input.now,
    failure: null,
    tokens: null,
    account: null,
    applySettings: true,
    pin: null,
    pinMismatch: false,
    entry: null,
    profileId: input.profileId ?? null,
    saved: null,
    refused: false,
    // Logging back into a known profile by e-mail asks only for its password.
    start: input.method === 'email' && input.email ? 'password' : (input.method ?? 'choose'),
  }),
  initial: 'start',
  states: {
    start: {
      always: [
        { guard: { type: 'startsAt', params: 'qr' }, target: 'qr' },
        { guard: { type: 'startsAt', params: 'email' }, target: 'email' },
        { guard: { type: 'startsAt', params: 'password' }, target: 'email.password' },
        { guard: { type: 'startsAt', params: 'pin' }, target: 'pin' },
        { target: 'choose' },
      ],
    },
    choose: {
      on: {
        'login.method': [{ guard: { type: 'chose', params: 'qr' }, target: 'qr' }, { target: 'email' }],
        'login.back': 'cancelled',
      },
    },
    qr: {
      initial: 'requesting',
      on: { 'login.back': '#login.choose' },
      states: {
        requesting: {
          invoke: {
            src: 'requestCode',
            id: 'requestCode',
            input: ({ context }) => ({ vehicleName: context.vehicleName }),
            onDone: { target: 'showing', actions: assign({ code: ({ event }) => event.output, now: ({ event }) => event.output.issuedAt }) },
            onError: { target: '#login.failed', actions: { type: 'fail', params: 'qr' } },
          },
        },
        showing: {
          invoke: { src: 'pollForTokens', id: 'pollForTokens', input: ({ context }) => context.code! },
          on: {
            'login.tick': { actions: assign({ now: ({ event }) => event.now }) },
            // A new code appears when the old one expires.
            'login.expired': { target: 'requesting', reenter: true },
            'login.denied': 'denied',
            'login.failed': { target: '#login.failed', actions: { type: 'fail', params: 'qr' } },
            'login.authorized': { target: '#login.waiting', actions: assign({ tokens: ({ event }) => event.tokens }) },
          },
        },
        denied: {
          on: { 'login.retry': 'requesting', 'login.method': { target: '#login.email', guard: { type: 'chose', params: 'email' } } },
        },
      },
    },
    email: {
      initial: 'address',
      states: {
        address: {
          entry: { type: 'openEntry', params: ({ context }) => ({ purpose: 'email' as const, text: context.email }) },
          on: {
            'entry.key': { actions: 'pressKey' },
            'entry.type': { actions: 'pressKey' },
            'login.submit': { target: 'password', actions: assign({ email: ({ event }) => event.text }) },
            'login.back': '#login.choose',
          },
        },
        password: {
          entry: [
            {
              type: 'openEntry',
              params: ({ context }) => ({
                purpose: 'password' as const,
                subject: context.email,
                error: context.failure ? failureMessage(context.failure.failure) : null,
                errorParams: { seconds: context.failure?.retryAfterSeconds ?? 0 },
              }),
            },
          ],
          on: {
            'entry.key': { actions: 'pressKey' },
            'entry.type': { actions: 'pressKey' },
            'login.submit': { target: 'submitting', actions: assign({ password: ({ event }) => event.text, failure: null }) },
            'login.back': 'address',
          },
        },
        submitting: {
          invoke: {
            src: 'passwordLogin',
            id: 'passwordLogin',
            input: ({ context }) => ({ email: context.email, password: context.password }),
            // The password is forgotten as soon as it has been used.
            onDone: { target: '#login.waiting', actions: assign({ tokens: ({ event }) => event.output, password: '' }) },
            onError: [
              {
                guard: { type: 'driverCanFix', params: ({ event }: { event: { error: unknown } }) => event.error },
                target: 'password',
                actions: [{ type: 'fail', params: 'email' }, assign({ password: '' })],
              },
              { target: '#login.failed', actions: [{ type: 'fail', params: 'email' }, assign({ password: '' })] },
            ],
          },
        },
      },
    },
    waiting: {
      invoke: {
        src: 'fetchAccount',
        id: 'fetchAccount',
        input: ({ context }) => context.tokens!,
        onDone: { target: 'settings', actions: assign({ account: ({ event }) => event.output, failure: null }) },
        onError: { target: 'failed', actions: { type: 'fail', params: 'waiting' } },
      },
      on: { 'login.back': 'choose' },
    },
    failed: {
      on: {
        'login.retry': [
          { guard: { type: 'retriesWith', params: 'qr' }, target: 'qr' },
          { guard: { type: 'retriesWith', params: 'waiting' }, target: 'waiting' },
          { target: 'email.password' },
        ],
        'login.back': { target: 'choose', actions: assign({ failure: null }) },
      },
    },
    settings: {
      on: {
        'login.applySettings': { actions: assign({ applySettings: ({ event }) => event.apply }) },
        'login.continue': 'pinOffer',
      },
    },
    pinOffer: {
      on: { 'login.pinNow': 'pin', 'login.pinLater': 'saving' },
    },
    pin: {
      initial: 'first',
      on: { 'entry.key': { actions: 'pressKey' }, 'entry.type': { actions: 'pressKey' } },
      states: {
        first: {
          entry: { type: 'openEntry', params: ({ context }) => ({ purpose: 'pin' as const, error: context.pinMismatch ? ('pin.mismatch' as const) : null }) },
          on: {
            'login.submit': { target: 'again', actions: assign({ pin: ({ event }) => event.text, pinMismatch: false }) },
            'login.back': [{ guard: { type: 'startsAt', params: 'pin' }, target: '#login.cancelled' }, { target: '#login.pinOffer' }],
          },
        },
        again: {
          entry: { type: 'openEntry', params: { purpose: 'pinConfirm' } },
          on: {
            'login.submit': [
              { guard: { type: 'samePin', params: ({ event }) => event.text }, target: 'set' },
              // A mismatch is explained, and the driver chooses a PIN again from the start.
              { target: 'first', actions: assign({ pin: null, pinMismatch: true }) },
            ],
            'login.back': { target: 'first', actions: assign({ pin: null }) },
          },
        },
        set: {
          entry: assign({ entry: null }),
          on: { 'login.continue': '#login.saving' },
        },
      },
    },
    // A moment's write to the car's memory: input waits for it (the core holds it).
    saving: {
      tags: 'busy',
      invoke: {
        src: 'save',
        id: 'save',
        input: ({ context }): LoginToSave =>
          context.start === 'pin'
            ? { id: context.profileId ?? '', newPin: context.pin ?? '' }
            : { account: context.account!, tokens: context.tokens!, applySettings: context.applySettings, pin: context.pin },
        // Stored: the secrets leave the flow's memory.
        onDone: { target: 'done', actions: assign({ saved: ({ event }) => event.output, tokens: null, pin: null }) },
        // Not stored (a full or read-only memory): the driver is told here, before the menu, and
        // the login is kept for another try once the memory is freed.
        onError: { target: 'saveFailed', actions: assign({ refused: true }) },
      },
    },
    saveFailed: {
      on: { 'login.retry': 'saving', 'login.back': 'notSaved' },
    },
    done: { type: 'final' },
    notSaved: { type: 'final', entry: assign({ tokens: null, pin: null }) },
    // Cancelling forgets what the login had: no account, no tokens reach the car.
    cancelled: { type: 'final', entry: assign({ account: null, tokens: null, pin: null }) },
  },
  output: ({ context }): LoginOutput => {
    if (context.saved) {
      if (context.start === 'pin') return { kind: 'pinSet', profiles: context.saved };
      return { kind: 'saved', profiles: context.saved, settings: context.applySettings && context.account ? context.account.settings : null };
    }
    return context.refused ? { kind: 'notSaved' } : null;
  },
});

function failureOf(error: unknown): LoginFailure {
  const kind = (error as { kind?: LoginFailure } | undefined)?.kind;
  return kind ?? 'server';
}
function retryAfterOf(error: unknown): number {
  return (error as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 0;
}

/** The polling actor the core provides: interval, slow_down (+5 s), a tick each second. */
export function pollingActor(
  poll: (deviceCode: string) => Promise<{ kind: 'tokens'; tokens: TokenSet } | { kind: 'pending' } | { kind: 'slowDown' }>,
  now: () => number,
) {
  return fromCallback<LoginEvent, ShownCode>(({ input, sendBack }) => {
    let interval = input.interval;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const ticker = setInterval(() => {
      sendBack({ type: 'login.tick', now: now() });
      if (now() >= input.expiresAt) sendBack({ type: 'login.expired' });
    }, 1000);
    const schedule = () => {
      if (!stopped) timer = setTimeout(once, interval * 1000);
    };
    const once = async () => {
      try {
        const result = await poll(input.device_code);
        if (stopped) return;
        if (result.kind === 'tokens') return sendBack({ type: 'login.authorized', tokens: result.tokens });
        if (result.kind === 'slowDown') interval += 5;
        schedule();
      } catch (error) {
        if (stopped) return;
        const failure = failureOf(error);
        if (failure === 'denied') return sendBack({ type: 'login.denied' });
        if (failure === 'expired') return sendBack({ type: 'login.expired' });
        // A dropped connection while polling: keep polling until the code expires.
        if (failure === 'unreachable' || failure === 'timeout') return schedule();
        sendBack({ type: 'login.failed', failure });
      }
    };
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(ticker);
    };
  });
}
