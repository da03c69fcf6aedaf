import * as z from 'zod';
import { IccidText, ProfileMetadataFields } from '../shared/esim';
import { LiveBehaviour } from '../shared/scenario';
import type { CloudState } from './server';

const Issued = z.strictObject({ accountId: z.string().max(128), clientId: z.string().max(64), expiresAt: z.number(), family: z.string().max(128).optional() });
const Grant = z.strictObject({
  accountId: z.string().max(128),
  clientId: z.string().max(64),
  family: z.string().max(128).optional(),
  expiresAt: z.number().optional(),
});

/**
 * The embedded cloud's world as the bench keeps it beside the car's memory (`cloud-world.json`):
 * tokens (with their families), eSIM orders, the cars and the DOCOMO line on each BMW ID, checked
 * field by field on load, so a damaged or hand-edited file is moved aside and told.
 */
export const CloudWorldFile: z.ZodType<CloudState> = z.strictObject({
  tokens: z.strictObject({
    access: z.array(z.tuple([z.string().max(128), Issued])),
    refresh: z.array(z.tuple([z.string().max(128), Grant])),
    used: z.array(z.tuple([z.string().max(128), z.strictObject({ family: z.string().max(128), expiresAt: z.number() })])).optional(),
  }),
  orders: z.array(
    z.strictObject({
      matchingId: z.string().max(64),
      accountId: z.string().max(128),
      eid: z.string().max(64),
      msisdn: z.string().max(32),
      metadata: ProfileMetadataFields,
      state: z.enum(['released', 'downloaded', 'installed', 'error', 'deleted']),
      expiresAt: z.number(),
      protection: z.enum(['session', 'ppk']).optional(),
    }),
  ),
  devices: z.array(z.tuple([z.string().max(128), z.array(z.string().max(64))])),
  lines: z
    .array(
      z.tuple([
        z.string().max(128),
        z.strictObject({
          msisdn: z.string().max(32),
          subscribed: z.boolean(),
          multiDevice: z.boolean(),
          associated: z.boolean(),
          dAccount: z.string().max(64).optional(),
          dPassword: z.string().max(128).optional(),
          networkPin: z.string().max(8).optional(),
          pinFailures: z.number().int().min(0).max(99).optional(),
          dAccountSetUp: z.boolean().optional(),
          dPasswordFailures: z.number().int().min(0).max(99).optional(),
          dLockedUntil: z.number().optional(),
          profile: z.strictObject({ activationCode: z.string().max(255), iccid: IccidText }).optional(),
        }),
      ]),
    )
    .optional(),
  profileNumbers: z
    .array(z.tuple([z.string().max(128), z.array(z.strictObject({ number: z.string().max(32), type: z.enum(['mobile', 'home', 'work']) })).max(10)]))
    .optional(),
  behaviour: LiveBehaviour.optional(),
  smdpPort: z.number().int().min(1).max(65535).optional(),
  smdpTls: z
    .strictObject({
      hosts: z.array(z.string().min(1).max(255)).min(1).max(8),
      key: z
        .string()
        .regex(/^-----BEGIN PRIVATE KEY-----/)
        .max(8192),
      cert: z
        .string()
        .regex(/^-----BEGIN CERTIFICATE-----/)
        .max(16_384),
    })
    .optional(),
});
