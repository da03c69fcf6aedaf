import * as z from 'zod';
import type { AreaFile } from '../store/areaFile';
import { CallLogEntry, StoredContact, type PhoneFiles } from '../store/phoneFiles';

/** A phone paired by a BMW ID profile, as the `devices` area lists it (its address book and call log have files of their own). */
export const DeviceRecord = z.strictObject({
  address: z.string(),
  name: z.string(),
  pairedAt: z.string(),
  functions: z.strictObject({ telephone: z.boolean(), audio: z.boolean(), contacts: z.boolean() }),
  /** the phone used with the Personal eSIM (its number is the One Number the car shares) */
  esim: z.boolean(),
  syncedAt: z.string().nullable(),
});
export type DeviceRecord = z.infer<typeof DeviceRecord>;

/** A paired phone with what it brought: its address book and call log. */
export type PairedDevice = DeviceRecord & { contacts: z.infer<typeof StoredContact>[]; callLog: CallLogEntry[] };

/**
 * The `devices` area (version 2): the paired phones per profile, a BMW ID's id or "guest"; and the
 * phones whose files the last change was deleting (`[profile, address]`), so that a removal cut
 * short is finished at the next start. Nothing else under `phones/` is ever deleted on the
 * index's word: a phone's files that no index lists (the index was damaged, or a first pairing
 * was cut short) are kept for the user to restore.
 */
export const DevicesIndex = z.strictObject({
  profiles: z.record(z.string(), z.array(DeviceRecord)),
  removing: z.array(z.tuple([z.string(), z.string()])).optional(),
});
export type DevicesIndex = z.infer<typeof DevicesIndex>;

/** Version 1 of the `devices` area, with every address book and call log inside it: migrated at start. */
export const DevicesFileV1 = z.strictObject({
  profiles: z.record(z.string(), z.array(DeviceRecord.extend({ contacts: z.array(StoredContact), callLog: z.array(CallLogEntry) }))),
});
export type DevicesFileV1 = z.infer<typeof DevicesFileV1>;

/** Every profile's paired phones, with their address books and call logs, as the car holds them in memory. */
export interface DevicesFile {
  profiles: Record<string, PairedDevice[]>;
}

/** The default cap on paired devices (BMW's manuals say four). */
export const defaultDeviceCap = 4;

export function profileKey(profileId: string | null): string {
  return profileId ?? 'guest';
}

/**
 * The paired devices of every profile on this car, in memory and written through: the small
 * `devices` index, and each phone's address book and call log in files of their own, each written
 * only when it changed (a sync, a call). Phone files are written before the index that lists them,
 * and deleted after the index that no longer does, so a crash never leaves a listed phone without
 * its data.
 */
export class PairedDevices {
  private file: DevicesFile = { profiles: {} };
  /** what was last written for each phone (the machine replaces an array whenever it changes one) */
  private readonly written = new WeakSet<object>();
  private changes: Promise<unknown> = Promise.resolve();

  /** `index`: the `devices` area file; `phones`: the phones' own files. This repository alone writes both. */
  constructor(
    private readonly index: AreaFile<DevicesIndex, DevicesFileV1>,
    private readonly phones: PhoneFiles,
  ) {}

  /**
   * Reads the index and every listed phone's files; a version-1 `devices` file is migrated (its
   * phones' data written to their files first, then the index). A removal the index recorded and
   * a crash cut short is finished.
   */
  async load(): Promise<DevicesFile> {
    const loaded = await this.index.load(() => ({ profiles: {} }));
    const profiles: Record<string, PairedDevice[]> = {};
    if (loaded.legacy) {
      for (const [profile, devices] of Object.entries(loaded.legacy.profiles)) {
        profiles[profile] = devices;
        for (const device of devices) await this.writePhone(profile, device);
      }
      await this.index.saveLatest(indexOf(profiles));
    } else {
      for (const [profile, records] of Object.entries(loaded.value.profiles)) {
        profiles[profile] = [];
        for (const record of records) {
          const files = this.phones.of(profile, record.address);
          const contacts = (await files.contacts.load(() => [])).value;
          const callLog = (await files.callLog.load(() => [])).value;
          this.written.add(contacts).add(callLog);
          profiles[profile].push({ ...record, contacts, callLog });
        }
      }
    }
    const listed = (profile: string, address: string) => profiles[profile]?.some((d) => d.address === address) === true;
    const unfinished = (loaded.value.removing ?? []).filter(([profile, address]) => !listed(profile, address));
    await Promise.all(unfinished.map(([profile, address]) => this.phones.remove(profile, address)));
    this.file = { profiles };
    return this.file;
  }

  clear(): void {
    this.file = { profiles: {} };
  }

  of(profileId: string | null): PairedDevice[] {
    return this.file.profiles[profileKey(profileId)] ?? [];
  }

  /** Replaces a profile's phones: the changed phones' files, then the index, then the files of phones gone. */
  set(profileId: string | null, devices: PairedDevice[]): Promise<PairedDevice[]> {
    const key = profileKey(profileId);
    const before = this.of(profileId);
    const profiles = { ...this.file.profiles, [key]: devices };
    if (devices.length === 0) delete profiles[key];
    this.file = { profiles };
    // One change at a time, in the order made: an index never overtakes a later one.
    const change = this.changes.then(async () => {
      await Promise.all(devices.map((device) => this.writePhone(key, device)));
      const gone = before.filter((d) => !devices.some((kept) => kept.address === d.address));
      await this.index.saveLatest(
        indexOf(
          profiles,
          gone.map((d): [string, string] => [key, d.address]),
        ),
      );
      await Promise.all(gone.map((d) => this.phones.remove(key, d.address)));
      return devices;
    });
    this.changes = change.catch(() => undefined);
    return this.phones.track(change);
  }

  /** A BMW ID leaves the car: its phones, contacts and call logs go with it. */
  async removeProfile(profileId: string): Promise<void> {
    if (!this.file.profiles[profileId]) return;
    await this.set(profileId, []);
  }

  /** Writes what changed of a phone's data since it was last written (nothing, for most changes). */
  private async writePhone(profile: string, device: PairedDevice): Promise<void> {
    const files = this.phones.of(profile, device.address);
    const writes: Promise<void>[] = [];
    if (!this.written.has(device.contacts)) writes.push(files.contacts.saveLatest(device.contacts));
    if (!this.written.has(device.callLog)) writes.push(files.callLog.saveLatest(device.callLog));
    this.written.add(device.contacts).add(device.callLog);
    await Promise.all(writes);
  }
}

function indexOf(profiles: Record<string, PairedDevice[]>, removing: Array<[string, string]> = []): DevicesIndex {
  const listed = Object.fromEntries(
    Object.entries(profiles).map(([profile, devices]) => [profile, devices.map(({ contacts: _c, callLog: _l, ...record }) => record)]),
  );
  return removing.length > 0 ? { profiles: listed, removing } : { profiles: listed };
}
