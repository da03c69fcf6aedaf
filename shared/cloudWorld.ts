import * as z from 'zod';
import { LiveBehaviour, OneNumberLine } from './scenario';
import { Es9Fault } from './rsp/es9Fault';

/**
 * The cloud's world as the bench changes it: one typed command set, run by the cloud itself
 * (cloud/world/commands.ts) and reached the same way from everywhere: the automation API's `world.cloud`,
 * the bench console, and the cloud's `POST /admin/world` (its older admin routes are shorthands
 * for some of these). A new fault or world change is one variant here and one case there.
 */

/** How long a `slow` outage holds each answer, in seconds. */
const DelaySeconds = z.number().min(0.1).max(120);

/**
 * An outage of what the car asks the cloud (BMW ID login, tokens, the carrier's entitlement, the
 * profile's settings; never the sites, the admin or the health check): `unreachable` (connections
 * dropped), `error` (503), `slow` (each answer held `delaySeconds`, past the car's patience when
 * longer than its 8 s), or `none` (working again).
 */
export const Outage = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('none') }),
  z.strictObject({ mode: z.literal('unreachable') }),
  z.strictObject({ mode: z.literal('error') }),
  z.strictObject({ mode: z.literal('slow'), delaySeconds: DelaySeconds }),
]);
export type Outage = z.infer<typeof Outage>;

const Email = z.string().min(3).max(254);
const Msisdn = z.string().regex(/^\+?[0-9 -]{8,20}$/);

/** A line as the bench sets it whole: the scenario's, without what only a scenario gives (a set-up still due on the PC path, another SM-DP+'s profile); null: no line. */
export const LineValue = OneNumberLine.omit({ dAccountSetUp: true, profile: true }).nullable();

/** Every change the bench can make to the cloud, and every read of it. */
export const CloudWorldCommand = z.discriminatedUnion('action', [
  /** the BMW IDs and their lines */
  z.strictObject({ action: z.literal('accounts') }),
  /** give a BMW ID (one made with "Register now", say) an NTT DOCOMO line, not yet subscribed, with the logins of the carrier's site */
  z.strictObject({
    action: z.literal('giveLine'),
    email: Email,
    msisdn: Msisdn,
    networkPin: z.string().regex(/^\d{4}$/),
    dAccount: z.string().min(3).max(64),
    dPassword: z.string().min(8).max(128),
  }),
  z.strictObject({ action: z.literal('removeLine'), email: Email }),
  /** a BMW ID's line set whole (null: none), as STEP 1 on the phone would leave it */
  z.strictObject({ action: z.literal('line'), email: Email, line: LineValue }),
  /** how far STEP 1 got for a line: One Number subscribed, the Multi-Device Option, the d ACCOUNT associated */
  z.strictObject({
    action: z.literal('setLine'),
    email: Email,
    subscribed: z.boolean().optional(),
    multiDevice: z.boolean().optional(),
    associated: z.boolean().optional(),
  }),
  /** STEP 1 as never done for a line: not subscribed, no option, not associated (its logins kept) */
  z.strictObject({ action: z.literal('rewindStep1'), email: Email }),
  /** the text messages the line's phone got (the d ACCOUNT's security codes), newest last */
  z.strictObject({ action: z.literal('sms'), email: Email }),
  /** an outage of what the car asks the cloud (see Outage); `slow` without `delaySeconds` holds each answer 10 s */
  z.strictObject({
    action: z.literal('outage'),
    mode: z.enum(['none', 'unreachable', 'error', 'slow']),
    delaySeconds: DelaySeconds.optional(),
  }),
  /**
   * the QR code's lifetime in seconds (codes issued from now on) and how the bench's phone reaches
   * the carrier's site in STEP 1 ② (`cellular`: the network PIN login); without either, reads them
   */
  LiveBehaviour.partial().extend({ action: z.literal('behaviour') }),
  /** the SM-DP+'s orders, newest first */
  z.strictObject({ action: z.literal('orders') }),
  /** an order any LPA can download (lpac, a phone): bound to `eid`, or to the first eUICC that asks; `ppk`: with profile protection keys */
  z.strictObject({
    action: z.literal('makeOrder'),
    eid: z
      .string()
      .regex(/^\d{32}$/)
      .optional(),
    msisdn: Msisdn.optional(),
    protection: z.enum(['session', 'ppk']).optional(),
  }),
  /** an order past its time: a download with it is refused as expired */
  z.strictObject({ action: z.literal('expireOrder'), matchingId: z.string().min(1).max(64) }),
  /** the SM-DP+ answering slowly, or one ES9+ function failing with the codes given (the next call, or every one); `none`: as it should */
  z.strictObject({ action: z.literal('smdpFault'), fault: Es9Fault }),
]);
export type CloudWorldCommand = z.output<typeof CloudWorldCommand>;

/** An SM-DP+ order as the bench sees it: whose (a BMW ID's e-mail, or "(bench)"), for which eUICC, how far it got. */
export interface SmdpOrderSummary {
  matchingId: string;
  owner: string;
  /** '' until an eUICC authenticates with it (an order made for any LPA) */
  eid: string;
  msisdn: string;
  iccid: string;
  state: 'released' | 'downloaded' | 'installed' | 'error' | 'deleted';
  /** ISO 8601: a released order past this is refused as expired (ES9+ subject code 8.8.5, reason 4.1) */
  expiresAt: string;
}

/** A BMW ID in the cloud as the bench sees it: its NTT DOCOMO line without the line's secrets. */
export interface CloudAccount {
  email: string;
  name: string;
  line: { msisdn: string; subscribed: boolean; multiDevice: boolean; associated: boolean; dAccount?: string } | null;
}

/**
 * What a command answers: the changes to BMW IDs and lines (and `outage`) answer the BMW IDs as
 * they stand afterwards (`sms` with the line's messages too); the others answer with their own part.
 */
export interface CloudWorldResult {
  accounts?: CloudAccount[];
  sms?: { msisdn: string; messages: { from: string; text: string; at: number }[] };
  outage?: Outage;
  behaviour?: LiveBehaviour;
  orders?: SmdpOrderSummary[];
  /** `makeOrder`: the order made, with the activation code an LPA takes (`LPA:1$<SM-DP+ host:port>$<MatchingID>`) */
  order?: { activationCode: string; matchingId: string; iccid: string };
  smdpFault?: Es9Fault;
}
