import { assertEvent, assign, cancel, enqueueActions, fromPromise, raise, sendTo, setup } from 'xstate';
import type { ProfilesFile } from '../bmwId/profiles';
import type { CarSettings } from '../settings';
import { childrenOf, flowOf, type Phase } from './children';
import { bluetoothMachine, type BluetoothEvent } from './bluetooth';
import { lineOf, telephoneMachine, type TelephoneEvent } from './telephone';
import { defaultDeviceCap } from '../bluetooth/devices';
import { openEntry, pressKey, typeText } from './keyboard';
import type { EntryPurpose } from './ids';
import { menuStack, switchesOf, topFrame, type About, type Frame, type HeadUnitContext } from './context';
import type { HeadUnitEvent } from './events';
import { loginMachine, type LoginInput, type LoginOutput } from './login';
import type { LoginEvent, UnlockEvent } from './loginEvents';
import { unlockMachine } from './unlock';
import { esimMachine } from './esim';
import { afterPopup, closing, closingIf, opening, screenChange } from './popups';

/** What the car's memory holds for this machine at boot (read by the store; its problems arrive as `store.problem` events). */
export interface Loaded {
  settings: CarSettings;
  profiles: ProfilesFile;
}

const noProfiles: ProfilesFile = { active: null, profiles: [] };
/** How long a phone stays shown "connected" after its address book sync is over. */
const connectedShownMs = 4000;

/**
 * The head unit: boots from the store, shows screens, and reacts to the controller. The stack of
 * screens lives in context (iDrive is a stack of lists that remembers the cursor on each level);
 * what each screen shows and what its items do comes from `screens/`. The BMW ID login and the
 * PIN unlock are machines of their own, invoked here; their events are forwarded to them.
 */
/**
 * The head unit's setup (its context, events, children and actions), apart from its states, so
 * that what is provided to it from above (`interpretInput`, by the screens) is typed against it.
 */
export const headUnitSetup = setup({
  types: {
    context: {} as HeadUnitContext,
    events: {} as HeadUnitEvent,
    input: {} as { settings: CarSettings; about: About },
  },
  actors: {
    loadSettings: fromPromise<Loaded>(async () => {
      throw new Error('loadSettings not provided');
    }),
    saveSettings: fromPromise<void, CarSettings>(async () => {
      throw new Error('saveSettings not provided');
    }),
    /** forgets everything; `esimErased` false: the module could not be reached to delete its profiles */
    factoryReset: fromPromise<{ settings: CarSettings; esimErased: boolean }, { settings: CarSettings | undefined }>(async () => {
      throw new Error('factoryReset not provided');
    }),
    login: loginMachine,
    unlock: unlockMachine,
    esim: esimMachine,
    bluetooth: bluetoothMachine,
    telephone: telephoneMachine,
    activate: fromPromise<ProfilesFile, { id: string | null }>(async () => {
      throw new Error('activate not provided');
    }),
    logOut: fromPromise<ProfilesFile, { id: string }>(async () => {
      throw new Error('logOut not provided');
    }),
    removeProfile: fromPromise<ProfilesFile, { id: string }>(async () => {
      throw new Error('removeProfile not provided');
    }),
  },
  guards: {
    /** the profile chosen has a PIN (changing it asks for the current one first) */
    chosenHasPin: ({ context }) => profileOf(context)?.hasPin ?? false,
    /** the profile selected is the active one already */
    isActive: ({ context, event }) => {
      assertEvent(event, 'profile.select');
      return event.id === context.profiles.active;
    },
    /** the PIN unlocked the profile, to choose a new PIN */
    unlockedForNewPin: ({ context, event }) => (event as { output?: unknown }).output === 'unlocked' && context.loginFor === 'pin',
    /** the PIN unlocked the profile, to switch to it */
    unlocked: ({ event }) => (event as { output?: unknown }).output === 'unlocked',
    /** too many wrong PINs: the profile asks for its BMW ID login again */
    reloginAsked: ({ event }) => (event as { output?: unknown }).output === 'relogin',
    /** the login flow stored a new PIN */
    pinSet: ({ event }) => (event as { output?: LoginOutput }).output?.kind === 'pinSet',
    /** the login flow stored a BMW ID */
    loginSaved: ({ event }) => (event as { output?: LoginOutput }).output?.kind === 'saved',
    /** the login flow could not store what it gathered */
    loginNotSaved: ({ event }) => (event as { output?: LoginOutput }).output?.kind === 'notSaved',
    hasPin: ({ context, event }) => {
      assertEvent(event, 'profile.select');
      return context.profiles.profiles.find((p) => p.id === event.id)?.hasPin ?? false;
    },
    loggedOut: ({ context, event }) => {
      assertEvent(event, 'profile.select');
      return context.profiles.profiles.find((p) => p.id === event.id)?.loggedIn === false;
    },
  },
  actions: {
    /**
     * What a controller input means on the screen it lands on, raised as the events it means.
     * Provided by whoever composes the car (the core, the model test): the meaning comes from the
     * screens (`screens/input.ts`), which the machines do not import.
     */
    interpretInput: (_args, _params: undefined) => {
      throw new Error('interpretInput not provided');
    },
    setFocus: assign(({ context, event, self }) => {
      assertEvent(event, 'focus.set');
      if (context.popup) return { popup: { ...context.popup, focus: event.id } };
      const flow = flowOf(self.getSnapshot());
      if (flow) return { flowFocus: { screen: event.screen ?? '', focus: event.id } };
      return { stack: replaceTop(context, { ...topFrame(context), focus: event.id }) };
    }),
    open: assign(({ context, event }) => {
      assertEvent(event, 'nav.open');
      return { stack: [...context.stack, { screen: event.screen, focus: null }], ...screenChange(context) };
    }),
    back: assign(({ context }) => {
      const top = topFrame(context);
      if (context.stack.length === 1) return {};
      return { stack: context.stack.slice(0, -1), entry: top.screen === 'entry' ? null : context.entry, ...screenChange(context) };
    }),
    // The main menu keeps its cursor: MENU returns to the item last used.
    toMenu: assign(({ context }) => ({ stack: context.stack.slice(0, 1), ...screenChange(context), entry: null })),
    jump: assign(({ context, event }) => {
      assertEvent(event, 'nav.jump');
      return { stack: [...context.stack.slice(0, 1), { screen: event.screen, focus: null }], ...screenChange(context), entry: null };
    }),
    // Two pop-ups at once: the higher-ranked shows, the other waits beneath it (`popups.ts`).
    openPopup: assign(({ context, event }) => {
      assertEvent(event, 'popup.open');
      return opening(context, event.popup);
    }),
    closePopupIf: assign(({ context, event }) => {
      assertEvent(event, 'popup.closeIf');
      return closingIf(context, event.popup);
    }),
    stopSearch: sendTo('bluetooth', { type: 'bt.stop' } satisfies BluetoothEvent),
    /** "Connect new device": with the cap reached, first ask which device makes room. */
    connectNew: enqueueActions(({ enqueue, self }) => {
      const devices = childrenOf(self.getSnapshot()).bluetooth?.context.devices ?? [];
      if (devices.length >= defaultDeviceCap) {
        enqueue.raise({ type: 'popup.open', popup: 'bt.evict' });
        return;
      }
      enqueue.raise({ type: 'nav.open', screen: 'bt.search' });
      enqueue.sendTo('bluetooth', { type: 'bt.search' });
    }),
    /** A call goes out on the line the car has: the Personal eSIM, or the phone over HFP. */
    call: enqueueActions(({ event, enqueue, self }) => {
      assertEvent(event, 'tel.call');
      const children = childrenOf(self.getSnapshot());
      const route = lineOf(children);
      if (route) enqueue.sendTo('telephone', { type: 'tel.dial', number: event.number, route } satisfies TelephoneEvent);
    }),
    // The one way a pop-up closes: a choice in it (the press closes it before its event), BACK,
    // or its owner taking it back (`popup.closeIf`).
    closePopup: assign(({ context }) => closing(context)),
    noteProblem: assign(({ context, event }) => {
      assertEvent(event, 'store.problem');
      return { notices: [...context.notices, event.problem], ...opening(context, 'storeCorrupt') };
    }),
    applySettings: assign(({ context, event }) => {
      assertEvent(event, 'settings.set');
      return { settings: { ...context.settings, ...event.patch } };
    }),
    openEntry: assign(({ context, event }) => {
      assertEvent(event, 'entry.open');
      // (the login's and the unlock's entries belong to their machines)
      const text = { vehicleName: context.settings.vehicleName, contactSearch: context.contactQuery, dial: '' } as Partial<Record<EntryPurpose, string>>;
      const initial = text[event.purpose];
      if (initial === undefined) return {};
      return { entry: openEntry(event.purpose, initial), stack: [...context.stack, { screen: 'entry', focus: null }] };
    }),
    pressKey: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'entry.key');
      if (!context.entry) return;
      const result = pressKey(context.entry, event.key);
      if ('submit' in result) {
        enqueue.raise({ type: 'nav.back' });
        enqueue.raise(result.submit);
      } else {
        enqueue.assign({ entry: 'invalid' in result ? result.invalid : result });
      }
    }),
    typeText: assign(({ context, event }) => {
      assertEvent(event, 'entry.type');
      return { entry: context.entry && typeText(context.entry, event.text) };
    }),
    setProfiles: enqueueActions(({ context, enqueue }, profiles: ProfilesFile) => {
      enqueue.assign({ profiles });
      if (profiles.active !== context.profiles.active) enqueue.raise({ type: 'profile.changed' });
    }),
    choose: assign({ chosenProfile: ({ event }) => ('id' in event ? (event.id as string | null) : null) }),
    /** The active BMW ID keeps its Personal eSIM's check boxes (a Guest has none to keep). */
    keepSwitches: assign(({ context, event }): Pick<HeadUnitContext, 'profiles'> => {
      assertEvent(event, 'esim.switch');
      const id = context.profiles.active;
      const switches = { ...switchesOf(context), ...event.patch };
      return { profiles: { ...context.profiles, profiles: context.profiles.profiles.map((p) => (p.id === id ? { ...p, esimSwitches: switches } : p)) } };
    }),
    /** writes the active profile's check boxes to the store (provided by the core; the named argument keeps XState's inference whole) */
    saveSwitches: (_args) => {},
  },
});

export const headUnitMachine = headUnitSetup.createMachine({
  id: 'headUnit',
  context: ({ input }) => ({
    settings: input.settings,
    stack: menuStack(),
    popup: null,
    entry: null,
    notices: [],
    profiles: noProfiles,
    chosenProfile: null,
    loginFor: 'profile' as const,
    flowFocus: null,
    chosenContact: null,
    contactQuery: '',
    typedOn: null,
    popupsBelow: [],
    connectedNotice: null,
    about: input.about,
  }),
  initial: 'booting',
  // The store may report at any moment, booting included.
  on: { 'store.problem': { actions: 'noteProblem' } },
  states: {
    // States tagged 'busy' write to the store or the modem for a moment: the core holds input
    // back until they end, so that nothing is eaten or decided on a screen about to change.
    booting: {
      tags: 'busy',
      invoke: {
        id: 'loadSettings',
        src: 'loadSettings',
        onDone: {
          target: 'running',
          actions: assign(({ context, event }) => ({
            settings: event.output.settings,
            profiles: event.output.profiles,
            popup: context.notices.length > 0 ? { id: 'storeCorrupt' as const, focus: null } : null,
          })),
        },
        // The store reports damaged files itself; reaching here means the disk failed outright.
        onError: { target: 'running' },
      },
    },
    running: {
      type: 'parallel',
      states: {
        ui: {
          initial: 'shell',
          on: {
            input: { actions: 'interpretInput' },
            'focus.set': { actions: 'setFocus' },
            'nav.open': { actions: 'open' },
            'nav.back': { actions: 'back' },
            // MENU leaves any flow: a login in progress is cancelled, nothing is kept.
            // Leaving by MENU or TEL also leaves Connect new device: the car stops being pairable.
            'nav.menu': { target: '.shell', actions: ['toMenu', 'stopSearch'] },
            'nav.jump': { target: '.shell', actions: ['jump', 'stopSearch'] },
            'popup.open': { actions: 'openPopup' },
            'popup.close': { actions: 'closePopup' },
            'settings.set': { actions: ['applySettings', raise({ type: 'settings.save' })] },
            'entry.open': { actions: 'openEntry' },
            'entry.key': { actions: 'pressKey' },
            'entry.type': { actions: 'typeText' },
            // Guide step 12: when the set-up finishes, the car offers telephony.
            'esim.setUp': { actions: raise({ type: 'popup.open', popup: 'esim.telephony' }) },
            'esim.setUpFailed': { actions: raise({ type: 'popup.open', popup: 'esim.failed' }) },
            'popup.closeIf': { actions: 'closePopupIf' },
            // Guide step 12 → 13: telephony over the eSIM needs the phone paired.
            'esim.activateTelephone': { actions: [raise({ type: 'esim.switch', patch: { voice: true } }), raise({ type: 'bt.connectNew' })] },
            'bt.connectNew': { actions: 'connectNew' },
            'bt.evict': { actions: raise({ type: 'nav.open', screen: 'bt.search' }) },
            'bt.stop': { actions: 'back' },
            // Paired and connected: the guide goes on in Mobile devices (step 14), where the phone is
            // shown connected, with its address book's progress, until a moment after the sync.
            'bt.connected': {
              actions: [
                enqueueActions(({ context, enqueue }) => {
                  if (topFrame(context).screen !== 'bt.search') return;
                  enqueue.raise({ type: 'nav.back' });
                  if (context.stack.at(-2)?.screen !== 'mobileDevices') enqueue.raise({ type: 'nav.open', screen: 'mobileDevices' });
                }),
                cancel('notice'),
                assign({ connectedNotice: ({ event }) => event.address }),
              ],
            },
            'bt.syncEnded': {
              actions: enqueueActions(({ context, event, enqueue }) => {
                if (context.connectedNotice !== event.address) return;
                enqueue.cancel('notice');
                enqueue.raise({ type: 'notice.expire' }, { id: 'notice', delay: connectedShownMs });
              }),
            },
            'notice.expire': { actions: assign({ connectedNotice: null }) },
            'bt.open': { actions: raise({ type: 'nav.open', screen: 'bt.device' }) },
            'bt.remove': { actions: 'back' },
            'contact.open': { actions: [assign({ chosenContact: ({ event }) => event.index }), raise({ type: 'nav.open', screen: 'contact' })] },
            'contacts.search': { actions: assign({ contactQuery: ({ event }) => event.query }) },
            'tel.call': { actions: 'call' },
            'tel.show': {
              actions: enqueueActions(({ context, enqueue }) => {
                if (topFrame(context).screen !== 'call') enqueue.raise({ type: 'nav.open', screen: 'call' });
              }),
            },
            // A call over: the call screen goes, and the driver is where they were before it.
            'tel.hide': {
              actions: enqueueActions(({ context, enqueue }) => {
                if (topFrame(context).screen === 'call') enqueue.raise({ type: 'nav.back' });
              }),
            },
          },
          states: {
            shell: {
              on: {
                'login.start': { target: 'login', actions: assign({ loginFor: 'profile' as const, chosenProfile: null }) },
                // Changing a PIN asks for the current one first.
                'profile.changePin': [
                  { guard: 'chosenHasPin', target: 'unlock', actions: assign({ loginFor: 'pin' as const }) },
                  { target: 'login', actions: assign({ loginFor: 'pin' as const }) },
                ],
                'profile.open': { actions: ['choose', raise({ type: 'nav.open', screen: 'bmwId.profile' })] },
                'profile.select': [
                  { guard: 'isActive', actions: 'back' },
                  { guard: 'loggedOut', target: 'login', actions: ['choose', assign({ loginFor: 'profile' as const })] },
                  { guard: 'hasPin', target: 'unlock', actions: ['choose', assign({ loginFor: 'profile' as const })] },
                  { target: 'activating', actions: 'choose' },
                ],
                'profile.logOut': 'loggingOut',
                'profile.remove': 'removing',
              },
            },
            login: {
              invoke: {
                id: 'login',
                src: 'login',
                input: ({ context, event }): LoginInput => {
                  if (context.loginFor === 'pin')
                    return { vehicleName: context.settings.vehicleName, now: Date.now(), method: 'pin', profileId: context.chosenProfile ?? '' };
                  // Logging back into a known profile starts from its e-mail address.
                  const known = profileOf(context);
                  const start = event.type === 'login.start' ? event : undefined;
                  const email = start?.email ?? known?.email;
                  const method = start?.method ?? (known ? 'email' : undefined);
                  return { vehicleName: context.settings.vehicleName, now: Date.now(), ...(email ? { email } : {}), ...(method ? { method } : {}) };
                },
                // The login stored itself: the head unit takes the profiles it answers with.
                onDone: [
                  {
                    guard: 'pinSet',
                    target: 'shell',
                    actions: { type: 'setProfiles', params: ({ event }) => (event.output as { profiles: ProfilesFile }).profiles },
                  },
                  {
                    guard: 'loginSaved',
                    target: 'shell',
                    actions: [
                      // The BMW ID's settings come with it when the driver chose so (guide step 5).
                      enqueueActions(({ event, enqueue }) => {
                        const settings = (event.output as Extract<LoginOutput, { kind: 'saved' }>).settings;
                        if (settings) enqueue.raise({ type: 'settings.set', patch: settings });
                      }),
                      { type: 'setProfiles', params: ({ event }) => (event.output as { profiles: ProfilesFile }).profiles },
                      'toMenu',
                      assign({ chosenProfile: null }),
                    ],
                  },
                  // Cancelled, or not stored (the store's notice says why): nothing changed.
                  { guard: 'loginNotSaved', target: 'shell', actions: ['toMenu', assign({ chosenProfile: null })] },
                  { target: 'shell', actions: assign({ chosenProfile: null }) },
                ],
                onError: { target: 'shell', actions: assign({ chosenProfile: null }) },
              },
              on: {
                'login.*': { actions: sendTo('login', ({ event }) => event as LoginEvent) },
                'entry.key': { actions: sendTo('login', ({ event }) => event) },
                'entry.type': { actions: sendTo('login', ({ event }) => event) },
              },
            },
            unlock: {
              invoke: {
                id: 'unlock',
                src: 'unlock',
                input: ({ context }) => {
                  const profile = context.profiles.profiles.find((p) => p.id === context.chosenProfile);
                  return { profileId: context.chosenProfile ?? '', name: profile?.name ?? '' };
                },
                onDone: [
                  { guard: 'unlockedForNewPin', target: 'login' },
                  { guard: 'unlocked', target: 'activating' },
                  { guard: 'reloginAsked', target: 'login', actions: assign({ loginFor: 'profile' as const }) },
                  { target: 'shell' },
                ],
                onError: 'shell',
              },
              on: {
                'unlock.*': { actions: sendTo('unlock', ({ event }) => event as UnlockEvent) },
                'entry.key': { actions: sendTo('unlock', ({ event }) => event) },
                'entry.type': { actions: sendTo('unlock', ({ event }) => event) },
              },
            },
            activating: {
              tags: 'busy',
              invoke: {
                id: 'activate',
                src: 'activate',
                input: ({ context }) => ({ id: context.chosenProfile }),
                onDone: { target: 'shell', actions: [{ type: 'setProfiles', params: ({ event }) => event.output }, 'toMenu'] },
                onError: 'shell',
              },
            },
            loggingOut: {
              tags: 'busy',
              invoke: {
                id: 'logOut',
                src: 'logOut',
                input: ({ context }) => ({ id: context.chosenProfile ?? '' }),
                onDone: { target: 'shell', actions: [{ type: 'setProfiles', params: ({ event }) => event.output }, 'back'] },
                onError: 'shell',
              },
            },
            removing: {
              tags: 'busy',
              invoke: {
                id: 'removeProfile',
                src: 'removeProfile',
                input: ({ context }) => ({ id: context.chosenProfile ?? '' }),
                onDone: { target: 'shell', actions: [{ type: 'setProfiles', params: ({ event }) => event.output }, 'back', assign({ chosenProfile: null })] },
                onError: 'shell',
              },
            },
          },
        },
        esim: {
          initial: 'active',
          states: {
            active: {
              invoke: {
                id: 'esim',
                src: 'esim',
                input: ({ context }) => ({ profileId: context.profiles.active, switches: switchesOf(context) }),
              },
              on: {
                'profile.changed': { target: 'active', reenter: true },
                'esim.retry': { actions: sendTo('esim', ({ event }) => event) },
                'nav.open': {
                  guard: ({ event }) => showsEsim(event.screen),
                  actions: sendTo('esim', { type: 'esim.recheck' }),
                },
                // (a driver already on Mobile devices when the download is offered sees it start at once)
                'esim.waitingForDriver': {
                  guard: ({ context }) => showsEsim(topFrame(context).screen),
                  actions: sendTo('esim', { type: 'esim.recheck' }),
                },
                'esim.switch': { actions: [sendTo('esim', ({ event }) => event), 'keepSwitches', 'saveSwitches'] },
              },
            },
          },
        },
        bluetooth: {
          initial: 'active',
          states: {
            active: {
              invoke: { id: 'bluetooth', src: 'bluetooth', input: ({ context }) => ({ profileId: context.profiles.active }) },
              on: {
                // Another BMW ID, another set of phones.
                'profile.changed': { target: 'active', reenter: true, actions: assign({ contactQuery: '', chosenContact: null }) },
                'bt.*': { actions: sendTo('bluetooth', ({ event }) => event as BluetoothEvent) },
              },
            },
          },
        },
        telephone: {
          initial: 'active',
          states: {
            active: {
              invoke: { id: 'telephone', src: 'telephone' },
              on: { 'tel.*': { actions: sendTo('telephone', ({ event }) => event as TelephoneEvent) } },
            },
          },
        },
        persistence: {
          initial: 'saved',
          // The transitions live on the region's own states: one on the region itself would have
          // the whole parallel state as its domain and re-enter the screens too.
          states: {
            saved: { on: { 'settings.save': 'saving' } },
            saving: {
              invoke: {
                id: 'saveSettings',
                src: 'saveSettings',
                input: ({ context }) => context.settings,
                onDone: 'saved',
                // A failed write keeps the settings in memory; the next change tries again.
                onError: 'saved',
              },
              on: { 'settings.save': { target: 'saving', reenter: true } },
            },
          },
        },
      },
      on: { 'reset.confirm': 'resetting' },
    },
    resetting: {
      tags: 'busy',
      invoke: {
        id: 'factoryReset',
        src: 'factoryReset',
        input: ({ event }) => ({ settings: event.type === 'reset.confirm' ? event.settings : undefined }),
        onDone: {
          target: 'running',
          // The car says it is done, and whether the eSIM module could be cleared too.
          actions: assign(({ event }) => ({
            settings: event.output.settings,
            stack: menuStack(),
            entry: null,
            profiles: noProfiles,
            chosenProfile: null,
            popupsBelow: [],
            popup: { id: event.output.esimErased ? ('reset.done' as const) : ('reset.doneWithoutEsim' as const), focus: null },
          })),
        },
        onError: {
          target: 'running',
          actions: assign({ stack: () => menuStack(), popup: ({ context }) => afterPopup(context), popupsBelow: [], entry: null }),
        },
      },
    },
  },
});

/** The screens where the driver sees the Personal eSIM's state (Mobile devices, its own page): there the car asks the carrier again, and a new download starts. */
function showsEsim(screen: string): boolean {
  return screen === 'mobileDevices' || screen === 'esim';
}

function profileOf(context: HeadUnitContext) {
  return context.profiles.profiles.find((p) => p.id === context.chosenProfile);
}

export function phaseOf(value: unknown): Phase {
  if (value === 'booting' || value === 'resetting') return value;
  return 'running';
}

function replaceTop(context: HeadUnitContext, frame: Frame): Frame[] {
  return [...context.stack.slice(0, -1), frame];
}
