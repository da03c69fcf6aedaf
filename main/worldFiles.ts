import * as z from 'zod';
import type { CloudState } from '../cloud/server';
import type { EuiccFlash } from '../hardware/modem/sim/simEuicc';
import { profileClasses, type ProfileMetadata } from '../shared/esim';
import { LiveBehaviour } from '../shared/scenario';

/**
 * Schemas of the files the simulated world keeps beside the car's memory (`sim-modem.json`,
 * `cloud-world.json`): checked field by field on load, so a damaged or hand-edited file is moved
 * aside and told, never taken with wrong types into the running world.
 */
const Iccid = z.string().regex(/^\d{18,20}$/);

const Metadata: z.ZodType<ProfileMetadata> = z.strictObject({
  iccid: Iccid,
  serviceProviderName: z.string().max(64),
  profileName: z.string().max(64),
  profileClass: z.enum(profileClasses),
  profileOwner: z.strictObject({ mccMnc: z.string().regex(/^\d{5,6}$/) }).optional(),
  imsi: z.string().regex(/^\d{6,15}$/).optional(),
  size: z.number().int().min(0),
});

const Seq = z.number().int().min(0).optional();
const LoadResult = z.union([
  z.strictObject({ transactionId: z.string().max(64), iccid: Iccid, seqNumber: Seq }),
  z.strictObject({ transactionId: z.string().max(64), errorReason: z.number().int(), bppCommandId: z.number().int().min(0).max(127).optional(), seqNumber: Seq }),
]);

/** The simulated eUICC's flash: its profiles and the notifications it has not delivered yet. */
export const EuiccFlashFile = z.strictObject({
  profiles: z.array(z.strictObject({ metadata: Metadata, state: z.enum(['enabled', 'disabled']), nickname: z.string().max(64).nullable(), address: z.string().max(255) })).max(32),
  notifications: z.array(z.strictObject({
    seqNumber: z.number().int().min(0),
    event: z.enum(['install', 'enable', 'disable', 'delete']),
    // (a load refused before its metadata names no profile)
    iccid: z.union([Iccid, z.literal('')]),
    notificationAddress: z.string().max(255),
    result: LoadResult.optional(),
  })).max(1000),
  nextSeq: z.number().int().min(0),
  defaultDpAddress: z.string().max(255).optional(),
}) as z.ZodType<EuiccFlash>;

const Issued = z.strictObject({ accountId: z.string().max(128), clientId: z.string().max(64), expiresAt: z.number(), family: z.string().max(128).optional() });
const Grant = z.strictObject({ accountId: z.string().max(128), clientId: z.string().max(64), family: z.string().max(128).optional(), expiresAt: z.number().optional() });

/** The embedded cloud's world: tokens (with their families), eSIM orders, and the cars on each line. */
export const CloudWorldFile = z.strictObject({
  tokens: z.strictObject({
    access: z.array(z.tuple([z.string().max(128), Issued])),
    refresh: z.array(z.tuple([z.string().max(128), Grant])),
    used: z.array(z.tuple([z.string().max(128), z.strictObject({ family: z.string().max(128), expiresAt: z.number() })])).optional(),
  }),
  orders: z.array(z.strictObject({
    matchingId: z.string().max(64),
    accountId: z.string().max(128),
    eid: z.string().max(64),
    msisdn: z.string().max(32),
    metadata: Metadata,
    state: z.enum(['released', 'downloaded', 'installed', 'error', 'deleted']),
    expiresAt: z.number(),
    protection: z.enum(['session', 'ppk']).optional(),
  })),
  devices: z.array(z.tuple([z.string().max(128), z.array(z.string().max(64))])),
  lines: z.array(z.tuple([z.string().max(128), z.strictObject({
    msisdn: z.string().max(32), subscribed: z.boolean(), multiDevice: z.boolean(), associated: z.boolean(),
    dAccount: z.string().max(64).optional(), dPassword: z.string().max(128).optional(), networkPin: z.string().max(8).optional(),
    pinFailures: z.number().int().min(0).max(99).optional(), dAccountSetUp: z.boolean().optional(),
    dPasswordFailures: z.number().int().min(0).max(99).optional(), dLockedUntil: z.number().optional(),
    profile: z.strictObject({ activationCode: z.string().max(255), iccid: Iccid }).optional(),
  })])).optional(),
  profileNumbers: z.array(z.tuple([z.string().max(128), z.array(z.strictObject({ number: z.string().max(32), type: z.enum(['mobile', 'home', 'work']) })).max(10)])).optional(),
  behaviour: LiveBehaviour.optional(),
  smdpPort: z.number().int().min(1).max(65535).optional(),
}) as z.ZodType<CloudState>;
