import type { AccountInfo, LoginFailure, TokenSet } from '../bmwId/client';

/** Events of the BMW ID login flow (guide STEP 2 ① and ②). The head unit forwards them to it. */
export type LoginEvent =
  | { type: 'login.method'; method: 'qr' | 'email' }
  | { type: 'login.back' }
  | { type: 'login.retry' }
  | { type: 'login.submit'; text: string }
  | { type: 'login.tick'; now: number }
  | { type: 'login.authorized'; tokens: TokenSet }
  | { type: 'login.denied' }
  | { type: 'login.expired' }
  | { type: 'login.failed'; failure: LoginFailure; retryAfterSeconds?: number }
  | { type: 'login.applySettings'; apply: boolean }
  | { type: 'login.continue' }
  | { type: 'login.pinNow' }
  | { type: 'login.pinLater' };

/** Events of unlocking a profile with its PIN. */
export type UnlockEvent =
  { type: 'unlock.submit'; text: string } | { type: 'unlock.back' } | { type: 'unlock.tick'; secondsLeft: number } | { type: 'unlock.relogin' };

/** What a finished login hands to the car. */
export interface LoginResult {
  account: AccountInfo;
  tokens: TokenSet;
  applySettings: boolean;
  pin: string | null;
}
