import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchInfo, Mapping, PreviewSummary, RowProblems } from '../../app/contract.ts';
import { createMemoryLogger } from '../../main/log.ts';
import type { CheckAheadTiming } from '../../main/services/check-ahead.ts';

type MemoryLog = ReturnType<typeof createMemoryLogger>;
import type { Services } from '../../main/services/index.ts';
import { call, desktopServices, loadCsv, taskEnd } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

const ROWS = 12_000;

/** A users file with accounts repeated, a renamed account now and then, and a few unreadable seat counts. */
function usersCsv(rows = ROWS): string {
  const lines = ['Account ID,Account Name,User ID,Email,Seats'];
  for (let i = 1; i <= rows; i++) {
    const account = `A${i % 50}`;
    const name = i % 1999 === 0 ? 'Renamed' : `Company ${account}`;
    lines.push(`${account},${name},U${i},u${i}@example.com,${i % 2500 === 0 ? 'many' : i % 90}`);
  }
  return lines.join('\n');
}

/** Everything a user sees of a check: its counts, every row with problems, every batch. */
async function checked(services: Services, fileId: string) {
  const preview = await call<{ state: string; summary: PreviewSummary | null }>(services, 'getPreview', { fileId });
  const problems = await call<{ rows: RowProblems[] }>(services, 'listProblems', { fileId, offset: 0, limit: 500 });
  const batches: BatchInfo[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await call<{ batches: BatchInfo[] }>(services, 'listBatches', { fileId, offset, limit: 1000 });
    batches.push(...page.batches);
    if (page.batches.length < 1000) break;
  }
  return { state: preview.state, summary: preview.summary, problems: problems.rows, batches };
}

/** The desktop services over a fresh folder, with their log, checking ahead as `timing` says. */
function servicesWithLog(timing: CheckAheadTiming): { dir: string; services: Services; log: MemoryLog } {
  const dir = tempDir();
  const log = createMemoryLogger();
  return { dir, services: desktopServices(dir, { log, checkAhead: timing }), log };
}

/** Loads a CSV and keeps (saves) the mapping Map suggests for it, as a user who changes nothing in Map. */
async function loadKeepingSuggestion(services: Services, dir: string, name: string, text: string): Promise<string> {
  const fileId = await loadCsv(services, dir, name, text);
  const { mapping } = await call<{ mapping: Mapping }>(services, 'getMapping', { fileId });
  await call(services, 'saveMapping', { fileId, mapping });
  return fileId;
}

/** How many times the log says `message`. */
const said = (log: MemoryLog, message: string) => log.lines.filter((line) => line.message === message).length;
const TAKEN = 'preview taken from the check made while reading';

async function startCheck(services: Services, fileId: string): Promise<void> {
  const { taskId } = await call<{ taskId: string }>(services, 'startPreview', { fileId });
  const end = await taskEnd(services, taskId);
  expect(end.outcome).toBe('done');
}

describe.each(['after', 'follow'] as const)('the check made ahead of the Preview (%s the read)', (timing) => {
  let services: Services | undefined;

  afterEach(async () => {
    await services?.close();
    services = undefined;
  });

  it('is the Preview as soon as the user keeps the suggested mapping, and says exactly what a check made then says', async () => {
    const dir = tempDir();
    const log = createMemoryLogger();
    services = desktopServices(dir, { log, checkAhead: timing });
    const fileId = await loadCsv(services, dir, 'users.csv', usersCsv());
    const { mapping } = await call<{ mapping: Mapping }>(services, 'getMapping', { fileId });
    await call(services, 'saveMapping', { fileId, mapping });

    await startCheck(services, fileId);
    expect(log.lines.some((line) => line.message === 'preview taken from the check made while reading')).toBe(true);
    const ahead = await checked(services, fileId);

    // The same check, made now from the stored rows, from the start.
    await startCheck(services, fileId);
    const now = await checked(services, fileId);
    expect(ahead.state).toBe('ready');
    expect(ahead).toEqual(now);
    expect(ahead.summary).toMatchObject({ rows: ROWS, errorRows: 4 });
    expect(ahead.summary?.warningRows).toBeGreaterThan(0);
    expect(ahead.batches.length).toBeGreaterThan(100);
    // A batch's bytes are the batch the sender would send.
    const batch = await call<{ body: string }>(services, 'getBatch', { fileId, batch: 7 });
    expect(Buffer.byteLength(batch.body)).toBe(ahead.batches[7]?.bytes);
  }, 120_000);

  it('is set aside when the user changes the mapping: the check is made afresh under the new one', async () => {
    const made = servicesWithLog(timing);
    const { dir, log } = made;
    services = made.services;
    const fileId = await loadCsv(services, dir, 'users.csv', usersCsv());
    const { mapping } = await call<{ mapping: Mapping }>(services, 'getMapping', { fileId });
    await call(services, 'saveMapping', { fileId, mapping: { ...mapping, conflicts: 'last' } });

    await startCheck(services, fileId);
    // Set aside at once, or, when it had not yet said which mapping it checks, taken and then refused.
    expect(said(log, TAKEN)).toBe(said(log, 'the check made ahead was of another mapping'));
    const result = await checked(services, fileId);
    expect(result.summary).toMatchObject({ rows: ROWS, errorRows: 4, warningRows: 0 });
  }, 120_000);

  it('is set aside when a cell was corrected after the read, or the file was read again', async () => {
    const made = servicesWithLog(timing);
    const { dir, log } = made;
    services = made.services;
    const fileId = await loadKeepingSuggestion(services, dir, 'users.csv', usersCsv());
    await call(services, 'editCell', { fileId, rowNumber: 2501, column: 4, value: '7' });

    await startCheck(services, fileId);
    expect(said(log, TAKEN)).toBe(0);
    expect((await checked(services, fileId)).summary).toMatchObject({ errorRows: 3, editedCells: 1 });

    // Read again, with fewer rows: the check made during this read is the one taken, and it counts the new rows.
    writeFileSync(join(dir, 'users.csv'), usersCsv(9_000));
    const reread = await call<{ taskId: string }>(services, 'rereadFile', { fileId, settings: {} });
    await taskEnd(services, reread.taskId);
    await startCheck(services, fileId);
    expect(said(log, TAKEN)).toBe(1);
    expect((await checked(services, fileId)).summary).toMatchObject({ rows: 9_000, errorRows: 3, editedCells: 0 });
  }, 120_000);

  it('is kept for the file read last only: an earlier file is checked afresh, the last one at once', async () => {
    const made = servicesWithLog(timing);
    const { dir, log } = made;
    services = made.services;
    const first = await loadKeepingSuggestion(services, dir, 'first.csv', usersCsv());
    const last = await loadKeepingSuggestion(services, dir, 'last.csv', usersCsv(8_000));
    for (const fileId of [first, last]) await startCheck(services, fileId);
    const taken = log.lines.filter((line) => line.message === TAKEN);
    expect(taken.map((line) => line.meta.fileId)).toEqual([last]);
    expect((await checked(services, first)).summary).toMatchObject({ rows: ROWS, errorRows: 4 });
    expect((await checked(services, last)).summary).toMatchObject({ rows: 8_000, errorRows: 3 });
  }, 120_000);

  it('gives way when Map’s suggestion cannot be checked (an ID missing) and the user maps the ID at once', async () => {
    const made = servicesWithLog(timing);
    const { dir } = made;
    services = made.services;
    const lines = ['Code,Value'];
    for (let i = 1; i <= 3000; i++) lines.push(`C${i},${i}`);
    const fileId = await loadCsv(services, dir, 'codes.csv', lines.join('\n'));
    const { mapping } = await call<{ mapping: Mapping }>(services, 'getMapping', { fileId });
    const [account] = mapping.messages;
    if (!account) throw new Error('Map suggested no message');
    const fixed = { ...account, fields: { accountId: { column: 'Code' } } };
    await call(services, 'saveMapping', { fileId, mapping: { ...mapping, messages: [fixed] } });
    // Started at once: the check ahead may be taken before it has said it had nothing to check.
    await startCheck(services, fileId);
    expect((await checked(services, fileId)).summary).toMatchObject({ rows: 3000, messages: 3000, errorRows: 0 });
  }, 120_000);

  it('once taken, never overwrites a check asked for right after it (another tab, another mapping)', async () => {
    const made = servicesWithLog(timing);
    const { dir } = made;
    services = made.services;
    const fileId = await loadKeepingSuggestion(services, dir, 'users.csv', usersCsv());
    const first = await call<{ taskId: string }>(services, 'startPreview', { fileId });
    const firstEnd = taskEnd(services, first.taskId);
    // At once, before the check taken over has made itself the Preview: another tab changes the rule and checks.
    const { mapping } = await call<{ mapping: Mapping }>(services, 'getMapping', { fileId });
    await call(services, 'saveMapping', { fileId, mapping: { ...mapping, conflicts: 'last' } });
    await startCheck(services, fileId);
    await firstEnd;
    const second = await checked(services, fileId);
    await startCheck(services, fileId);
    expect(second).toEqual(await checked(services, fileId));
    expect(second.summary).toMatchObject({ rows: ROWS, warningRows: 0 });
  }, 120_000);

  it('stops with a read that is cancelled, and leaves nothing running', async () => {
    const dir = tempDir();
    services = desktopServices(dir, { checkAhead: timing });
    const path = join(dir, 'users.csv');
    writeFileSync(path, usersCsv(200_000));
    const load = await call<{ taskId: string; fileId: string }>(services, 'loadFile', {
      source: { kind: 'path', path },
    });
    // Cancelled once rows are being stored (and so checked ahead).
    await new Promise<void>((resolve) => {
      const stop = services?.bus.on('progress', (progress) => {
        if (progress.taskId !== load.taskId || !/[1-9][\d,]* rows read/.test(progress.description ?? '')) return;
        stop?.();
        resolve();
      });
    });
    await call(services, 'cancelTask', { taskId: load.taskId });
    expect((await taskEnd(services, load.taskId)).outcome).toBe('cancelled');
    // Closing waits for every thread: a check ahead still waiting for rows would hold it.
    await services.close();
    services = undefined;
  }, 120_000);
});
