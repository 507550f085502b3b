/**
 * "A re-run sends exactly the failed rows, and exactly what they say", under attack: a corrected file whose IDs
 * Excel changed, a row of another import pasted in, the failed row twice, and the import's own file read again
 * another way (another sheet, or changed on disk) since it was sent.
 */
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RerunPlan, RunDetails } from '../../app/contract.ts';
import type { Services } from '../../main/services/index.ts';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import { exportedFailedRows } from '../support/exports.ts';
import { mappingOf, userMessage } from '../support/mapping.ts';
import { call, desktopServices, loadCsv, runEnd, taskEnd, useEmulator } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';
import { buildXlsx } from '../support/xlsx.ts';

const USER_MAPPING = mappingOf(userMessage([{ column: 'Name', key: 'name', type: 'text' }]));

/** A service call's typed error, for the calls that must be refused. */
const refusal = async (services: Services, name: string, args: unknown) => {
  const answer = await services.dispatch(name, args);
  return answer.ok ? null : answer.error;
};

describe('a corrected file loaded again for a re-run', () => {
  let emulator: Emulator;
  let services: Services;
  let dir: string;
  let parentId: string;

  const check = async (id: string) => {
    const { taskId } = await call<{ taskId: string }>(services, 'startPreview', { fileId: id });
    expect((await taskEnd(services, taskId)).outcome).toBe('done');
  };
  const corrected = async (name: string, text: string) => {
    const id = await loadCsv(services, dir, name, text);
    await call(services, 'adoptRerunFile', { runId: parentId, fileId: id });
    await check(id);
    return id;
  };
  const exportedLines = () => exportedFailedRows(services, parentId);
  const sentNames = (from: number) =>
    emulator.requests.slice(from).flatMap((r) => (r.status === 200 ? r.messageIds : [])).length;

  beforeEach(async () => {
    emulator = await startEmulator({ token: 'attack-token-1234', refuse: { field: 'traits.name', value: ['Bad'] } });
    dir = tempDir();
    services = desktopServices(dir, { chooseSavePath: (name) => Promise.resolve(join(dir, name)) });
    // IDs with leading zeros, as a billing system writes them; row 3 (0042) is refused.
    const fileId = await loadCsv(
      services,
      dir,
      'users.csv',
      'User ID,Account ID,Name\r\n0041,00017,Ann\r\n0042,00017,Bad\r\n0043,00018,Cy\r\n',
    );
    await call(services, 'saveMapping', { fileId, mapping: USER_MAPPING });
    await check(fileId);
    await useEmulator(services, emulator);
    parentId = (await call<{ runId: string }>(services, 'startSend', { fileId })).runId;
    expect(await runEnd(services, parentId)).toMatchObject({ accepted: 2, rejected: 1 });
  }, 30_000);

  afterEach(async () => {
    await services.close();
    await emulator.close();
  });

  it('saved by Excel, which drops the IDs’ leading zeros: the row is held and said, and sent only when asked', async () => {
    const [header, line] = await exportedLines();
    expect(line).toMatch(/^0042,00017,Bad,3,/);
    // Excel opens the CSV, reads 0042 as the number 42, and saves it so; the user fixed the name.
    const id = await corrected('users – failed rows.csv', `${header}\r\n42,17,Bea,3,x\r\n`);
    const plan = await call<RerunPlan>(services, 'planRerun', { runId: parentId, fileId: id });
    // Row 3 was user 0042 of account 00017: sending user "42" of account "17" makes a new user in a new account.
    expect(plan).toMatchObject({ messages: 0, rows: 0, changedIdRows: 1, unmatchedRows: 0, rowsWithErrors: [] });
    expect(plan.changedIds).toMatchObject([
      {
        row: 2,
        earlierRow: 3,
        from: 'userId 0042, accountId 00017',
        to: 'userId 42, accountId 17',
        leadingZeros: true,
      },
    ]);
    expect(plan.changedIds[0]?.text).toMatch(
      /^Row 2 stands for row 3 of the import, but its IDs changed \(userId 0042 → 42, accountId 00017 → 17\): their leading zeros were dropped/,
    );
    const refused = await refusal(services, 'startRerun', { runId: parentId, fileId: id });
    expect(refused?.message).toMatch(/IDs changed/);
    // The user says the new IDs are right: then, and only then, it goes.
    const asked = await call<RerunPlan>(services, 'planRerun', { runId: parentId, fileId: id, sendChangedIds: true });
    expect(asked).toMatchObject({ messages: 1, rows: 1, changedIdRows: 1 });
    const before = emulator.requests.length;
    const { runId } = await call<{ runId: string }>(services, 'startRerun', {
      runId: parentId,
      fileId: id,
      sendChangedIds: true,
    });
    expect(await runEnd(services, runId)).toMatchObject({ accepted: 1, rejected: 0 });
    expect(sentNames(before)).toBe(1);
    expect(emulator.state.users.get('42')?.traits).toMatchObject({ name: 'Bea' });
  });

  it('the failed row twice (the original left in, a fixed copy pasted below): the fixed one is sent, once', async () => {
    const [header, line] = await exportedLines();
    const id = await corrected('users – failed rows.csv', [header, line, line?.replace('Bad', 'Bea'), ''].join('\r\n'));
    const plan = await call<RerunPlan>(services, 'planRerun', { runId: parentId, fileId: id });
    expect(plan).toMatchObject({ messages: 1, rows: 1, changedIdRows: 0 });
    expect(plan.duplicates).toEqual([
      {
        earlierRow: 3,
        rows: [2, 3],
        sentRow: 3,
        text: 'Both rows 2 and 3 stand for row 3 of the import: row 3, the corrected one, is sent; row 2 is the row as it was, left out.',
      },
    ]);
    const before = emulator.requests.length;
    const { runId } = await call<{ runId: string }>(services, 'startRerun', { runId: parentId, fileId: id });
    expect(await runEnd(services, runId)).toMatchObject({ accepted: 1, rejected: 0 });
    expect(sentNames(before)).toBe(1);
    expect(emulator.state.users.get('0042')?.traits).toMatchObject({ name: 'Bea' });
  });

  it('the failed row fixed twice, differently: neither is sent, and the plan says to keep one', async () => {
    const [header, line] = await exportedLines();
    const fixes = [header, line?.replace('Bad', 'Bea'), line?.replace('Bad', 'Beatrice'), ''].join('\r\n');
    const id = await corrected('users – failed rows.csv', fixes);
    const plan = await call<RerunPlan>(services, 'planRerun', { runId: parentId, fileId: id });
    expect(plan).toMatchObject({ messages: 0, rows: 0 });
    expect(plan.duplicates).toEqual([
      {
        earlierRow: 3,
        rows: [2, 3],
        sentRow: null,
        text: 'Both rows 2 and 3 stand for row 3 of the import, with different changes, so none of them is sent: keep the one that is right and delete the other.',
      },
    ]);
  });

  it('a row of another import pasted in, whose Row cell names a failed row of this one, is not sent', async () => {
    const [header, line] = await exportedLines();
    // Row 3 of another import's failed rows: user 0999 of account 00050, which this import never had.
    const text = [header, line?.replace('Bad', 'Bea'), '0999,00050,Zed,3,', ''].join('\r\n');
    const id = await corrected('users – failed rows.csv', text);
    const plan = await call<RerunPlan>(services, 'planRerun', { runId: parentId, fileId: id });
    expect(plan).toMatchObject({ messages: 1, rows: 1, changedIdRows: 1, duplicates: [] });
    expect(plan.changedIds).toMatchObject([
      { row: 3, earlierRow: 3, from: 'userId 0042, accountId 00017', to: 'userId 0999, accountId 00050' },
    ]);
    expect(plan.changedIds[0]?.leadingZeros).toBe(false);
    expect(plan.changedIds[0]?.text).toMatch(/not sent, so that a mistyped ID or a row of another import/);
  });
});

const cell = (ref: string, v: string) => `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
const sheetRow = (n: number, values: string[]) =>
  `<row r="${n}">${values.map((v, i) => cell(`${String.fromCharCode(65 + i)}${n}`, v)).join('')}</row>`;
/** A sheet of four users; `bad` names the one whose name Vitally refuses. */
const users = (prefix: string, bad: number | null) =>
  [
    sheetRow(1, ['User ID', 'Account ID', 'Name']),
    ...[1, 2, 3, 4].map((i) => sheetRow(i + 1, [`${prefix}${i}`, 'A1', i === bad ? 'Bad' : `${prefix} ${i}`])),
  ].join('');

describe('re-running an import whose file was read again another way', () => {
  let emulator: Emulator;
  let services: Services;
  let dir: string;

  beforeEach(async () => {
    emulator = await startEmulator({ token: 'reread-token-1234', refuse: { field: 'traits.name', value: ['Bad'] } });
    dir = tempDir();
    services = desktopServices(dir, { chooseSavePath: (name) => Promise.resolve(join(dir, name)) });
    await useEmulator(services, emulator);
  });
  afterEach(async () => {
    await services.close();
    await emulator.close();
  });

  const check = async (fileId: string) => {
    const { taskId } = await call<{ taskId: string }>(services, 'startPreview', { fileId });
    expect((await taskEnd(services, taskId)).outcome).toBe('done');
  };
  const send = async (fileId: string) => {
    await call(services, 'saveMapping', { fileId, mapping: USER_MAPPING });
    await check(fileId);
    const { runId } = await call<{ runId: string }>(services, 'startSend', { fileId });
    return { runId, end: await runEnd(services, runId) };
  };
  const reread = async (fileId: string, settings: Record<string, unknown>, checked = true) => {
    const { taskId } = await call<{ taskId: string }>(services, 'rereadFile', { fileId, settings });
    expect((await taskEnd(services, taskId)).outcome).toBe('done');
    if (checked) await check(fileId);
  };

  it('on another sheet: nothing of it is sent, exported or shown as the first sheet’s failed rows', async () => {
    const path = join(dir, 'users.xlsx');
    const sheets = [
      { name: 'EU', sheetData: users('eu', 2) },
      { name: 'US', sheetData: users('us', null) },
    ];
    writeFileSync(path, buildXlsx({ sheets }));
    const loaded = await call<{ taskId: string; fileId: string }>(services, 'loadFile', {
      source: { kind: 'path', path },
      settings: { sheet: 'EU' },
    });
    await taskEnd(services, loaded.taskId);
    const { fileId } = loaded;
    const { runId, end } = await send(fileId);
    expect(end).toMatchObject({ accepted: 3, rejected: 1 });
    // Read again the same way: nothing changed, the re-run is as it was.
    await reread(fileId, { sheet: 'EU' });
    expect(await call<RerunPlan>(services, 'planRerun', { runId })).toMatchObject({ messages: 1, problem: null });
    // The user goes on to import the workbook's US sheet: Upload's sheet picker reads the same file again.
    await reread(fileId, { sheet: 'US' });
    // Then re-runs the EU import's failed row from History: row 3 is now user us2, which never failed.
    const plan = await call<RerunPlan>(services, 'planRerun', { runId });
    expect(plan).toMatchObject({ messages: 0, problemStep: 'upload' });
    expect(plan.problem).toBe(
      '“users.xlsx” was read again on sheet US since this import, so the failed rows’ numbers now name other rows ' +
        'and nothing is sent, exported or shown from it. Read it on sheet EU again in Upload, or re-run from a ' +
        'corrected file (Load the corrected file in the import’s History), whose rows are matched to the failed ' +
        'ones by their Row column and IDs.',
    );
    expect(await refusal(services, 'startRerun', { runId })).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(await refusal(services, 'exportRun', { runId, format: 'failed-csv' })).toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: plan.problem,
    });
    const page = { fileId, filter: 'all', offset: 0, limit: 50, failedOf: runId };
    expect(await refusal(services, 'listPreviewRows', page)).toMatchObject({ code: 'FAILED_PRECONDITION' });
    const details = await call<RunDetails>(services, 'getRunDetails', { runId });
    expect(details.fileProblem).toBe(plan.problem);
    // Read on sheet EU again, as the way out says: the re-run is back.
    await reread(fileId, { sheet: 'EU' });
    expect(await call<RerunPlan>(services, 'planRerun', { runId })).toMatchObject({ messages: 1, problem: null });
    expect((await call<RunDetails>(services, 'getRunDetails', { runId })).fileProblem).toBeNull();
  });

  it('with another header row, or after the file changed on disk: refused, saying which', async () => {
    const path = join(dir, 'users.csv');
    writeFileSync(path, 'User ID,Account ID,Name\r\nU1,A1,Ann\r\nU2,A1,Bad\r\nU3,A1,Cy\r\n');
    const fileId = await loadCsv(services, dir, 'users.csv', readFileSync(path, 'utf8'));
    const { runId, end } = await send(fileId);
    expect(end).toMatchObject({ accepted: 2, rejected: 1 });
    await reread(fileId, { headerRow: 2 }, false);
    const plan = await call<RerunPlan>(services, 'planRerun', { runId });
    expect(plan.problem).toMatch(/read again with row 2 as its header \(this import used row 1\)/);
    expect(plan.problem).toMatch(/Read it with row 1 as its header again in Upload/);
    // Back to row 1, but the file was changed on disk meanwhile (a row added above the refused one).
    writeFileSync(path, 'User ID,Account ID,Name\r\nU0,A1,Zoe\r\nU1,A1,Ann\r\nU2,A1,Bad\r\nU3,A1,Cy\r\n');
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    await reread(fileId, { headerRow: 1 });
    const changed = await call<RerunPlan>(services, 'planRerun', { runId });
    expect(changed).toMatchObject({ messages: 0, problemStep: 'upload' });
    expect(changed.problem).toMatch(/^“users\.csv” changed on disk since this import \(\d+ bytes then, \d+ bytes now/);
    expect(changed.problem).toMatch(/Re-run from it as a corrected file instead/);
  });
});
