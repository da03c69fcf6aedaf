import type { Language } from '../../shared/i18n';
import { PinsFile, ProfilesFile, TokensFile } from '../bmwId/profiles';
import { CarSettings, defaultSettings } from '../settings';
import { AreaFile, realIo, type AreaIo } from '../store/areaFile';
import { StoreProblems } from '../store/problems';
import { DevicesFileV1, DevicesIndex } from '../bluetooth/devices';
import { PhoneFiles } from '../store/phoneFiles';
import { SessionsFile } from '../esim/sessions';
import type { Loaded } from '../machines/headUnit';

/** What the store reads at boot: the machine's part, and what stays with the repositories (the vault's secrets, sessions; the paired devices load themselves). */
export interface LoadedWithSecrets extends Loaded {
  tokens: TokensFile;
  pins: PinsFile;
  sessions: SessionsFile;
}

/** The car's memory, one file per area, so damage to one never costs the others. */
export const storeAreas = ['settings', 'profiles', 'tokens', 'pins', 'devices', 'sessions'] as const;
export type StoreArea = (typeof storeAreas)[number];

/** The car's memory on disk: one file per area in the data directory. */
export class CarStore {
  readonly settings: AreaFile<CarSettings>;
  readonly profiles: AreaFile<ProfilesFile>;
  readonly tokens: AreaFile<TokensFile>;
  readonly pins: AreaFile<PinsFile>;
  /** the paired phones per profile (their address books and call logs are in `phones`) */
  readonly devices: AreaFile<DevicesIndex, DevicesFileV1>;
  /** each paired phone's address book and call log, in files of their own */
  readonly phones: PhoneFiles;
  /** the LPA's eSIM download sessions still open (see main/esim/sessions.ts) */
  readonly sessions: AreaFile<SessionsFile>;

  /** `problems` hears of every damaged, unreadable or unwritable area; `io` is the file system (tests inject faults). */
  constructor(
    readonly dir: string,
    private readonly language: Language,
    problems: StoreProblems = new StoreProblems(),
    io: AreaIo = realIo,
  ) {
    this.settings = new AreaFile(dir, 'settings', 1, CarSettings, problems, io);
    this.profiles = new AreaFile(dir, 'profiles', 1, ProfilesFile, problems, io);
    this.tokens = new AreaFile(dir, 'tokens', 1, TokensFile, problems, io);
    this.pins = new AreaFile(dir, 'pins', 1, PinsFile, problems, io);
    this.devices = new AreaFile(dir, 'devices', 2, DevicesIndex, problems, io, { legacy: { version: 1, schema: DevicesFileV1 } });
    this.phones = new PhoneFiles(dir, problems, io);
    this.sessions = new AreaFile(dir, 'esim-sessions', 1, SessionsFile, problems, io);
  }

  defaults(): CarSettings {
    return defaultSettings(this.language);
  }

  /** Reads every area; a car without a settings file (its first start) starts from `firstStart`. */
  async load(firstStart: CarSettings = this.defaults()): Promise<LoadedWithSecrets> {
    const settings = await this.settings.load(() => firstStart);
    const profiles = await this.profiles.load(() => ({ active: null, profiles: [] }));
    const tokens = await this.tokens.load(() => ({}));
    const pins = await this.pins.load(() => ({}));
    const sessions = await this.sessions.load(() => ({ sessions: [] }));
    // (damaged or unreadable areas have reported themselves to `problems`)
    return { settings: settings.value, profiles: profiles.value, tokens: tokens.value, pins: pins.value, sessions: sessions.value };
  }

  /** Every write asked for so far, done: a clean stop loses nothing. */
  async settled(): Promise<void> {
    // (the phones first: a change of their files ends by queueing a write of the devices index)
    await this.phones.settled();
    await Promise.all([this.settings, this.profiles, this.tokens, this.pins, this.devices, this.sessions].map((area) => area.settled()));
  }

  /** After the car's stop: nothing more is written (see AreaFile.close). */
  close(): void {
    this.phones.close();
    for (const area of [this.settings, this.profiles, this.tokens, this.pins, this.devices, this.sessions]) area.close();
  }

  /** Forget everything this car knows, then start from `settings`. */
  async factoryReset(settings: CarSettings): Promise<CarSettings> {
    await Promise.all([
      this.settings.remove(),
      this.profiles.remove(),
      this.tokens.remove(),
      this.pins.remove(),
      this.devices.remove(),
      this.phones.removeAll(),
      this.sessions.remove(),
    ]);
    await this.settings.save(settings);
    return settings;
  }
}
