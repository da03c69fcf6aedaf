import { fromCallback, fromPromise } from 'xstate';
import type { Modem, Registration } from '../../hardware/modem/contract';
import type { BmwIdClient } from '../bmwId/client';
import type { TokenKeeper } from '../bmwId/tokens';
import { driverWaitMs, type Entitlement, type EsimEvent, type EsimSwitches } from '../machines/esim';
import { Lpa, LpaError } from '../esim/lpa';
import type { DownloadSessions } from '../esim/sessions';

/** The data network of One Number (a simulated APN name). */
export const oneNumberApn = 'onenumber.docomo';

/** What the eSIM machine does, given the modem, the car's cloud client and the keeper of its BMW ID tokens. */
export function esimActors(modem: Modem, client: BmwIdClient, keeper: TokenKeeper, sessions: DownloadSessions, timeScale: number) {
  // The profiles this car's BMW IDs got (from the carrier, or by its own download): the others on
  // the eUICC belong to whoever installed them, and so do their notifications.
  const mine = new Set<string>();
  // (a load refused before its metadata names no profile: its result is delivered by whoever sees it)
  const lpa = new Lpa(modem.euicc, undefined, sessions, (iccid) => iccid === '' || mine.has(iccid));
  let applying: Promise<void> = Promise.resolve();
  const listed = async (iccid: string) => (await modem.euicc.listProfiles()).some((p) => p.iccid === iccid);
  return {
    entitle: fromPromise<Entitlement, { profileId: string }>(async ({ input }) => {
      // A download a restart cut off is cancelled first, so that its order is released again.
      await lpa.reconcile().catch(() => undefined);
      const eid = await modem.euicc.eid();
      const answer = await keeper.call(input.profileId, (token) => client.entitlement(token, eid));
      if (answer.serviceStatus === 'deactivated') return { kind: 'notAvailable', reason: answer.reason };
      mine.add(answer.iccid);
      // The eUICC is the truth: a profile it lists is installed, whatever the order says.
      if (await listed(answer.iccid)) return { kind: 'installed', iccid: answer.iccid, msisdn: answer.msisdn };
      if (!answer.activationCode) throw new Error('the order is installed, but not on this eUICC');
      return { kind: 'download', activationCode: answer.activationCode, iccid: answer.iccid, msisdn: answer.msisdn };
    }),
    download: fromCallback<EsimEvent, { activationCode: string }>(({ input, sendBack }) => {
      let stopped = false;
      void lpa
        .download(input.activationCode, (stage, progress) => !stopped && sendBack({ type: 'esim.progress', stage, progress }))
        .then(({ iccid }) => !stopped && sendBack({ type: 'esim.installed', iccid }))
        .catch((error: unknown) => {
          if (stopped) return;
          sendBack({ type: 'esim.failed', failure: error instanceof LpaError ? error.failure : { kind: 'network' } });
        });
      return () => {
        stopped = true;
      };
    }),
    enable: fromPromise<void, { iccid: string }>(async ({ input }) => {
      await modem.euicc.enableProfile(input.iccid);
      await lpa.sendNotifications().catch(() => undefined); // again later, when the network is back
    }),
    disableAll: fromPromise<void>(async () => {
      for (const profile of await modem.euicc.listProfiles()) if (profile.state === 'enabled') await modem.euicc.disableProfile(profile.iccid);
    }),
    /**
     * The registration and data session of the car's own profile. Another profile enabled on the
     * eUICC (a bench's tool, lpac, switched to it) is not the car's line: its registration is
     * reported as none, until the car's profile is enabled again.
     */
    watch: fromCallback<EsimEvent, { iccid: string }>(({ sendBack, input }) => {
      let ours = true;
      let last: Registration | null = null;
      const report = () =>
        last &&
        sendBack({
          type: 'esim.registration',
          registration: ours ? last : { state: 'notRegistered', operator: null, technology: null, signal: last.signal, voice: false },
        });
      void modem.euicc.listProfiles().then(
        (profiles) => {
          ours = profiles.some((p) => p.iccid === input.iccid && p.state === 'enabled');
          report();
        },
        () => undefined,
      );
      void modem.registration().then(
        (registration) => ((last = registration), report()),
        () => undefined,
      );
      void modem.dataSession().then(
        (session) => sendBack({ type: 'esim.data', up: session.state === 'up' }),
        () => undefined,
      );
      return modem.on((event) => {
        if (event.type === 'profiles') {
          ours = event.profiles.some((p) => p.iccid === input.iccid && p.state === 'enabled');
          report();
        }
        if (event.type === 'registration') {
          last = event.registration;
          report();
        }
        if (event.type === 'data') sendBack({ type: 'esim.data', up: event.session.state === 'up' });
        if (event.type === 'gone') {
          last = { state: 'notRegistered', operator: null, technology: null, signal: 0, voice: false };
          report();
          sendBack({ type: 'esim.module', present: false });
        }
        if (event.type === 'power' && event.on) sendBack({ type: 'esim.module', present: true });
      });
    }),
    // One apply at a time, in order: a stopped apply's promise still runs to its end, and must not
    // undo a newer choice of the driver's by finishing after it.
    apply: fromPromise<void, EsimSwitches>(({ input }) => {
      const run = applying.then(async () => {
        // Runs again whenever the network comes back: a good moment for notifications that waited.
        await lpa.sendNotifications().catch(() => undefined);
        await modem.setVoice(input.voice);
        await modem.setRoaming(input.roaming);
        if (input.data) await modem.startData(oneNumberApn);
        else await modem.stopData();
      });
      applying = run.catch(() => undefined);
      return run;
    }),
    driverWait: fromPromise<void>(() => new Promise((resolve) => setTimeout(resolve, driverWaitMs * timeScale))),
    backoff: fromPromise<void, { attempt: number }>(({ input }) => {
      const ms = 2 ** input.attempt * 1000 * timeScale;
      return new Promise((resolve) => setTimeout(resolve, ms));
    }),
  };
}

/**
 * Factory reset: every profile on the car's eUICC is disabled and deleted (the BMW IDs' Personal
 * eSIMs: a new owner must not inherit them), and the SM-DP+ is told through the eUICC's delete
 * notifications; those that cannot be sent now stay on the eUICC and go with the next download.
 * Returns false when the module could not be reached (the profiles may still be there).
 */
export async function eraseEsims(modem: Modem): Promise<boolean> {
  try {
    for (const profile of await modem.euicc.listProfiles()) await removeProfile(modem, profile);
  } catch {
    return false;
  }
  await new Lpa(modem.euicc).sendNotifications().catch(() => undefined);
  return true;
}

/**
 * Removing a BMW ID from the car deletes its Personal eSIM from the eUICC (disabled first) and tells
 * the SM-DP+. The ICCID comes from the carrier, asked with the profile's own token.
 */
export async function deleteEsimOf(profileId: string, modem: Modem, client: BmwIdClient, keeper: TokenKeeper): Promise<void> {
  const eid = await modem.euicc.eid();
  const answer = await keeper.call(profileId, (token) => client.entitlement(token, eid)).catch(() => null);
  if (!answer || answer.serviceStatus === 'deactivated') return;
  const profile = (await modem.euicc.listProfiles()).find((p) => p.iccid === answer.iccid);
  if (!profile) return;
  await removeProfile(modem, profile);
  await new Lpa(modem.euicc).sendNotifications().catch(() => undefined); // again later, when the network is back
}

/** A profile off the eUICC: disabled first if it is the enabled one (SGP.22 refuses to delete it then). */
async function removeProfile(modem: Modem, profile: { iccid: string; state: string }): Promise<void> {
  if (profile.state === 'enabled') await modem.euicc.disableProfile(profile.iccid);
  await modem.euicc.deleteProfile(profile.iccid);
}
