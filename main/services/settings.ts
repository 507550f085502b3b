import { Settings, type SettingsPatch } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import type { Logger } from '../log.ts';

export const DEFAULT_SETTINGS: Settings = { theme: 'system', workspaceId: null };

/**
 * The user's preferences, one row per key in the database. A stored value that no longer passes its schema (an
 * older or hand-edited database) falls back to its default instead of breaking start-up.
 */
export class SettingsService {
  readonly #db: Database;
  readonly #log: Logger;

  constructor(db: Database, log: Logger) {
    this.#db = db;
    this.#log = log;
  }

  get(): Settings {
    const rows = this.#db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const stored: Record<string, unknown> = {};
    for (const { key, value } of rows) {
      try {
        stored[key] = JSON.parse(value);
      } catch {
        this.#log.warn('ignored an unreadable setting', { key });
      }
    }
    const result: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const key of Object.keys(Settings.shape) as (keyof Settings)[]) {
      const parsed = Settings.shape[key].safeParse(stored[key]);
      if (parsed.success) result[key] = parsed.data;
    }
    return Settings.parse(result);
  }

  update(patch: SettingsPatch): Settings {
    const upsert = this.#db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.#db.exec('BEGIN');
    try {
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) upsert.run(key, JSON.stringify(value));
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
    return this.get();
  }
}
