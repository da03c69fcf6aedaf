import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PairedDevices, type PairedDevice } from '../../main/bluetooth/devices';
import { CarStore } from '../../main/wiring/carStore';
import { jsonChunks } from '../../main/slices';
import { useTempDirs } from '../support/tempDir';

/**
 * Paired phones on disk: the small `devices` index, and each phone's address book and call log in
 * files of their own, written only when they change.
 */
const tempDir = useTempDirs();

const phone = '5C:F9:38:A1:B2:C3';
const other = '02:00:00:00:00:07';
const contacts = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `鈴木 花子${i}`,
    reading: 'すずき はなこ',
    numbers: [{ type: 'mobile' as const, number: `090-1111-${String(i).padStart(4, '0')}` }],
    organisation: '',
  }));
const call = (n: number) => ({ name: '', number: `090-2222-${n}`, direction: 'dialed' as const, at: `2026-11-29T10:00:0${n % 10}Z`, via: 'esim' as const });

function device(address: string, extra: Partial<PairedDevice> = {}): PairedDevice {
  return {
    address,
    name: `Phone ${address}`,
    pairedAt: '2026-11-29T09:00:00.000Z',
    functions: { telephone: true, audio: true, contacts: true },
    esim: true,
    contacts: [],
    callLog: [],
    syncedAt: null,
    ...extra,
  };
}

async function open(dir: string) {
  const store = new CarStore(dir, 'ja');
  const paired = new PairedDevices(store.devices, store.phones);
  await paired.load();
  return { store, paired };
}

const phonesDir = (dir: string) => join(dir, 'phones');

describe('paired devices on disk', () => {
  it('keeps each phone’s address book and call log in their own files, and the index small', async () => {
    const dir = await tempDir();
    const { store, paired } = await open(dir);
    await paired.set('driver-1', [device(phone, { contacts: contacts(2000), callLog: [call(1)], syncedAt: '2026-11-29T09:01:00.000Z' })]);
    await store.settled();
    expect((await readdir(phonesDir(dir))).sort()).toEqual(['driver-1.5CF938A1B2C3.calls.json', 'driver-1.5CF938A1B2C3.contacts.json']);
    const index = JSON.parse(await readFile(join(dir, 'devices.json'), 'utf8'));
    expect(index.version).toBe(2);
    expect(index.data.profiles['driver-1'][0]).not.toHaveProperty('contacts');
    expect((await stat(join(dir, 'devices.json'))).size).toBeLessThan(1024);

    const again = await open(dir);
    expect(again.paired.of('driver-1')).toEqual(paired.of('driver-1'));
  });

  it('logs a call by writing the call log alone, whatever the address book’s size', async () => {
    const dir = await tempDir();
    const { store, paired } = await open(dir);
    const synced = device(phone, { contacts: contacts(5000) });
    await paired.set(null, [synced]);
    await store.settled();
    const book = join(phonesDir(dir), 'guest.5CF938A1B2C3.contacts.json');
    const before = await stat(book);
    const index = (await stat(join(dir, 'devices.json'))).mtimeMs;

    await paired.set(null, [{ ...synced, callLog: [call(2), ...synced.callLog] }]);
    await store.settled();
    expect((await stat(book)).mtimeMs).toBe(before.mtimeMs);
    // (the index did not change either: a call is not a change of which phones there are)
    expect((await stat(join(dir, 'devices.json'))).mtimeMs).toBe(index);
    expect(JSON.parse(await readFile(join(phonesDir(dir), 'guest.5CF938A1B2C3.calls.json'), 'utf8')).data).toEqual([call(2)]);
  });

  it('takes a removed phone’s files with it, and a BMW ID’s phones when it leaves', async () => {
    const dir = await tempDir();
    const { store, paired } = await open(dir);
    await paired.set('driver-1', [device(phone, { contacts: contacts(3) }), device(other, { esim: false, contacts: contacts(2) })]);
    await paired.set(null, [device(other, { contacts: contacts(1) })]);
    await paired.set(
      'driver-1',
      paired.of('driver-1').filter((d) => d.address !== other),
    );
    await store.settled();
    expect((await readdir(phonesDir(dir))).filter((f) => f.startsWith('driver-1.')).sort()).toEqual([
      'driver-1.5CF938A1B2C3.calls.json',
      'driver-1.5CF938A1B2C3.contacts.json',
    ]);
    await paired.removeProfile('driver-1');
    await store.settled();
    expect((await readdir(phonesDir(dir))).sort()).toEqual(['guest.020000000007.calls.json', 'guest.020000000007.contacts.json']);
  });

  it('migrates a version-1 devices file, with every address book inside it, on first start, and again if cut short', async () => {
    const dir = await tempDir();
    const v1 = {
      version: 1,
      data: { profiles: { 'driver-1': [device(phone, { contacts: contacts(40), callLog: [call(3)] })], guest: [device(other, { contacts: contacts(1) })] } },
    };
    await writeFile(join(dir, 'devices.json'), JSON.stringify(v1, null, 2));
    const first = await open(dir);
    await first.store.settled();
    expect(first.paired.of('driver-1')).toEqual(v1.data.profiles['driver-1']);
    expect(first.paired.of(null)).toEqual(v1.data.profiles.guest);
    expect(JSON.parse(await readFile(join(dir, 'devices.json'), 'utf8')).version).toBe(2);
    expect(await readdir(phonesDir(dir))).toHaveLength(4);

    // A migration cut off after the phones' files, before the index: the next start does it again.
    await writeFile(join(dir, 'devices.json'), JSON.stringify(v1, null, 2));
    for (const restart of [1, 2]) {
      const again = await open(dir);
      await again.store.settled();
      expect(again.paired.of('driver-1'), `restart ${restart}`).toEqual(v1.data.profiles['driver-1']);
      expect(again.paired.of(null), `restart ${restart}`).toEqual(v1.data.profiles.guest);
    }
  });

  it('finishes a removal a crash cut short, and keeps files no index lists', async () => {
    const dir = await tempDir();
    const { store, paired } = await open(dir);
    await paired.set(null, [device(phone, { contacts: contacts(2) }), device(other, { contacts: contacts(1) })]);
    await paired.set(null, [device(phone, { contacts: contacts(2) })]);
    await store.settled();
    expect(JSON.parse(await readFile(join(dir, 'devices.json'), 'utf8')).data.removing).toEqual([['guest', other]]);
    // The crash came after the index, before the removed phone's files went; and a first pairing
    // was cut short before its index (its files are kept: no index said they are unwanted).
    await writeFile(join(phonesDir(dir), 'guest.020000000007.contacts.json'), JSON.stringify({ version: 1, data: [] }));
    await writeFile(join(phonesDir(dir), 'guest.AABBCCDDEEFF.contacts.json'), JSON.stringify({ version: 1, data: [] }));
    await open(dir);
    expect((await readdir(phonesDir(dir))).sort()).toEqual([
      'guest.5CF938A1B2C3.calls.json',
      'guest.5CF938A1B2C3.contacts.json',
      'guest.AABBCCDDEEFF.contacts.json',
    ]);
  });

  const damages: Array<[string, (file: string) => Promise<void>]> = [
    ['cut short', async (file) => writeFile(file, (await readFile(file, 'utf8')).slice(0, 40))],
    ['empty', (file) => writeFile(file, '')],
    ['zeros', (file) => writeFile(file, Buffer.alloc(512))],
    ['another version', async (file) => writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), version: 9 }))],
    ['wrong types', (file) => writeFile(file, JSON.stringify({ version: 2, data: { profiles: { guest: [{ address: 7 }] } } }))],
    [
      'unreadable (a directory in its place)',
      async (file) => {
        await rm(file);
        await mkdir(file);
      },
    ],
  ];
  it.each(damages)('a devices index %s costs no phone its address book or call log, and the kept copy restores them', async (_how, damage) => {
    const dir = await tempDir();
    const { store, paired } = await open(dir);
    await paired.set('driver-1', [device(phone, { contacts: contacts(3), callLog: [call(1)] })]);
    await paired.set(null, [device(other, { contacts: contacts(2) })]);
    await store.settled();
    const index = join(dir, 'devices.json');
    const intact = await readFile(index, 'utf8');
    const files = (await readdir(phonesDir(dir))).sort();
    await damage(index);

    // The damaged start, and a phone paired in it: neither deletes the phones the index no longer names.
    const damaged = await open(dir);
    expect(damaged.paired.of('driver-1')).toEqual([]);
    await damaged.paired.set(null, [device('02:00:00:00:00:09')]).catch(() => undefined);
    await damaged.store.settled();
    await open(dir);
    expect(await readdir(phonesDir(dir))).toEqual(expect.arrayContaining(files));

    // The user puts the intact index back (from the copy kept aside, mended): every phone is as it was.
    await rm(index, { recursive: true, force: true });
    await writeFile(index, intact);
    const restored = await open(dir);
    expect(restored.paired.of('driver-1')).toEqual(paired.of('driver-1'));
    expect(restored.paired.of(null)).toEqual(paired.of(null));
  });

  it('a factory reset deletes every phone’s files', async () => {
    const dir = await tempDir();
    const { store, paired } = await open(dir);
    await paired.set(null, [device(phone, { contacts: contacts(2) })]);
    await store.factoryReset(store.defaults());
    expect(await readdir(dir)).not.toContain('phones');
  });
});

const stringifySliced = async (value: unknown) => (await jsonChunks(value)).join('');

describe('JSON in slices', () => {
  it('writes what JSON.stringify writes, for any value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        expect(await stringifySliced(value)).toBe(JSON.stringify(value));
      }),
    );
    const deep = { profiles: { a: [{ contacts: contacts(1000), n: undefined }] } };
    expect(await stringifySliced(deep)).toBe(JSON.stringify(deep));
  });
});
