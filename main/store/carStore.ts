import type { Language } from '../../shared/i18n';
import { CarSettings, defaultSettings } from '../settings';
import type { Loaded } from '../machines/headUnit';
import { AreaFile } from './areaFile';

/** The car's memory on disk: one file per area in the data directory. */
export class CarStore {
  readonly settings: AreaFile<CarSettings>;

  constructor(readonly dir: string, private readonly language: Language) {
    this.settings = new AreaFile(dir, 'settings', 1, CarSettings);
  }

  defaults(): CarSettings {
    return defaultSettings(this.language);
  }

  async load(): Promise<Loaded> {
    const settings = await this.settings.load(() => this.defaults());
    return {
      settings: settings.value,
      notices: settings.movedTo ? [{ area: 'settings', movedTo: settings.movedTo }] : [],
    };
  }

  /** Forget everything this car knows, then start from `settings`. */
  async factoryReset(settings: CarSettings): Promise<CarSettings> {
    await this.settings.remove();
    await this.settings.save(settings);
    return settings;
  }
}
