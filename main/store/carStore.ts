import type { Language } from '../../shared/i18n';
import { PinsFile, ProfilesFile, TokensFile } from '../bmwId/profiles';
import { CarSettings, defaultSettings } from '../settings';
import type { LoadedWithSecrets } from '../machines/headUnit';
import { AreaFile } from './areaFile';
import { DevicesFile } from '../bluetooth/devices';
import { SessionsFile } from '../esim/sessions';

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

  constructor(readonly dir: string, private readonly language: Language) {
    this.settings = new AreaFile(dir, 'settings', 1, CarSettings);
    this.profiles = new AreaFile(dir, 'profiles', 1, ProfilesFile);
    this.tokens = new AreaFile(dir, 'tokens', 1, TokensFile);
    this.pins = new AreaFile(dir, 'pins', 1, PinsFile);
    this.devices = new AreaFile(dir, 'devices', 1, DevicesFile);
    this.sessions = new AreaFile(dir, 'esim-sessions', 1, SessionsFile);
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
    const notices = ([['settings', settings], ['profiles', profiles], ['tokens', tokens], ['pins', pins], ['devices', devices], ['sessions', sessions]] as const)
      .filter(([, loaded]) => loaded.movedTo !== null)
      .map(([area, loaded]) => ({ area, movedTo: loaded.movedTo! }));
    return { settings: settings.value, profiles: profiles.value, tokens: tokens.value, pins: pins.value, devices: devices.value, sessions: sessions.value, notices };
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
