import { z } from 'zod';
import { languages } from './i18n';
import { resolutions, themes } from './view';

/** A vehicle name as iDrive shows it and Bluetooth advertises it. */
export const VehicleName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9 ._-]{1,24}$/);

/**
 * A scenario presets the world and the car. Later parts of the world (accounts, phones, coverage)
 * add their own sections; unknown keys are refused so that a typo is reported, not ignored.
 */
export const Scenario = z.strictObject({
  version: z.literal(1),
  name: z.string().max(80).optional(),
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

/** The world with no scenario file: a working demo out of the box. */
export const defaultScenario: Scenario = { version: 1, name: 'default', car: {} };
