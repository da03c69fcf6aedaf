import * as z from 'zod';
import { languages } from './i18n';
import { resolutions, themes } from './view';
import { demoCallHistory, demoPhonebook } from './demoPhonebook';
import { parseActivationCode } from './esim';

/** A vehicle name as iDrive shows it and Bluetooth advertises it. */
export const VehicleName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9 ._-]{1,24}$/);

/**
 * An owner's NTT DOCOMO line and how far STEP 1 got on it (subscribed to One Number, the
 * Multi-Device Option, the d ACCOUNT associated with the BMW ID). The credentials are what the
 * carrier's site asks for in STEP 1 ② (demo data, not secrets).
 */
export const OneNumberLine = z.strictObject({
  msisdn: z.string().regex(/^\+?[0-9 -]{8,20}$/),
  subscribed: z.boolean(),
  multiDevice: z.boolean(),
  associated: z.boolean(),
  /** the d ACCOUNT ID and password (the site's login on Wi-Fi) */
  dAccount: z.string().min(3).max(64).optional(),
  dPassword: z.string().min(8).max(128).optional(),
  /** the 4-digit network PIN set with the contract (the site's login on cellular) */
  networkPin: z
    .string()
    .regex(/^\d{4}$/)
    .optional(),
  /** false: the d ACCOUNT still has to be set up for this line before an application (the PC path's error page) */
  dAccountSetUp: z.boolean().optional(),
  /**
   * The Personal eSIM from another SM-DP+ (a team's, osmo-smdpp): the carrier gives the car
   * this activation code (SGP.22 §4.1) and ICCID instead of an order at the embedded SM-DP+,
   * once STEP 1 is done for the line, as it would any order.
   */
  profile: z
    .strictObject({
      activationCode: z
        .string()
        .max(255)
        .refine((code) => parseActivationCode(code) !== null, 'an activation code: LPA:1$<SM-DP+ address>$<MatchingID>'),
      iccid: z.string().regex(/^\d{18,20}$/),
    })
    .optional(),
});

/** A BMW ID in the cloud: its login, its owner, and the settings it carries from car to car. */
export const ScenarioAccount = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(8).max(128),
  name: z.string().min(1).max(80),
  /** settings the BMW ID brings to a car that applies them (guide STEP 2 ⑤) */
  settings: z.strictObject({ language: z.enum(languages).optional(), theme: z.enum(themes).optional() }).default({}),
  /** the owner's NTT DOCOMO line (see OneNumberLine); null: no DOCOMO line */
  oneNumber: OneNumberLine.nullable().default(null),
});
export type ScenarioAccount = z.infer<typeof ScenarioAccount>;

/** A phone in Bluetooth range of the car, and how its owner behaves when the car pairs with it. */
export const ScenarioPhone = z.strictObject({
  name: z.string().min(1).max(64),
  address: z
    .string()
    .regex(/^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/)
    .transform((a) => a.toUpperCase()),
  /** dBm as the car receives it */
  rssi: z.number().int().min(-100).max(-20).default(-55),
  inRange: z.boolean().default(true),
  /** the address book as the phone sends it over PBAP (vCard 2.1 or 3.0); up to 64 MB, about 250,000 contacts */
  vcards: z.string().max(64_000_000).default(''),
  /** its combined call history (PBAP `cch`) */
  callHistory: z.string().max(5_000_000).default(''),
  /** confirm: the owner taps "Pair" after `confirmAfterMs`; reject: taps "Cancel"; ignore: does nothing */
  pairing: z.enum(['confirm', 'reject', 'ignore']).default('confirm'),
  confirmAfterMs: z.number().int().min(0).max(120_000).default(1500),
  /** the owner walks out of range this long after pairing starts (null: stays) */
  walksAwayAfterMs: z.number().int().min(0).max(600_000).nullable().default(null),
  /** hands-free calls through the phone (HFP) */
  hfp: z.boolean().default(true),
  /** whether the phone shares its contacts and call history (PBAP): "refuse" is contact sharing not allowed on the phone */
  contactSharing: z.enum(['allow', 'refuse']).default('allow'),
});
export type ScenarioPhone = z.infer<typeof ScenarioPhone>;

/**
 * How the cloud behaves: lifetimes and intervals. The poll interval is the server's to set (RFC
 * 8628 §3.2; 5 s only when it says none). A pending poll is held open up to `pollHoldSeconds` for
 * the phone's decision, so with a 1 s interval the car leaves the QR code at once after the approval
 * on the phone, or within a second at worst (guide step ④); the hold stays under the car's 8 s
 * request timeout.
 */
const QrLifetime = z.number().int().min(1).max(3600);
const PhoneOn = z.enum(['wifi', 'cellular']);
export const CloudBehaviour = z.strictObject({
  deviceCodeLifetimeSeconds: QrLifetime.default(600),
  pollIntervalSeconds: z.number().int().min(1).max(60).default(1),
  pollHoldSeconds: z.number().int().min(0).max(6).default(5),
  /** how the bench's phone reaches the carrier's site in STEP 1 ②: Wi-Fi (d ACCOUNT and SMS code) or cellular (network PIN) */
  phoneOn: PhoneOn.default('wifi'),
  accessTokenLifetimeSeconds: z.number().int().min(1).max(86_400).default(3600),
});

/**
 * What the bench may change of the cloud's behaviour while it runs (the cloud's `/admin/behaviour`,
 * the automation API's `world.cloud` `behaviour`): the QR code's lifetime and how the bench's phone
 * reaches the carrier's site. Kept with the cloud's world until a scenario is loaded again.
 */
export const LiveBehaviour = z.strictObject({ deviceCodeLifetimeSeconds: QrLifetime, phoneOn: PhoneOn });
export type LiveBehaviour = z.infer<typeof LiveBehaviour>;

/** The other party of the car's calls over the Personal eSIM (the simulated network). */
export const ScenarioCalls = z.strictObject({
  /** the other party answers an outgoing call by itself this long after it rings (null: only when a script says so) */
  answerAfterMs: z.number().int().min(0).max(600_000).nullable().default(null),
  /** the network gives up on an unanswered call after this long, as networks do (about a minute) */
  noAnswerAfterMs: z.number().int().min(1000).max(600_000).default(60_000),
});
export type ScenarioCalls = z.infer<typeof ScenarioCalls>;

/**
 * A scenario presets the world and the car. Later parts of the world (accounts, phones, coverage)
 * add their own sections; unknown keys are refused so that a typo is reported, not ignored.
 * A scenario changes what it names on top of the demo world (`base: "default"`, the default), or
 * starts from nothing (`base: "empty"`): see `resolveScenario`.
 */
export const Scenario = z.strictObject({
  version: z.literal(1),
  name: z.string().max(80).optional(),
  /** what the scenario starts from: the demo world (its accounts, phones and car), or nothing */
  base: z.enum(['default', 'empty']).default('default'),
  accounts: z.array(ScenarioAccount).max(100).default([]),
  /** phones in Bluetooth range (the simulated Bluetooth backend) */
  phones: z.array(ScenarioPhone).max(500).default([]),
  cloud: CloudBehaviour.default({
    deviceCodeLifetimeSeconds: 600,
    pollIntervalSeconds: 1,
    pollHoldSeconds: 5,
    phoneOn: 'wifi',
    accessTokenLifetimeSeconds: 3600,
  }),
  calls: ScenarioCalls.default({ answerAfterMs: null, noAnswerAfterMs: 60_000 }),
  /**
   * How fast the simulated modem works: 1 about as fast as a real module (a Personal eSIM
   * download of about ten seconds, each stage visible), 0 at once, 2 twice as slow.
   */
  pace: z.number().min(0).max(10).default(1),
  /** the world outside the car: what its temperature sensor reads (°C; the demo world's 18 °C unless said) */
  outside: z.strictObject({ temperatureC: z.number().min(-50).max(60) }).optional(),
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
 * (listed in docs/features.md), not secrets.
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
      oneNumber: {
        msisdn: '+81 90-1234-5678',
        subscribed: true,
        multiDevice: true,
        associated: true,
        dAccount: 'hanako.docomo',
        dPassword: 'docomo-demo-1',
        networkPin: '5678',
      },
    },
    {
      // STEP 1 not done: the whole guide runs for this one, from the My BMW app's first page.
      email: 'ichiro@example.com',
      password: 'onenumber-start',
      name: 'Ichiro Sato',
      settings: { language: 'ja', theme: 'night' },
      oneNumber: {
        msisdn: '+81 90-2468-1357',
        subscribed: false,
        multiDevice: false,
        associated: false,
        dAccount: 'ichiro.docomo',
        dPassword: 'docomo-demo-2',
        networkPin: '1357',
      },
    },
    {
      // One Number already subscribed on the DOCOMO side, not yet associated with the BMW ID.
      email: 'jiro@example.com',
      password: 'onenumber-next',
      name: 'Jiro Tanaka',
      settings: { language: 'en', theme: 'day' },
      oneNumber: {
        msisdn: '+81 80-3579-2468',
        subscribed: true,
        multiDevice: false,
        associated: false,
        dAccount: 'jiro.docomo',
        dPassword: 'docomo-demo-3',
        networkPin: '2468',
      },
    },
    {
      email: 'taro@example.com',
      password: 'bmw-id-demo',
      name: 'Taro Yamada',
      settings: { language: 'en', theme: 'day' },
      oneNumber: null,
    },
  ],
  phones: [
    { name: "Hanako's iPhone", address: '5C:F9:38:A1:B2:C3', rssi: -48, vcards: demoPhonebook, callHistory: demoCallHistory },
    { name: 'Pixel 8', address: 'F4:F5:E8:12:34:56', rssi: -71, pairing: 'ignore' },
    { name: 'Galaxy S24', address: 'A0:CB:FD:65:43:21', rssi: -83, pairing: 'reject', hfp: false },
  ],
  car: {},
});
/**
 * The world a scenario describes: on `base: "default"`, the demo world with the scenario's
 * accounts (by e-mail) and phones (by address) replacing or adding to the demo ones, and its car
 * settings over the demo car's; on `base: "empty"`, only what it lists. The cloud's lifetimes are
 * the scenario's own (each defaults to the demo world's value).
 */
export function resolveScenario(scenario: Scenario): Scenario {
  if (scenario.base === 'empty') return scenario;
  const merge = <T>(base: T[], extra: T[], key: (item: T) => string): T[] => {
    const byKey = new Map(base.map((item) => [key(item), item]));
    for (const item of extra) byKey.set(key(item), item);
    return [...byKey.values()];
  };
  return {
    ...scenario,
    accounts: merge(defaultScenario.accounts, scenario.accounts, (a) => a.email.toLowerCase()),
    phones: merge(defaultScenario.phones, scenario.phones, (p) => p.address),
    car: { ...defaultScenario.car, ...scenario.car },
  };
}

/** One line for the start-up: which world is loaded. */
export function describeWorld(scenario: Scenario): string {
  const accounts = scenario.accounts.map((a) => a.email).join(', ') || 'none';
  const phones = scenario.phones.map((p) => p.name).join(', ') || 'none';
  return `world "${scenario.name ?? 'unnamed'}": ${scenario.accounts.length} BMW ID account(s) (${accounts}); ${scenario.phones.length} simulated phone(s) (${phones})`;
}

/** What a scenario file may leave out. */
export type ScenarioInput = z.input<typeof Scenario>;
