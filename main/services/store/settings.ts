import type { Database } from '../../../app/journal/database.ts';

/**
 * The `settings` table: one row per key, its value as JSON. It holds the user's preferences (`SettingsService`)
 * and the app's own remembered values (the practice workspace's id, how long imports are kept).
 */
export class SettingsStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Every stored value by key; a value that is not JSON is left out, and its key given to `onUnreadable`. */
  all(options: { onUnreadable?: (key: string) => void } = {}): Map<string, unknown> {
    const rows = this.#db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const values = new Map<string, unknown>();
    for (const { key, value } of rows) {
      try {
        values.set(key, JSON.parse(value));
      } catch {
        options.onUnreadable?.(key);
      }
    }
    return values;
  }

  /** One stored value; undefined when there is none or it is not JSON. */
  get(key: string): unknown {
    const row = this.#db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as unknown;
    } catch {
      return undefined;
    }
  }

  /** Stores each value given (an undefined one is left as it is), all or none. */
  set(values: Readonly<Record<string, unknown>>): void {
    const upsert = this.#db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.#db.exec('BEGIN');
    try {
      for (const [key, value] of Object.entries(values)) {
        if (value !== undefined) upsert.run(key, JSON.stringify(value));
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }
}
