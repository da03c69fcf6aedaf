import type { SnapshotFrom } from 'xstate';
import type { loginMachine } from '../machines/login';
import { failureMessage } from '../machines/login';
import type { unlockMachine } from '../machines/unlock';
import { entryScreen } from './entry';
import { infoRow, type Row, type ScreenInput, type ScreenModel } from './model';

type LoginSnapshot = SnapshotFrom<typeof loginMachine>;
type UnlockSnapshot = SnapshotFrom<typeof unlockMachine>;

const back = { type: 'login.back' } as const;
const action = (id: string, label: string, press: Row['press']): Row => ({ id, kind: 'action', label, press });

/** The screens of the BMW ID login, in the guide's words (STEP 2 steps 2–9). */
export function loginScreen(input: ScreenInput, login: LoginSnapshot): ScreenModel {
  const { t } = input;
  const c = login.context;
  const cancel = action('cancel', t('login.cancel'), back);
  const list = (id: string, title: string, rows: Row[]): ScreenModel => ({ kind: 'list', id, title, rows, back });
  const wait = (id: string, message: string): ScreenModel => ({
    kind: 'progress',
    id,
    title: t('login.waitingTitle'),
    message,
    progress: null,
    rows: [cancel],
    back,
  });
  const s = (state: string) => login.matches(state as never);

  if ((s('email') && !s('email.submitting')) || (s('pin') && !s('pin.set'))) {
    if (c.entry) return { ...entryScreen(input, c.entry), back };
  }
  if (s('choose')) {
    return list('login.method', t('login.addTitle'), [
      action('qr', t('login.withApp'), { type: 'login.method', method: 'qr' }),
      action('email', t('login.withId'), { type: 'login.method', method: 'email' }),
    ]);
  }
  if (s('qr.showing') && c.code) {
    const left = Math.max(0, Math.ceil((c.code.expiresAt - c.now) / 1000));
    return {
      kind: 'qr',
      id: 'login.qr',
      title: t('login.qrTitle'),
      back,
      qr: c.code.qr,
      instructions: t('login.qrSteps'),
      manual: t('login.userCode', { uri: c.code.verification_uri, code: c.code.user_code }),
      timeLeft: t('login.timeLeft', { time: `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}` }),
      rows: [cancel],
    };
  }
  if (s('qr.denied')) {
    return list('login.denied', t('login.failedTitle'), [
      infoRow('message', t('login.denied')),
      action('retry', t('login.retry'), { type: 'login.retry' }),
      action('email', t('login.withId'), { type: 'login.method', method: 'email' }),
      cancel,
    ]);
  }
  if (s('qr')) return wait('login.requesting', t('login.requesting'));
  if (s('email.submitting') || s('waiting')) return wait('login.waiting', t('login.waiting'));
  if (s('failed') && c.failure) {
    return list('login.failed', t('login.failedTitle'), [
      infoRow('message', t(failureMessage(c.failure.failure), { seconds: c.failure.retryAfterSeconds })),
      ...(c.failure.attempt > 1 ? [infoRow('attempt', t('login.attempt', { count: c.failure.attempt }))] : []),
      action('retry', t('login.retry'), { type: 'login.retry' }),
      cancel,
    ]);
  }
  if (s('settings')) {
    return list('login.settings', t('login.settingsTitle'), [
      infoRow('question', t('login.settingsQuestion', { name: c.account?.name ?? '' })),
      { id: 'apply', kind: 'radio', label: t('login.applySettings'), checked: c.applySettings, press: { type: 'login.applySettings', apply: true } },
      { id: 'keep', kind: 'radio', label: t('login.keepSettings'), checked: !c.applySettings, press: { type: 'login.applySettings', apply: false } },
      action('continue', t('common.continue'), { type: 'login.continue' }),
    ]);
  }
  if (s('pinOffer')) {
    return list('login.pinOffer', t('login.pinTitle'), [
      infoRow('question', t('login.pinQuestion')),
      action('pinNow', t('login.pinNow'), { type: 'login.pinNow' }),
      action('pinLater', t('login.pinLater'), { type: 'login.pinLater' }),
    ]);
  }
  if (s('saveFailed')) {
    return list('login.notSaved', t('login.notSavedTitle'), [
      infoRow('message', t(c.start === 'pin' ? 'login.pinNotSaved' : 'login.notSaved')),
      action('retry', t('login.retry'), { type: 'login.retry' }),
      cancel,
    ]);
  }
  // Storing the login: a moment, nothing to choose (input waits for it).
  if (s('saving') || s('done') || s('notSaved')) {
    return { kind: 'progress', id: 'busy', title: t('bmwId.title'), message: t('common.pleaseWait'), progress: null, rows: [] };
  }
  if (s('pin.set')) {
    return {
      kind: 'list',
      id: 'login.pinSet',
      title: t('login.pinTitle'),
      rows: [infoRow('message', t('pin.set')), action('continue', t('common.continue'), { type: 'login.continue' })],
    };
  }
  return wait('login.waiting', t('common.pleaseWait'));
}

/** The screens of unlocking a profile with its PIN. */
export function unlockScreen(input: ScreenInput, unlock: UnlockSnapshot): ScreenModel {
  const { t } = input;
  const c = unlock.context;
  const back = { type: 'unlock.back' } as const;
  const cancel = action('cancel', t('login.cancel'), back);
  if (unlock.matches('entering') && c.entry) return { ...entryScreen(input, c.entry), title: `${c.name}: ${t('pin.enter')}`, back };
  if (unlock.matches('locked')) {
    return { kind: 'list', id: 'unlock.locked', title: c.name, back, rows: [infoRow('message', t('pin.locked', { seconds: c.lockedSeconds })), cancel] };
  }
  if (unlock.matches('loginRequired')) {
    return {
      kind: 'list',
      id: 'unlock.login',
      title: c.name,
      back,
      rows: [infoRow('message', t('pin.loginRequired')), action('login', t('login.withId'), { type: 'unlock.relogin' }), cancel],
    };
  }
  return { kind: 'progress', id: 'unlock.checking', title: c.name, message: t('common.pleaseWait'), progress: null, rows: [], back };
}
