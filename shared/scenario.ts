import { z } from 'zod';
import { languages } from './i18n';
import { resolutions, themes } from './view';

/** A vehicle name as iDrive shows it and Bluetooth advertises it. */
export const VehicleName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9 ._-]{1,24}$/);

/** A BMW ID in the cloud: its login, its owner, and the settings it carries from car to car. */
export const ScenarioAccount = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(8).max(128),
  name: z.string().min(1).max(80),
  /** settings the BMW ID brings to a car that applies them (guide STEP 2 ⑤) */
  settings: z.strictObject({ language: z.enum(languages).optional(), theme: z.enum(themes).optional() }).default({}),
  /** NTT DOCOMO One Number as set up in STEP 1; null: not activated */
  oneNumber: z
    .strictObject({
      msisdn: z.string().regex(/^\+?[0-9 -]{8,20}$/),
      subscribed: z.boolean(),
      multiDevice: z.boolean(),
      associated: z.boolean(),
    })
    .nullable()
    .default(null),
});
export type ScenarioAccount = z.infer<typeof ScenarioAccount>;

/** How the cloud behaves: lifetimes and intervals (RFC 8628 defaults unless a test shortens them). */
export const CloudBehaviour = z.strictObject({
  deviceCodeLifetimeSeconds: z.number().int().min(1).max(3600).default(600),
  pollIntervalSeconds: z.number().int().min(1).max(60).default(5),
  accessTokenLifetimeSeconds: z.number().int().min(1).max(86_400).default(3600),
});

/**
 * A scenario presets the world and the car. Later parts of the world (accounts, phones, coverage)
 * add their own sections; unknown keys are refused so that a typo is reported, not ignored.
 */
export const Scenario = z.strictObject({
  version: z.literal(1),
  name: z.string().max(80).optional(),
  accounts: z.array(ScenarioAccount).max(100).default([]),
  cloud: CloudBehaviour.default({ deviceCodeLifetimeSeconds: 600, pollIntervalSeconds: 5, accessTokenLifetimeSeconds: 3600 }),
  car: z
    .strictObject({
      language: z.enum(languages).optional(),
      theme: z.enum(themes).optional(),
      resolution: z.enum(resolutions).optional(),
      vehicleName: VehicleName.optional(),
    })
    .optional(),
});
export type Scenario = z.infer<typeof Scenario>;

/**
 * The world with no scenario file: a working demo out of the box. The accounts are demo data
 * (listed in the README), not secrets.
 */
export const defaultScenario: Scenario = Scenario.parse({
  version: 1,
  name: 'default',
  accounts: [
    {
      email: 'hanako@example.com',
      password: 'onenumber-demo',
      name: 'Hanako Suzuki',
      settings: { language: 'ja', theme: 'night' },
      oneNumber: { msisdn: '+81 90-1234-5678', subscribed: true, multiDevice: true, associated: true },
    },
    {
      email: 'taro@example.com',
      password: 'bmw-id-demo',
      name: 'Taro Yamada',
      settings: { language: 'en', theme: 'day' },
      oneNumber: null,
    },
  ],
  car: {},
});
/** What a scenario file may leave out. */
export type ScenarioInput = z.input<typeof Scenario>;
