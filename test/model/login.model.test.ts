import { afterAll, describe, expect, it } from 'vitest';
import { TestModel } from 'xstate/graph';
import { loginMachine, type LoginContext } from '../../main/machines/login';
import type { Core } from '../../main/core';
import { Scenario, defaultScenario } from '../../shared/scenario';
import { carWithCloud, type CarWithCloud } from '../support/carWithCloud';
import { answerOverHttp } from '../support/phoneHttp';
import { expectNoPlaceholders } from '../support/shownText';
import { useTempDirs } from '../support/tempDir';

/**
 * Model-based test of the BMW ID login: xstate/graph walks every state of the login machine, and
 * each shortest path is replayed on a real core against the embedded cloud over HTTP. The phone's
 * approval and denial are real requests to the phone page; the passwords are really checked.
 */
const tempDir = useTempDirs();
const scenario = Scenario.parse({ ...defaultScenario, cloud: { deviceCodeLifetimeSeconds: 2, pollIntervalSeconds: 1 } });
const rightPassword = 'bmw-id-demo';
const tokens = { access_token: 'a', refresh_token: 'r', expires_in: 3600 };
/** tokens from the QR route: after them the flow is the e-mail route's, explored there (it is faster) */
const qrTokens = { ...tokens, access_token: 'from-qr' };
const account = { sub: 'taro', email: 'taro@example.com', name: 'Taro Yamada', settings: {} };
const code = { device_code: 'd', user_code: 'U', verification_uri: 'v', verification_uri_complete: 'v', interval: 1, qr: '', issuedAt: 0, expiresAt: 2000 };

type Snap = { value: unknown; context: LoginContext; matches(state: string): boolean; status: string };
type E = { type: string; [key: string]: unknown };

/** Every event that can happen in a state, as the driver, the phone or the cloud would cause it. */
function eventsFor(s: Snap): E[] {
  const has = (state: string) => s.matches(state);
  const back: E = { type: 'login.back' };
  if (has('choose')) return [{ type: 'login.method', method: 'qr' }, { type: 'login.method', method: 'email' }, back];
  if (has('qr.requesting')) return [{ type: 'xstate.done.actor.requestCode', output: code }];
  if (has('qr.showing')) return [{ type: 'login.authorized', tokens: qrTokens }, { type: 'login.denied' }, { type: 'login.expired' }, back];
  if (has('qr.denied')) return [{ type: 'login.retry' }, { type: 'login.method', method: 'email' }, back];
  if (has('email.address')) return [{ type: 'login.submit', text: 'taro@example.com' }, back];
  if (has('email.password')) return [{ type: 'login.submit', text: rightPassword }, { type: 'login.submit', text: 'wrong-password' }, back];
  if (has('email.submitting')) {
    // the cloud's answer follows from the password really sent
    return s.context.password === rightPassword
      ? [{ type: 'xstate.done.actor.passwordLogin', output: tokens }]
      : [{ type: 'xstate.error.actor.passwordLogin', error: { kind: 'wrongCredentials' } }];
  }
  if (has('waiting')) return s.context.tokens?.access_token === qrTokens.access_token ? [] : [{ type: 'xstate.done.actor.fetchAccount', output: account }];
  if (has('settings')) return [{ type: 'login.applySettings', apply: false }, { type: 'login.applySettings', apply: true }, { type: 'login.continue' }];
  if (has('pinOffer')) return [{ type: 'login.pinNow' }, { type: 'login.pinLater' }];
  if (has('pin.first')) return [{ type: 'login.submit', text: '2468' }, back];
  if (has('pin.again')) return [{ type: 'login.submit', text: '2468' }, { type: 'login.submit', text: '1357' }, back];
  if (has('pin.set')) return [{ type: 'login.continue' }];
  // the login stores itself; the car's profiles come back
  if (has('saving')) return [{ type: 'xstate.done.actor.save', output: { active: 'taro', profiles: [] } }];
  return [];
}

/** What the real display must show in each state of the model. Waiting states may have moved on. */
const screens: Record<string, string[]> = {
  choose: ['login.method'],
  'qr.requesting': ['login.requesting', 'login.qr'],
  'qr.showing': ['login.qr'],
  'qr.denied': ['login.denied'],
  'email.address': ['entry.email'],
  'email.password': ['entry.password'],
  'email.submitting': ['login.waiting', 'entry.password', 'login.settings'],
  waiting: ['login.waiting', 'login.settings'],
  settings: ['login.settings'],
  pinOffer: ['login.pinOffer'],
  'pin.first': ['entry.pin'],
  'pin.again': ['entry.pinConfirm'],
  'pin.set': ['login.pinSet'],
  saving: ['busy', 'menu'],
  done: ['menu'],
  cancelled: ['bmwId'],
};

const model = new TestModel(
  loginMachine as never,
  {
    input: { vehicleName: 'BMW 12345', now: 0 },
    events: eventsFor as never,
    // The whole state is the key, but for the QR code shown last: a login that went through a QR
    // code and one that did not are the same login afterwards.
    serializeState: ((s: Snap) => JSON.stringify({ value: s.value, status: s.status, context: { ...s.context, code: null, now: 0 } })) as never,
  } as never,
);

describe('the BMW ID login, path by path on a real core and cloud', () => {
  const paths = model.getShortestPaths();
  let car: CarWithCloud | undefined;
  afterAll(async () => car?.stop());

  it('reaches every state of the login', () => {
    // (paths that are prefixes of longer ones are dropped: look at every step)
    const states = paths.flatMap((p) => [...p.steps.map((step) => step.state), p.state]) as unknown as Snap[];
    const reached = new Set(states.map((s) => Object.keys(screens).find((k) => s.matches(k))));
    expect([...reached].sort()).toEqual(Object.keys(screens).sort());
  });

  it('shows what the model says at every step, with the cloud answering for real', async () => {
    for (const path of paths) {
      car = await carWithCloud(await tempDir(), scenario);
      const core: Core = car.core;
      const touch = (id: string) => core.input({ kind: 'touch', itemId: id });
      const submit = (text: string) => {
        core.input({ kind: 'type', text });
        if (!/^\d{4}$/.test(text)) touch('key.ok');
      };
      for (const id of ['bmwId', 'add']) touch(id);
      await path.test({
        states: {
          '*': async (state) => {
            const s = state as unknown as Snap;
            const key = Object.keys(screens).find((k) => s.matches(k));
            if (!key || key === 'start') return;
            const expected = screens[key]!;
            if (expected.length === 1) await core.waitForScreen(expected[0]!, 10_000);
            expect(expected, `model in ${key}, car on ${core.snapshot().screen}`).toContain(core.snapshot().screen);
            expectNoPlaceholders(core.view());
            if (key === 'email.password' && s.context.failure) expect(core.snapshot().error).toMatch(/not correct/);
            if (key === 'pin.first' && s.context.pinMismatch) expect(core.snapshot().error).toMatch(/not the same/);
            if (key === 'done') expect(core.view().status.profile, 'the new profile is active').toBe('Taro Yamada');
          },
        },
        events: {
          'login.method': ({ event }: { event: E }) => touch(event.method === 'qr' ? 'qr' : 'email'),
          'login.back': () => core.input({ kind: 'button', button: 'BACK' }),
          'login.retry': () => touch('retry'),
          'login.submit': ({ event }: { event: E }) => submit(String(event.text)),
          'xstate.done.actor.requestCode': () => core.waitForScreen('login.qr', 10_000),
          // the car learns of the approval at its next poll
          'login.authorized': async () => {
            await answerOverHttp(qrUrl(core), 'taro@example.com', rightPassword, 'approve');
            while (core.snapshot().screen === 'login.qr') await core.waitForEvent('screen', 10_000);
          },
          'login.denied': () => answerOverHttp(qrUrl(core), 'taro@example.com', rightPassword, 'deny'),
          // the code lives 2 s: wait for the car to show the next one
          'login.expired': async () => {
            const first = qrUrl(core);
            while (core.snapshot().screen !== 'login.qr' || qrUrl(core) === first) await core.waitForEvent('screen', 10_000).catch(() => undefined);
          },
          'xstate.done.actor.passwordLogin': () => core.waitForScreen('login.settings', 10_000),
          'xstate.error.actor.passwordLogin': async () => {
            while (!core.snapshot().error) await core.waitForEvent('screen', 10_000);
          },
          'xstate.done.actor.fetchAccount': () => core.waitForScreen('login.settings', 10_000),
          'login.applySettings': ({ event }: { event: E }) => touch(event.apply ? 'apply' : 'keep'),
          'login.continue': () => touch('continue'),
          'login.pinNow': () => touch('pinNow'),
          'login.pinLater': () => touch('pinLater'),
          'xstate.done.actor.save': () => core.waitForScreen('menu', 10_000),
        } as never,
      });
      await car.stop();
      car = undefined;
    }
  }, 300_000);
});

/** The address in the QR code, from the screen's text (the e2e test reads the pixels instead). */
function qrUrl(core: Core): string {
  const manual = core.snapshot().qr?.manual ?? '';
  const match = /open (\S+) and enter (\S+)/.exec(manual);
  if (!match) throw new Error(`no QR code on screen: ${core.snapshot().screen}`);
  return `${match[1]}?user_code=${match[2]}`;
}
