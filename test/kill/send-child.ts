/**
 * The process the kill test kills: opens the app database, creates the run on first start (20,000 rows as 200
 * batches of user messages) or recovers it after a kill, and sends what is pending to the emulator.
 *
 *   node test/kill/send-child.ts <database file> <base URL> <token> <rows>
 */
import { openDatabase } from '../../app/journal/database.ts';
import { Journal, type PlannedBatch } from '../../app/journal/journal.ts';
import { startRun } from '../../app/send/run.ts';

const [databaseFile = '', baseUrl = '', token = '', rowsArg = '20000'] = process.argv.slice(2);
const rows = Number(rowsArg);
const db = openDatabase(databaseFile);
const journal = new Journal(db);

const interrupted = journal.recover();
let runId = interrupted[0] ?? (db.prepare('SELECT id FROM runs LIMIT 1').get() as { id: string } | undefined)?.id;
if (!runId) {
  const batches: PlannedBatch[] = [];
  for (let first = 0; first < rows; first += 100) {
    const numbers = Array.from({ length: Math.min(100, rows - first) }, (_, i) => first + i + 2);
    batches.push({
      id: String(batches.length),
      messages: numbers.map((row) =>
        JSON.stringify({
          type: 'user',
          userId: `u${row}`,
          accountId: 'A1',
          traits: { row },
          messageId: `row-${row}`,
          timestamp: '2026-11-23T10:00:00.000Z',
        }),
      ),
      types: numbers.map(() => 'user'),
      sourceRows: numbers,
    });
  }
  runId = journal.createRun({ fileName: 'users.csv', workspaceName: 'Emulator', baseUrl, rows }, batches);
}
const { done } = startRun(journal, runId, { baseUrl, token, baseBackoffMs: 10 });
const state = await done;
db.close();
console.log(state);
