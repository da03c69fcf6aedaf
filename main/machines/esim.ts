import { assign, enqueueActions, fromCallback, fromPromise, sendParent, setup } from 'xstate';
import type { Registration } from '../../hardware/modem/contract';
import type { DownloadStage, LpaFailure } from '../esim/lpa';

/** What the carrier says about this BMW ID's Personal eSIM for this car. */
export type Entitlement =
  | { kind: 'installed'; iccid: string; msisdn: string }
  | { kind: 'download'; activationCode: string; iccid: string; msisdn: string }
  | { kind: 'notAvailable'; reason: 'noLine' | 'notSubscribed' | 'notAssociated' | 'noSlot' };

export type EsimFailure = LpaFailure | { kind: 'entitlement' } | { kind: 'enable' };

/** How often a BMW ID without Personal eSIM asks the carrier again, in ms. */
const recheckMs = 60_000;
/** How long a new Personal eSIM waits for the driver to open Mobile devices before it sets up anyway, in ms (scaled by the car's time scale). */
export const driverWaitMs = 60_000;

export interface EsimSwitches {
  voice: boolean;
  data: boolean;
  roaming: boolean;
}

export interface EsimContext {
  profileId: string | null;
  msisdn: string | null;
  iccid: string | null;
  activationCode: string | null;
  stage: DownloadStage | null;
  progress: number;
  failure: EsimFailure | null;
  attempts: number;
  registration: Registration | null;
  switches: EsimSwitches;
  /** the data session is really up (the switch says what the driver wants) */
  dataUp: boolean;
  /** the cellular module does not answer (unplugged): the eSIM is there, the car cannot reach it */
  moduleGone: boolean;
  /** the profile was just downloaded: when it is ready, the car offers telephony (guide step 12) */
  justInstalled: boolean;
  /** why the carrier gives this BMW ID no Personal eSIM */
  unavailable: Extract<Entitlement, { kind: 'notAvailable' }>['reason'] | null;
  /** a download offered is held until the driver opens Mobile devices (guide steps 10–11); false once they did, or asked to try again */
  waitForDriver: boolean;
}

export type EsimEvent =
  | { type: 'esim.retry' }
  /** the driver looks at the Personal eSIM: a BMW ID without one asks the carrier again */
  | { type: 'esim.recheck' }
  | { type: 'esim.progress'; stage: DownloadStage; progress: number }
  | { type: 'esim.installed'; iccid: string }
  | { type: 'esim.failed'; failure: EsimFailure }
  | { type: 'esim.registration'; registration: Registration }
  /** the modem's data session went up or down */
  | { type: 'esim.data'; up: boolean }
  /** the cellular module went away (unplugged) or came back */
  | { type: 'esim.module'; present: boolean }
  | { type: 'esim.switch'; patch: Partial<EsimSwitches> };

/** Retrying an interrupted download: at most this many tries, waiting 2, 4, 8 s (scaled) between. */
export const maxAttempts = 3;

function retryable(failure: EsimFailure): boolean {
  if (failure.kind === 'network') return true;
  if (failure.kind === 'modem') return failure.code === 'interrupted';
  if (failure.kind === 'errorReason') return failure.reason === 11;
  return failure.kind === 'entitlement';
}

/** What the eSIM machine tells the head unit (checked against HeadUnitEvent in events.ts). */
export type EsimToHeadUnit = { type: 'esim.setUp' } | { type: 'esim.setUpFailed' } | { type: 'esim.waitingForDriver' };
const toHeadUnit = (message: EsimToHeadUnit) => message;

/**
 * The Personal eSIM of the active BMW ID (guide STEP 2 steps 10–15): entitlement → download →
 * install → enable → register, each stage shown; then the three switches drive the modem. Retries
 * are bounded and back off; the UI says installed only once the eUICC lists the ICCID.
 */
export const esimMachine = setup({
  types: {
    context: {} as EsimContext,
    events: {} as EsimEvent,
    input: {} as { profileId: string | null; switches: EsimSwitches },
  },
  actors: {
    entitle: fromPromise<Entitlement, { profileId: string }>(async () => {
      throw new Error('entitle not provided');
    }),
    /** the LPA download; reports progress, then installed or failed */
    download: fromCallback<EsimEvent, { activationCode: string }>(() => () => {}),
    /** enables the ICCID (disabling whichever was enabled) once the eUICC lists it */
    enable: fromPromise<void, { iccid: string }>(async () => {
      throw new Error('enable not provided');
    }),
    /** disables any enabled profile: a Guest or a BMW ID without eSIM uses none */
    disableAll: fromPromise<void>(async () => {}),
    /** the modem's registration and data session, as far as they are this profile's (`iccid` enabled) */
    watch: fromCallback<EsimEvent, { iccid: string }>(() => () => {}),
    /** makes the modem match the switches */
    apply: fromPromise<void, EsimSwitches>(async () => {}),
    backoff: fromPromise<void, { attempt: number }>(async () => {}),
    /** the longest a download waits for the driver (`driverWaitMs`, scaled) */
    driverWait: fromPromise<void>(async () => {}),
  },
  guards: {
    /** Guest: no BMW ID, no Personal eSIM */
    noBmwId: ({ context }) => context.profileId === null,
    /** what the carrier said is of this kind */
    carrierSaid: (_, { entitlement, kind }: { entitlement: Entitlement; kind: Entitlement['kind'] }) => entitlement.kind === kind,
    /** a new profile's download is held for the driver (guide steps 10–11) */
    waitsForDriver: ({ context }) => context.waitForDriver,
    /** a failure another attempt may get past, with attempts left */
    worthRetrying: ({ context }, failure: EsimFailure) => retryable(failure) && context.attempts + 1 < maxAttempts,
    outOfAttempts: ({ context }) => context.attempts >= maxAttempts,
    /** the cellular module answers again */
    moduleBack: (_, present: boolean) => present,
    /** registered now, and was not: the driver's switches are applied again */
    newlyRegistered: ({ context }, registration: Registration) => registration.state === 'registered' && context.registration?.state !== 'registered',
  },
  actions: {
    /**
     * What the carrier said, kept: why there is no Personal eSIM; the profile installed; or the
     * offer of a download (what it is for, and the set-up's first stage).
     */
    take: assign((_, entitlement: Entitlement) => {
      switch (entitlement.kind) {
        case 'notAvailable':
          return { unavailable: entitlement.reason };
        case 'installed':
          return { iccid: entitlement.iccid, msisdn: entitlement.msisdn };
        case 'download':
          return {
            iccid: entitlement.iccid,
            msisdn: entitlement.msisdn,
            activationCode: entitlement.activationCode,
            stage: 'authenticating' as const,
            progress: 0,
          };
      }
    }),
  },
}).createMachine({
  id: 'esim',
  context: ({ input }) => ({
    profileId: input.profileId,
    msisdn: null,
    iccid: null,
    activationCode: null,
    stage: null,
    progress: 0,
    failure: null,
    attempts: 0,
    registration: null,
    switches: input.switches,
    unavailable: null,
    justInstalled: false,
    dataUp: false,
    moduleGone: false,
    waitForDriver: true,
  }),
  // The driver's choices are kept in any state, and applied once the eSIM is ready.
  on: { 'esim.switch': { actions: assign(({ context, event }) => ({ switches: { ...context.switches, ...event.patch } })) } },
  initial: 'start',
  states: {
    start: {
      always: [{ guard: 'noBmwId', target: 'none' }, { target: 'checking' }],
    },
    none: {
      invoke: { src: 'disableAll', id: 'disableAll', onError: {} },
    },
    checking: {
      invoke: {
        src: 'entitle',
        id: 'entitle',
        input: ({ context }) => ({ profileId: context.profileId! }),
        onDone: [
          {
            guard: { type: 'carrierSaid', params: ({ event }) => ({ entitlement: event.output, kind: 'notAvailable' }) },
            target: 'notAvailable',
            actions: { type: 'take', params: ({ event }) => event.output },
          },
          {
            guard: { type: 'carrierSaid', params: ({ event }) => ({ entitlement: event.output, kind: 'installed' }) },
            target: 'enabling',
            actions: { type: 'take', params: ({ event }) => event.output },
          },
          { guard: 'waitsForDriver', target: 'waitingForDriver', actions: { type: 'take', params: ({ event }) => event.output } },
          { target: 'settingUp', actions: { type: 'take', params: ({ event }) => event.output } },
        ],
        onError: { target: 'retrying', actions: assign({ failure: { kind: 'entitlement' } }) },
      },
    },
    // STEP 1 is done on the phone, not in the car: the car asks the carrier again, quietly, when the
    // driver opens Mobile devices or the Personal eSIM page, and every minute; once the BMW ID has
    // its Personal eSIM, the set-up starts by itself (no restart).
    notAvailable: {
      entry: assign({ failure: null }),
      invoke: { src: 'disableAll', id: 'disableAll', onError: {} },
      on: { 'esim.retry': 'checking' },
      initial: 'waiting',
      states: {
        waiting: { after: { [recheckMs]: 'rechecking' }, on: { 'esim.recheck': 'rechecking' } },
        rechecking: {
          invoke: {
            src: 'entitle',
            id: 'recheck',
            input: ({ context }) => ({ profileId: context.profileId! }),
            onDone: [
              {
                guard: { type: 'carrierSaid', params: ({ event }) => ({ entitlement: event.output, kind: 'notAvailable' }) },
                target: 'waiting',
                actions: { type: 'take', params: ({ event }) => event.output },
              },
              { target: '#esim.checking' },
            ],
            onError: 'waiting',
          },
        },
      },
    },
    // The guide's order (STEP 2 steps 10–11): the driver opens Mobile devices and sees "Setting up
    // personal eSIM…", then the pop-up. A new profile's download waits for that (the head unit
    // answers at once when the driver is there already), or a minute at most; a retry does not.
    waitingForDriver: {
      entry: sendParent(toHeadUnit({ type: 'esim.waitingForDriver' })),
      invoke: { src: 'driverWait', id: 'driverWait', onDone: 'settingUp', onError: 'settingUp' },
      on: { 'esim.recheck': 'settingUp' },
      exit: assign({ waitForDriver: false }),
    },
    settingUp: {
      invoke: { src: 'download', id: 'download', input: ({ context }) => ({ activationCode: context.activationCode! }) },
      on: {
        'esim.progress': { actions: assign(({ event }) => ({ stage: event.stage, progress: event.progress })) },
        'esim.installed': { target: 'enabling', actions: assign(({ event }) => ({ iccid: event.iccid, attempts: 0, failure: null, justInstalled: true })) },
        'esim.failed': [
          {
            guard: { type: 'worthRetrying', params: ({ event }) => event.failure },
            target: 'retrying',
            actions: assign(({ event }) => ({ failure: event.failure })),
          },
          { target: 'failed', actions: assign(({ event }) => ({ failure: event.failure })) },
        ],
      },
    },
    retrying: {
      entry: assign(({ context }) => ({ attempts: context.attempts + 1 })),
      invoke: {
        src: 'backoff',
        id: 'backoff',
        input: ({ context }) => ({ attempt: context.attempts }),
        onDone: [{ guard: 'outOfAttempts', target: 'failed' }, { target: 'checking' }],
      },
    },
    // A download that failed is told at once, in a pop-up with the reason (the Personal eSIM page
    // keeps it); not reaching the carrier at all is said on the page only (the car keeps asking).
    failed: {
      entry: enqueueActions(({ context, enqueue }) => {
        if (context.failure?.kind !== 'entitlement') enqueue.sendParent(toHeadUnit({ type: 'esim.setUpFailed' }));
      }),
      // (a new attempt starts from its first stage: the last one's progress is no news)
      on: { 'esim.retry': { target: 'checking', actions: assign({ attempts: 0, failure: null, stage: null, progress: 0, waitForDriver: false }) } },
    },
    enabling: {
      invoke: {
        src: 'enable',
        id: 'enable',
        input: ({ context }) => ({ iccid: context.iccid! }),
        onDone: 'ready',
        onError: { target: 'failed', actions: assign({ failure: { kind: 'enable' } }) },
      },
    },
    ready: {
      entry: [
        enqueueActions(({ context, enqueue }) => {
          if (context.justInstalled) enqueue.sendParent(toHeadUnit({ type: 'esim.setUp' }));
        }),
        assign({ stage: null, progress: 1, justInstalled: false }),
      ],
      invoke: { src: 'watch', id: 'watch', input: ({ context }) => ({ iccid: context.iccid! }) },
      on: {
        'esim.registration': { actions: assign(({ event }) => ({ registration: event.registration })) },
        'esim.data': { actions: assign(({ event }) => ({ dataUp: event.up })) },
        // (back, the module knows nothing of the driver's choices: they are applied again)
        'esim.module': [
          { guard: { type: 'moduleBack', params: ({ event }) => event.present }, target: '.applying', actions: assign({ moduleGone: false }) },
          { actions: assign({ moduleGone: true, dataUp: false }) },
        ],
        'esim.switch': { target: '.applying', actions: assign(({ context, event }) => ({ switches: { ...context.switches, ...event.patch } })) },
      },
      initial: 'applying',
      states: {
        applying: {
          invoke: {
            src: 'apply',
            id: 'apply',
            input: ({ context }) => context.switches,
            onDone: 'applied',
            // No network for data yet: the switches are kept, and applied again on registration.
            onError: 'applied',
          },
        },
        applied: {
          on: {
            'esim.registration': {
              target: 'applying',
              guard: { type: 'newlyRegistered', params: ({ event }) => event.registration },
              actions: assign(({ event }) => ({ registration: event.registration })),
            },
          },
        },
      },
    },
  },
});
