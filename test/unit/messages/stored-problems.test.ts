import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION } from '../../../app/journal/database.ts';
import { tempDir } from '../../support/temp.ts';

describe('problems stored by a check before they carried their values', () => {
  it('are dropped with their check, which runs again, while the file keeps its run timestamp', () => {
    const file = join(tempDir(), 'app.sqlite');
    const db = openDatabase(file);
    db.exec(`
      INSERT INTO files (id, created_at, name, source_path, size, modified_at, state)
        VALUES ('f1', '2026-01-01T00:00:00.000Z', 'a.csv', '/a.csv', 1, '2026-01-01T00:00:00.000Z', 'ready');
      INSERT INTO previews (file_id, created_at, mapping, run_timestamp, state, summary)
        VALUES ('f1', '2026-01-01T00:00:00.000Z', '{}', '2026-01-02T03:04:05.000Z', 'ready', '{"rows":1}');
      INSERT INTO preview_problems (file_id, generation, row_number, seq, severity, problems)
        VALUES ('f1', 0, 2, 0, 'warning', '[{"rowNumber":2,"code":"conflicting-entity","message":"Row 2: …"}]');
      PRAGMA user_version = ${SCHEMA_VERSION - 1};
    `);
    db.close();
    const again = openDatabase(file);
    expect(again.prepare('SELECT state, run_timestamp FROM previews').all()).toEqual([
      { state: 'none', run_timestamp: '2026-01-02T03:04:05.000Z' },
    ]);
    expect(again.prepare('SELECT COUNT(*) AS n FROM preview_problems').get()).toEqual({ n: 0 });
    again.close();
  });
});
