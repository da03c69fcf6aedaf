import { fromPromise } from 'xstate';
import { loginMachine, pollingActor, type LoginToSave, type ShownCode } from '../machines/login';
import { countdownActor, unlockMachine } from '../machines/unlock';
import type { BmwIdClient, TokenSet } from '../bmwId/client';
import type { ProfileVault } from '../bmwId/vault';

/** A promise-returning function as a machine actor. */
export function fromStore<I, O>(work: (input: I) => Promise<O>) {
  return fromPromise<O, I>(({ input }) => work(input));
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `work`'s result, but a failure no sooner than `ms` after the start: a "Try again" that fails at
 * once would otherwise leave its "please wait" on screen for a few milliseconds, and the driver
 * would not see that anything was tried.
 */
async function failNoSooner<T>(ms: number, work: Promise<T>): Promise<T> {
  const shown = delay(ms);
  try {
    return await work;
  } catch (error) {
    await shown;
    throw error;
  }
}

/**
 * What the head-unit machine's BMW ID flows do, given the car's client for the cloud and its vault.
 * `waitingShownMs`: how long guide step ④ ("Wait for completion of BMW ID login") stays on screen
 * at least, and a request that fails its "please wait", so that a driver sees them (tests: 0).
 */
export function bmwIdActors(
  client: BmwIdClient,
  vault: ProfileVault,
  now: () => number,
  beforeRemove: (profileId: string) => Promise<void> = async () => {},
  waitingShownMs = 0,
) {
  return {
    login: loginMachine.provide({
      actors: {
        requestCode: fromStore(async ({ vehicleName }: { vehicleName: string }): Promise<ShownCode> => {
          const auth = await failNoSooner(waitingShownMs, client.startDeviceLogin(vehicleName));
          // Quiet zone of 4 modules and large modules, so a phone reads it off the screen.
          // (qrcode is loaded for the first QR login, not at every start)
          const { default: QRCode } = await import('qrcode');
          const qr = await QRCode.toDataURL(auth.verification_uri_complete ?? auth.verification_uri, { errorCorrectionLevel: 'M', margin: 4, scale: 10 });
          const issuedAt = now();
          return { ...auth, qr, issuedAt, expiresAt: issuedAt + auth.expires_in * 1000 };
        }),
        pollForTokens: pollingActor((deviceCode) => client.pollDeviceToken(deviceCode), now),
        passwordLogin: fromStore(({ email, password }: { email: string; password: string }) =>
          failNoSooner(waitingShownMs, client.passwordLogin(email, password)),
        ),
        fetchAccount: fromStore(async (tokens: TokenSet) => {
          const [account] = await failNoSooner(waitingShownMs, Promise.all([client.account(tokens.access_token), delay(waitingShownMs)]));
          return account;
        }),
        // The login stores itself: tokens and PINs go from the flow to the vault, nowhere else.
        save: fromStore((what: LoginToSave) => ('newPin' in what ? vault.setPin(what.id, what.newPin) : vault.add(what))),
      },
    }),
    unlock: unlockMachine.provide({
      actors: {
        lockState: fromStore(async ({ profileId }: { profileId: string }) => vault.lock(profileId)),
        checkPin: fromStore(({ profileId, pin }: { profileId: string; pin: string }) => vault.checkPin(profileId, pin)),
        countdown: countdownActor,
      },
    }),
    activate: fromStore(({ id }: { id: string | null }) => vault.activate(id)),
    logOut: fromStore(async ({ id }: { id: string }) => {
      const { profiles, revoked } = await vault.logOut(id);
      for (const token of revoked) void client.revoke(token);
      return profiles;
    }),
    removeProfile: fromStore(async ({ id }: { id: string }) => {
      // Its Personal eSIM goes first, while its token can still ask the carrier which one it is.
      await beforeRemove(id).catch(() => undefined);
      const { profiles, revoked } = await vault.remove(id);
      for (const token of revoked) void client.revoke(token);
      return profiles;
    }),
  };
}
