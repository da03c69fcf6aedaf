import * as z from 'zod';
import { languages } from '../../shared/i18n';
import { themes } from '../../shared/view';
import type { PinHash, PinLock } from './pin';

/** A BMW ID added to this car. Its id is the BMW ID's subject. */
export const Profile = z.strictObject({
  id: z.string().min(1).max(128),
  email: z.string().max(254),
  name: z.string().max(80),
  settings: z.strictObject({ language: z.enum(languages).optional(), theme: z.enum(themes).optional() }),
  hasPin: z.boolean(),
  /** false after "Log out": the profile stays, its next use needs a BMW ID login */
  loggedIn: z.boolean(),
  addedAt: z.string(),
  /** the Personal eSIM's check boxes as the driver left them (absent: the defaults) */
  esimSwitches: z.strictObject({ voice: z.boolean(), data: z.boolean(), roaming: z.boolean() }).optional(),
});
export type Profile = z.infer<typeof Profile>;

export const ProfilesFile = z.strictObject({
  active: z.string().nullable(),
  profiles: z.array(Profile).max(10),
});
export type ProfilesFile = z.infer<typeof ProfilesFile>;

/** Each profile's tokens; `refreshToken` is null when the cloud issued none (the driver logs in again when the access token runs out). */
export const TokensFile = z.record(z.string(), z.strictObject({ accessToken: z.string(), refreshToken: z.string().nullable(), expiresAt: z.number() }));
export type TokensFile = z.infer<typeof TokensFile>;

const PinHashSchema = z.strictObject({ salt: z.string(), hash: z.string() }) satisfies z.ZodType<PinHash>;
const PinLockSchema = z.strictObject({
  failures: z.number().int().min(0),
  lockedUntil: z.number().nullable(),
  loginRequired: z.boolean(),
}) satisfies z.ZodType<PinLock>;
export const PinsFile = z.record(z.string(), z.strictObject({ pin: PinHashSchema.nullable(), lock: PinLockSchema }));
export type PinsFile = z.infer<typeof PinsFile>;

/** How many BMW IDs a car keeps (BMW cars offer a handful of driver profiles). */
export const maxProfiles = 6;
