import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mapping } from '../../app/contract.ts';
import { parallelCheckedRows, rowsFollowingRead, rowsUpTo } from '../../app/preview/parallel-check.ts';
import { storedRowsCounter } from '../../app/read/stored-rows.ts';
import { buildPreview } from '../../app/preview/check.ts';
import { openDatabase, type Database } from '../../app/journal/database.ts';
import { pathsIn } from '../../main/paths.ts';
import type { Services } from '../../main/services/index.ts';
import { call, desktopServices, loadCsv } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

const ROWS = 6000; // three chunks of 2,560 rows, the last one short

/** What a check of one generation leaves in the database, in a comparable form. */
function stored(db: Database, fileId: string, generation: number) {
  const all = (sql: string) => db.prepare(sql).all(fileId, generation);
  return {
    problems: all(
      'SELECT row_number, seq, severity, problems FROM preview_problems WHERE file_id = ? AND generation = ? ORDER BY 1',
    ),
    batches: all(
      `SELECT batch, first_row, first_message, messages, bytes, types FROM preview_batches
        WHERE file_id = ? AND generation = ? ORDER BY batch`,
    ),
    skipped: all(
      'SELECT row_number, message_index FROM preview_skipped WHERE file_id = ? AND generation = ? ORDER BY 1, 2',
    ),
  };
}

/** Runs `check` on a counter of stored rows while a thread stores `rows` rows (see storeGradually), then ends it. */
async function whileStoring<T>(rows: number, check: (storedRows: SharedArrayBuffer) => T): Promise<T> {
  const storedRows = storedRowsCounter();
  const writer = storeGradually(storedRows, rows);
  try {
    return check(storedRows);
  } finally {
    await writer.terminate();
  }
}

/** A thread that stores `rows` rows a few hundred at a time, as a read's writing thread does, then ends the read. */
function storeGradually(buffer: SharedArrayBuffer, rows: number): Worker {
  const module = fileURLToPath(new URL('../../app/read/stored-rows.ts', import.meta.url));
  return new Worker(
    `const { workerData } = require('node:worker_threads');
     import(${JSON.stringify(module)}).then(async ({ StoredRowsWriter, STORED }) => {
       const writer = new StoredRowsWriter(workerData);
       for (let done = 0; done < ${rows}; done += 700) {
         await new Promise((resolve) => setImmediate(resolve));
         writer.committed(Math.min(700, ${rows} - done));
       }
       writer.end(STORED);
     });`,
    { eval: true, workerData: buffer },
  );
}

describe('checking a large file on several threads', () => {
  let services: Services | undefined;
  let db: Database | undefined;

  afterEach(async () => {
    db?.close();
    await services?.close();
  });

  it.each(['flag', 'last'] as const)(
    'gives exactly what one thread gives, repeats, corrections and problems included (rule %s)',
    async (conflicts) => {
      const dir = tempDir();
      const paths = pathsIn(join(dir, 'data'));
      services = desktopServices(dir);
      const lines = ['Account ID,Account Name,User ID,Seats'];
      for (let i = 1; i <= ROWS; i++) {
        // Accounts repeat across chunks; every 997th row names its account differently; some seats are unreadable.
        const account = `A${i % 40}`;
        lines.push(`${account},${i % 997 === 0 ? 'Renamed' : `Company ${account}`},U${i},${i % 1300 === 0 ? 'x' : i}`);
      }
      const fileId = await loadCsv(services, dir, 'users.csv', lines.join('\n'));
      const { mapping } = await call<{ mapping: Mapping }>(services, 'getMapping', { fileId });
      await call(services, 'saveMapping', { fileId, mapping: { ...mapping, conflicts } });
      await call(services, 'editCell', { fileId, rowNumber: 1301, column: 3, value: '12' });
      await call(services, 'setRowsExcluded', { fileId, rowNumbers: [2, 2600, 5000], excluded: true });

      const database = openDatabase(paths.databaseFile);
      db = database;
      const input = { databaseFile: paths.databaseFile, fileId, rowCount: ROWS, mapping: { ...mapping, conflicts } };
      const context = {
        columns: ['Account ID', 'Account Name', 'User ID', 'Seats'],
        runTimestamp: '2026-11-23T10:00:00.000Z',
      };
      const job = { ...input, context, progress: () => undefined, cancelled: () => false };
      const one = buildPreview(db, { ...job, generation: 1 });
      // A later check forgets the rows of checks that are not the current one.
      const oneStored = stored(db, fileId, 1);
      const many = buildPreview(db, {
        ...job,
        generation: 2,
        rowsOf: (check) => parallelCheckedRows({ ...input, extent: { rowCount: ROWS }, context: check, helpers: 2 }),
      });
      expect(many).toEqual(one);
      expect(stored(db, fileId, 2)).toEqual(oneStored);
      expect(stored(db, fileId, 1).batches).toEqual([]);
      // Following a read as it stores the rows (a thread moves the counter a few hundred rows at a time), with the
      // row count known only at the end, gives the same again.
      const following = await whileStoring(ROWS, (storedRows) =>
        buildPreview(database, {
          ...job,
          rowCount: 0,
          generation: 3,
          rowsOf: (check) => parallelCheckedRows({ ...input, extent: { storedRows }, context: check, helpers: 2 }),
          countRows: () => rowsUpTo({ storedRows }, Number.POSITIVE_INFINITY).available,
        }),
      );
      expect(following).toEqual(one);
      expect(stored(db, fileId, 3)).toEqual(oneStored);
      // A check made ahead: on its own thread while the read goes on, the rest on helpers once it has ended.
      const ahead = await whileStoring(ROWS, (aheadRows) =>
        buildPreview(database, {
          ...job,
          rowCount: 0,
          generation: 4,
          rowsOf: (check) =>
            rowsFollowingRead(database, {
              ...input,
              storedRows: aheadRows,
              context: check,
              helpers: 2,
              helpersFrom: 1,
            }),
          countRows: () => rowsUpTo({ storedRows: aheadRows }, Number.POSITIVE_INFINITY).available,
        }),
      );
      expect(ahead).toEqual(one);
      expect(stored(db, fileId, 4)).toEqual(oneStored);
      // The file is varied enough for the comparison to mean something.
      expect(one).toMatchObject({ rows: ROWS, excludedRows: 3, editedCells: 1, errorRows: 3 });
      expect(one.repeatsSkipped).toBeGreaterThan(5000);
      if (conflicts === 'flag') expect(one.warningRows).toBeGreaterThan(0);
    },
  );
});
