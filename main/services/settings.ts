import { Settings, type SettingsPatch } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import type { Logger } from '../log.ts';
import { SettingsStore } from './store/settings.ts';

export const DEFAULT_SETTINGS: Settings = { theme: 'system', workspaceId: null };

/**
 * The user's preferences, one row per key in the database. A stored value that no longer passes its schema (an
 * older or hand-edited database) falls back to its default instead of breaking start-up.
 */
export class SettingsService {
  readonly #settings: SettingsStore;
  readonly #log: Logger;

  constructor(db: Database, log: Logger) {
    this.#settings = new SettingsStore(db);
    this.#log = log;
  }

  get(): Settings {
    const stored = this.#settings.all({
      onUnreadable: (key) => this.#log.warn('ignored an unreadable setting', { key }),
    });
    const result: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const key of Object.keys(Settings.shape) as (keyof Settings)[]) {
      const parsed = Settings.shape[key].safeParse(stored.get(key));
      if (parsed.success) result[key] = parsed.data;
    }
    return Settings.parse(result);
  }

  update(patch: SettingsPatch): Settings {
    this.#settings.set(patch);
    return this.get();
  }
}
