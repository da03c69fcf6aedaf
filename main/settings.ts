import * as z from 'zod';
import { languages, type Language } from '../shared/i18n';
import { VehicleName } from '../shared/scenario';
import { resolutions, themes } from '../shared/view';

/** The car's own settings (Settings menu). Stored in the `settings` area. */
export const CarSettings = z.strictObject({
  language: z.enum(languages),
  theme: z.enum(themes),
  resolution: z.enum(resolutions),
  vehicleName: VehicleName,
});
export type CarSettings = z.infer<typeof CarSettings>;

export function defaultSettings(language: Language): CarSettings {
  // (iDrive is dark unless the driver chooses day mode)
  return { language, theme: 'night', resolution: '1920x720', vehicleName: 'BMW 12345' };
}
