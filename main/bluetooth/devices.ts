import { z } from 'zod';
import type { AreaFile } from '../store/areaFile';

const Contact = z.strictObject({
  name: z.string(),
  reading: z.string(),
  numbers: z.array(z.strictObject({ type: z.enum(['mobile', 'home', 'work', 'fax', 'other']), number: z.string() })),
  organisation: z.string(),
});

export const CallLogEntry = z.strictObject({
  name: z.string(),
  number: z.string(),
  direction: z.enum(['missed', 'received', 'dialed']),
  at: z.string().nullable(),
  /** how the call went: through the phone, or the car's own Personal eSIM */
  via: z.enum(['phone', 'esim']),
});
export type CallLogEntry = z.infer<typeof CallLogEntry>;

/** A phone paired by a BMW ID profile, with what it brought: its address book and call log. */
export const PairedDevice = z.strictObject({
  address: z.string(),
  name: z.string(),
  pairedAt: z.string(),
  functions: z.strictObject({ telephone: z.boolean(), audio: z.boolean(), contacts: z.boolean() }),
  /** the phone used with the Personal eSIM (its number is the One Number the car shares) */
  esim: z.boolean(),
  contacts: z.array(Contact),
  callLog: z.array(CallLogEntry),
  syncedAt: z.string().nullable(),
});
export type PairedDevice = z.infer<typeof PairedDevice>;

/** Paired devices per profile: a BMW ID's id, or "guest". */
export const DevicesFile = z.strictObject({ profiles: z.record(z.string(), z.array(PairedDevice)) });
export type DevicesFile = z.infer<typeof DevicesFile>;

/** The default cap on paired devices (BMW's manuals say four). */
export const defaultDeviceCap = 4;

export function profileKey(profileId: string | null): string {
  return profileId ?? 'guest';
}

/**
 * The paired devices of every profile on this car, in memory and written through to the `devices`
 * area: every change replaces the file atomically, so removing a device takes its contacts and
 * call log with it in one step.
 */
export class PairedDevices {
  private file: DevicesFile = { profiles: {} };

  /** `area`: the `devices` area file, which this repository alone writes */
  constructor(private readonly area: AreaFile<DevicesFile>) {}

  load(file: DevicesFile): void {
    this.file = file;
  }

  clear(): void {
    this.file = { profiles: {} };
  }

  of(profileId: string | null): PairedDevice[] {
    return this.file.profiles[profileKey(profileId)] ?? [];
  }

  async set(profileId: string | null, devices: PairedDevice[]): Promise<PairedDevice[]> {
    const profiles = { ...this.file.profiles, [profileKey(profileId)]: devices };
    if (devices.length === 0) delete profiles[profileKey(profileId)];
    this.file = { profiles };
    await this.area.save(this.file);
    return devices;
  }

  /** A BMW ID leaves the car: its phones, contacts and call logs go with it. */
  async removeProfile(profileId: string): Promise<void> {
    if (!this.file.profiles[profileId]) return;
    await this.set(profileId, []);
  }
}
