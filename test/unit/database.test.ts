import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseTooNewError, openDatabase, SCHEMA_VERSION } from '../../app/journal/database.ts';
import { tempDir } from '../support/temp.ts';

describe('the app database', () => {
  it('is created with every migration applied, in WAL mode', () => {
    const file = join(tempDir(), 'nested', 'app.sqlite');
    const db = openDatabase(file);
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION });
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();
  });

  it('opens again without re-running migrations or losing data', () => {
    const file = join(tempDir(), 'app.sqlite');
    const first = openDatabase(file);
    first.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')").run();
    first.close();
    const second = openDatabase(file);
    expect(second.prepare('SELECT value FROM settings').all()).toEqual([{ value: '"dark"' }]);
    second.close();
  });

  it('refuses a database from a newer version of the app, and leaves it untouched', () => {
    const file = join(tempDir(), 'app.sqlite');
    const db = openDatabase(file);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(file)).toThrow(/newer version of Vitally Importer.*nothing in it has been changed/);
  });
});
