import type { Language } from '../../shared/i18n';
import { PinsFile, ProfilesFile, TokensFile } from '../bmwId/profiles';
import { CarSettings, defaultSettings } from '../settings';
import { AreaFile, realIo, type AreaIo } from './areaFile';
import { StoreProblems } from './problems';
import { DevicesFile } from '../bluetooth/devices';
import { SessionsFile } from '../esim/sessions';

/** What the store reads at boot for the head-unit machine (its problems arrive as `store.problem` events). */
export interface Loaded {
  settings: CarSettings;
  profiles: ProfilesFile;
}

/** What the store reads at boot: the machine's part, and what stays with the repositories (the vault's secrets, devices, sessions). */
export interface LoadedWithSecrets extends Loaded {
  tokens: TokensFile;
  pins: PinsFile;
  devices: DevicesFile;
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
  /** paired phones with their address books and call logs */
  readonly devices: AreaFile<DevicesFile>;
  /** the LPA's eSIM download sessions still open (see main/esim/sessions.ts) */
  readonly sessions: AreaFile<SessionsFile>;

  /** `problems` hears of every damaged, unreadable or unwritable area; `io` is the file system (tests inject faults). */
  constructor(readonly dir: string, private readonly language: Language, problems: StoreProblems = new StoreProblems(), io: AreaIo = realIo) {
    this.settings = new AreaFile(dir, 'settings', 1, CarSettings, problems, io);
    this.profiles = new AreaFile(dir, 'profiles', 1, ProfilesFile, problems, io);
    this.tokens = new AreaFile(dir, 'tokens', 1, TokensFile, problems, io);
    this.pins = new AreaFile(dir, 'pins', 1, PinsFile, problems, io);
    // (an address book can hold tens of thousands of contacts: checked when read, not on every write)
    this.devices = new AreaFile(dir, 'devices', 1, DevicesFile, problems, io, { checkWrites: false });
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
    const devices = await this.devices.load(() => ({ profiles: {} }));
    const sessions = await this.sessions.load(() => ({ sessions: [] }));
    // (damaged or unreadable areas have reported themselves to `problems`)
    return { settings: settings.value, profiles: profiles.value, tokens: tokens.value, pins: pins.value, devices: devices.value, sessions: sessions.value };
  }

  /** Every write asked for so far, done: a clean stop loses nothing. */
  async settled(): Promise<void> {
    await Promise.all([this.settings, this.profiles, this.tokens, this.pins, this.devices, this.sessions].map((area) => area.settled()));
  }

  /** Forget everything this car knows, then start from `settings`. */
  async factoryReset(settings: CarSettings): Promise<CarSettings> {
    await Promise.all([this.settings.remove(), this.profiles.remove(), this.tokens.remove(), this.pins.remove(), this.devices.remove(), this.sessions.remove()]);
    await this.settings.save(settings);
    return settings;
  }
}
