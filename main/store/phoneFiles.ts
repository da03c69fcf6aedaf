import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { AreaFile, realIo, type AreaIo } from './areaFile';
import { StoreProblems } from './problems';

/** A contact as the car keeps it (see main/phonebook/vcard.ts for how it is read from a phone). */
export const StoredContact = z.strictObject({
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

const AddressBookFile = z.array(StoredContact);
const CallLogFile = z.array(CallLogEntry);
type AddressBookFile = z.infer<typeof AddressBookFile>;

/** The files of one paired phone: its address book and its call log, written apart. */
export interface PhoneFileSet {
  contacts: AreaFile<AddressBookFile>;
  callLog: AreaFile<CallLogEntry[]>;
}

/**
 * Each paired phone's address book and call log, in files of their own under `phones/`
 * (`<profile>.<address>.contacts.json`, `….calls.json`): a call logged costs a write of the call
 * log alone, whatever the size of the address book, and one phone's sync never rewrites another's.
 * The small `devices` area says which phones there are, and which are being removed.
 */
export class PhoneFiles {
  readonly dir: string;
  private readonly files = new Map<string, PhoneFileSet>();
  /** changes of several files under way (see `track`) */
  private readonly operations = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    dataDir: string,
    private readonly problems: StoreProblems = new StoreProblems(),
    private readonly io: AreaIo = realIo,
  ) {
    this.dir = join(dataDir, 'phones');
  }

  /** The files of a profile's phone (`profile`: a BMW ID's id or "guest"; `address`: its Bluetooth address). */
  of(profile: string, address: string): PhoneFileSet {
    const stem = stemOf(profile, address);
    let set = this.files.get(stem);
    if (!set) {
      // (an address book can hold tens of thousands of contacts: checked when read, not on every write)
      set = {
        contacts: new AreaFile(this.dir, `${stem}.contacts`, 1, AddressBookFile, this.problems, this.io, { checkWrites: false }),
        callLog: new AreaFile(this.dir, `${stem}.calls`, 1, CallLogFile, this.problems, this.io),
      };
      if (this.closed) {
        set.contacts.close();
        set.callLog.close();
      }
      this.files.set(stem, set);
    }
    return set;
  }

  /** Deletes a phone's files (it was removed, or its BMW ID left the car). */
  async remove(profile: string, address: string): Promise<void> {
    const set = this.of(profile, address);
    await Promise.all([set.contacts.remove(), set.callLog.remove()]);
  }

  /** Deletes every phone's files (a factory reset). */
  async removeAll(): Promise<void> {
    await this.settled();
    this.files.clear();
    await rm(this.dir, { recursive: true, force: true });
  }

  /**
   * Runs a change of several files (phone files, then the index that lists them) so that
   * `settled` waits for all of it: its later writes are queued only as its earlier ones finish.
   */
  track<T>(work: Promise<T>): Promise<T> {
    this.operations.add(work);
    const done = () => this.operations.delete(work);
    work.then(done, done);
    return work;
  }

  /** No write after this (see AreaFile.close): the phones' files as they are now, and any opened later. */
  close(): void {
    this.closed = true;
    for (const set of this.files.values()) {
      set.contacts.close();
      set.callLog.close();
    }
  }

  /** Resolves once every change tracked and every write asked for so far is done (or failed). */
  async settled(): Promise<void> {
    while (this.operations.size > 0) await Promise.allSettled([...this.operations]);
    await Promise.all([...this.files.values()].flatMap((set) => [set.contacts.settled(), set.callLog.settled()]));
  }
}

/**
 * A file name's stem for a profile's phone, the same on every file system: letters, digits and
 * `-` kept, anything else (the address's colons, a profile id's other characters) as `_hex_`.
 */
function stemOf(profile: string, address: string): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}_`);
  return `${safe(profile)}.${safe(address.toUpperCase().replace(/:/g, ''))}`;
}
