import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RerunPlan, RunDetails, RunProgress, RunRow, SavedExport } from '../../app/contract.ts';
import { emptyRerunBasis, type RerunBasis } from '../../app/journal/outcomes.ts';
import { rerunVerdict } from '../../app/send/rerun.ts';
import type { Services } from '../../main/services/index.ts';
import { startEmulator, type Emulator } from '../emulator/server.ts';
import { exportedFailedRows } from '../support/exports.ts';
import { call, desktopServices, loadCsv, runEnd, taskEnd, useEmulator } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

const USERS = 60;
/** The users whose e-mail Vitally refuses: seven of them. */
const REFUSED = [3, 9, 17, 24, 33, 41, 58];
const email = (i: number) => (REFUSED.includes(i) ? `user${i}@old-domain.invalid` : `user${i}@example.com`);
const usersCsv = () =>
  [
    'Account ID,User ID,E-mail',
    ...Array.from({ length: USERS }, (_, k) => `A${(k + 1) % 4},U${k + 1},${email(k + 1)}`),
  ].join('\n');

/** Every messageId the emulator received in requests it answered 200, in order. */
const acceptedIds = (emulator: Emulator, from = 0) =>
  emulator.requests.slice(from).flatMap((r) => (r.status === 200 ? r.messageIds : []));

describe('re-running the rows Vitally refused', () => {
  let emulator: Emulator;
  let services: Services;
  let dir: string;
  let fileId: string;
  let parentId: string;
  let saved: string | null = null;

  const check = async (id: string) => {
    const { taskId } = await call<{ taskId: string }>(services, 'startPreview', { fileId: id });
    const end = await taskEnd(services, taskId);
    expect(end.outcome).toBe('done');
  };

  beforeEach(async () => {
    emulator = await startEmulator({
      token: 'rerun-token-1234',
      refuse: { field: 'traits.email', value: REFUSED.map((i) => `user${i}@old-domain.invalid`) },
    });
    dir = tempDir();
    services = desktopServices(dir, { chooseSavePath: (name) => Promise.resolve(saved ?? join(dir, name)) });
    fileId = await loadCsv(services, dir, 'users.csv', usersCsv());
    const { mapping } = await call<{ mapping: unknown }>(services, 'getMapping', { fileId });
    await call(services, 'saveMapping', { fileId, mapping });
    await check(fileId);
    await useEmulator(services, emulator);
    const { runId } = await call<{ runId: string }>(services, 'startSend', { fileId });
    parentId = runId;
    expect(await runEnd(services, runId)).toMatchObject({ state: 'finished', rejected: 7, accepted: USERS + 4 - 7 });
  }, 30_000);

  afterEach(async () => {
    await services.close();
    await emulator.close();
  });

  it('Results name each refused row, its e-mail cell, and what to do, by type and under a search', async () => {
    const details = await call<RunDetails>(services, 'getRunDetails', { runId: parentId });
    expect(details.byType).toEqual({
      account: { accepted: 4, rejected: 0, unknown: 0, notSent: 0, leftOut: 0 },
      user: { accepted: USERS - 7, rejected: 7, unknown: 0, notSent: 0, leftOut: 0 },
    });
    expect(details).toMatchObject({ kind: 'send', parent: null, reruns: [], fileAvailable: true });
    const failed = await call<{ rows: RunRow[]; total: number }>(services, 'listRunRows', {
      runId: parentId,
      filter: 'failed',
      offset: 0,
      limit: 50,
    });
    expect(failed.total).toBe(7);
    expect(failed.rows.map((r) => r.rowNumber)).toEqual(REFUSED.map((i) => i + 1));
    const [first] = failed.rows;
    expect(first).toMatchObject({
      type: 'user',
      outcome: 'rejected',
      status: 400,
      explanation:
        'Vitally refused the trait “email” “user3@old-domain.invalid” from column “E-mail”. Vitally said: ' +
        '“traits.email "user3@old-domain.invalid" is not accepted by this workspace”.',
      nextStep: 'Correct “E-mail” on this row (here in Preview, or in the exported file), then re-run.',
    });
    expect(first?.cells.find((c) => c.culprit)).toEqual({
      column: 'E-mail',
      value: 'user3@old-domain.invalid',
      culprit: true,
    });
    const searched = await call<{ rows: RunRow[]; total: number }>(services, 'listRunRows', {
      runId: parentId,
      filter: 'all',
      search: 'user41@',
      offset: 0,
      limit: 50,
    });
    expect(searched.rows.map((r) => [r.rowNumber, r.outcome])).toEqual([[42, 'rejected']]);
  });

  it('fixed in place: only the seven refused rows go again, and are accepted', async () => {
    for (const i of REFUSED) {
      await call(services, 'editCell', { fileId, rowNumber: i + 1, column: 2, value: `user${i}@example.com` });
    }
    await check(fileId);
    const plan = await call<RerunPlan>(services, 'planRerun', { runId: parentId });
    expect(plan).toMatchObject({ messages: 7, rows: 7, byType: { user: 7 }, failedRows: 7, problem: null });
    const before = emulator.requests.length;
    const earlier = new Set(acceptedIds(emulator));
    const { runId } = await call<{ runId: string }>(services, 'startRerun', { runId: parentId });
    expect(await runEnd(services, runId)).toMatchObject({ state: 'finished', accepted: 7, rejected: 0 });
    const sent = emulator.requests.slice(before).flatMap((r) => r.messageIds);
    expect(sent).toHaveLength(7);
    expect(sent.filter((id) => earlier.has(id))).toEqual([]);
    for (const i of REFUSED)
      expect(emulator.state.users.get(`U${i}`)?.traits).toMatchObject({ email: `user${i}@example.com` });
    const details = await call<RunDetails>(services, 'getRunDetails', { runId });
    expect(details).toMatchObject({ kind: 'rerun', parentRunId: parentId, rows: 7, accepted: 7 });
    expect((await call<RunDetails>(services, 'getRunDetails', { runId: parentId })).reruns.map((r) => r.id)).toEqual([
      runId,
    ]);
    // Nothing failed is left: a second re-run has nothing to send.
    expect((await call<RerunPlan>(services, 'planRerun', { runId })).messages).toBe(0);
  });

  it('a re-run of unfixed rows never sends an accepted row, even with every row of the file loaded again', async () => {
    // Nothing fixed: the refused rows go again as they were (and are refused again); nothing accepted goes — not
    // even row 4's account A3, which Vitally accepted while it refused the row's user.
    const plan = await call<RerunPlan>(services, 'planRerun', { runId: parentId });
    expect(plan).toMatchObject({ messages: 7, rows: 7, alreadyAccepted: 1, byType: { user: 7 } });
    const before = emulator.requests.length;
    const earlier = new Set(acceptedIds(emulator));
    const { runId } = await call<{ runId: string }>(services, 'startRerun', { runId: parentId });
    expect(await runEnd(services, runId)).toMatchObject({ accepted: 0, rejected: 7 });
    expect(
      emulator.requests
        .slice(before)
        .flatMap((r) => r.messageIds)
        .filter((id) => earlier.has(id)),
    ).toEqual([]);
  });

  it('from the exported file, fixed and loaded again: the seven rows are matched and sent, nothing else', async () => {
    const exported = await call<SavedExport>(services, 'exportRun', { runId: parentId, format: 'failed-csv' });
    expect(exported).toMatchObject({ rows: 7, download: null });
    const text = readFileSync(exported.path ?? '', 'utf8');
    const lines = text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Account ID,User ID,E-mail,Row,Error');
    expect(lines).toHaveLength(8);
    expect(lines[1]).toMatch(/^A3,U3,user3@old-domain\.invalid,4,"?Vitally refused the trait/);
    // The user fixes the e-mails in a spreadsheet, and — careless — pastes two rows that were accepted too.
    const fixed = [
      ...lines.map((line) => line.replace('@old-domain.invalid', '@example.com')),
      'A1,U1,user1@example.com,2,',
      'A2,U2,user2@example.com,,',
    ].join('\r\n');
    const correctedId = await loadCsv(services, dir, 'users – failed rows (fixed).csv', fixed);
    const adopted = await call<{ mapped: boolean }>(services, 'adoptRerunFile', {
      runId: parentId,
      fileId: correctedId,
    });
    expect(adopted.mapped).toBe(true);
    await check(correctedId);
    const plan = await call<RerunPlan>(services, 'planRerun', { runId: parentId, fileId: correctedId });
    // The pasted row 2 names an accepted row: Vitally has its user, so it is not sent. U2, without a Row, is the
    // very message Vitally accepted (the corrected file keeps the import's timestamp, so its messageId too).
    expect(plan).toMatchObject({ messages: 7, rows: 7, unmatchedRows: 0, byType: { user: 7 } });
    expect(plan.alreadyAccepted).toBeGreaterThanOrEqual(2);
    const before = emulator.requests.length;
    const { runId } = await call<{ runId: string }>(services, 'startRerun', { runId: parentId, fileId: correctedId });
    expect(await runEnd(services, runId)).toMatchObject({ state: 'finished', accepted: 7, rejected: 0 });
    const sent = emulator.requests.slice(before);
    expect(sent.flatMap((r) => r.messageIds)).toHaveLength(7);
    expect(emulator.state.users.size).toBe(USERS);
    for (const i of REFUSED)
      expect(emulator.state.users.get(`U${i}`)?.traits).toMatchObject({ email: `user${i}@example.com` });
  });

  /** The exported failed rows as lines (header first), and a corrected file made of `lines`, checked and adopted. */
  const exportedLines = () => exportedFailedRows(services, parentId);
  const corrected = async (name: string, lines: string[]) => {
    const id = await loadCsv(services, dir, name, lines.join('\r\n'));
    await call(services, 'adoptRerunFile', { runId: parentId, fileId: id });
    await check(id);
    return id;
  };

  it('a failed row a re-run delivered is not sent again by a later re-run of the same import', async () => {
    const lines = await exportedLines();
    // First only U3 is fixed, in the exported file; the re-run delivers it and Vitally refuses the six others.
    const first = await corrected('fixed U3.csv', [
      lines[0] ?? '',
      ...lines.slice(1).map((l, i) => (i === 0 ? l.replace('@old-domain.invalid', '@example.com') : l)),
    ]);
    const { runId: firstRun } = await call<{ runId: string }>(services, 'startRerun', {
      runId: parentId,
      fileId: first,
    });
    expect(await runEnd(services, firstRun)).toMatchObject({ accepted: 1, rejected: 6 });
    const u3 = new Set(acceptedIds(emulator).slice(-1));
    // Then all seven are fixed in the same exported file, loaded again, and the first import re-run from History
    // once more: U3 is Vitally's already, so six go, and U3's message is not among them.
    const all = await corrected(
      'fixed all.csv',
      lines.map((l) => l.replace('@old-domain.invalid', '@example.com')),
    );
    const plan = await call<RerunPlan>(services, 'planRerun', { runId: parentId, fileId: all });
    expect(plan).toMatchObject({ messages: 6, rows: 6 });
    // The import's own file, unfixed, agrees: U3 is not sent from it either.
    expect(await call<RerunPlan>(services, 'planRerun', { runId: parentId })).toMatchObject({ messages: 6 });
    const before = emulator.requests.length;
    const { runId } = await call<{ runId: string }>(services, 'startRerun', { runId: parentId, fileId: all });
    expect(await runEnd(services, runId)).toMatchObject({ state: 'finished', accepted: 6, rejected: 0 });
    const sent = emulator.requests.slice(before).flatMap((r) => r.messageIds);
    expect(sent).toHaveLength(6);
    expect(sent.filter((id) => u3.has(id))).toEqual([]);
    expect(emulator.state.users.size).toBe(USERS);
  });

  it('a corrected file’s copy of an accepted row under a refused row’s number is not sent', async () => {
    const lines = await exportedLines();
    expect(lines[1]).toMatch(/^A3,U3,.*,4,/);
    // Row 4 is U3's, which Vitally refused; U5 (row 6) was accepted. Pasted under Row 4, U5 is still U5.
    const file = await corrected('pasted.csv', [lines[0] ?? '', 'A1,U5,user5@example.com,4,']);
    const plan = await call<RerunPlan>(services, 'planRerun', { runId: parentId, fileId: file });
    // Its account A1, unchanged, is the very message Vitally accepted for row 2.
    expect(plan).toMatchObject({ messages: 0, alreadyAccepted: 2 });
  });

  it('two re-runs of one import at once, from its file and from a corrected file, send each row once', async () => {
    emulator.configure({ latencyMs: 40 });
    for (const i of REFUSED) {
      await call(services, 'editCell', { fileId, rowNumber: i + 1, column: 2, value: `user${i}@example.com` });
    }
    await check(fileId);
    const lines = await exportedLines();
    const file = await corrected(
      'fixed.csv',
      lines.map((l) => l.replace('@old-domain.invalid', '@example.com')),
    );
    const before = emulator.requests.length;
    const both = await Promise.all([
      services.dispatch('startRerun', { runId: parentId }),
      services.dispatch('startRerun', { runId: parentId, fileId: file }),
    ]);
    const started = both.flatMap((answer) => (answer.ok ? [(answer.value as { runId: string }).runId] : []));
    expect(started.length).toBeGreaterThanOrEqual(1);
    for (const answer of both) {
      if (!answer.ok) expect(answer.error.message).toMatch(/already being re-run|no failed row is left/);
    }
    await Promise.all(
      started.map((id) =>
        call<RunProgress>(services, 'getRunProgress', { runId: id }).then((p) =>
          p.state === 'finished' || p.state === 'cancelled' ? p : runEnd(services, id),
        ),
      ),
    );
    const users = emulator.requests
      .slice(before)
      .filter((r) => r.status === 200)
      .flatMap((r) => r.messageIds);
    expect(users).toHaveLength(7);
    for (const i of REFUSED)
      expect(emulator.state.users.get(`U${i}`)?.traits).toMatchObject({ email: `user${i}@example.com` });
  });

  it('unconfirmed events re-run from the exported file as they were keep their messageIds: Vitally keeps one copy', async () => {
    const eventsId = await loadCsv(
      services,
      dir,
      'events.csv',
      ['User ID,Event', ...Array.from({ length: 5 }, (_, k) => `U${k + 1},Logged in`)].join('\n'),
    );
    const mapping = {
      version: 1,
      messages: [{ type: 'track', fields: { userId: { column: 'User ID' }, event: { column: 'Event' } }, traits: [] }],
    };
    await call(services, 'saveMapping', { fileId: eventsId, mapping });
    await check(eventsId);
    // Every answer is lost on the way back: the batch's outcome is unknown, and the send is cancelled.
    emulator.fault(...Array.from({ length: 100 }, () => ({ kind: 'reset' as const })));
    const { runId: sendId } = await call<{ runId: string }>(services, 'startSend', { fileId: eventsId });
    await new Promise<void>((resolve) => {
      const stop = services.bus.on('runProgress', (p) => {
        if (p.runId !== sendId || p.unknown === 0) return;
        stop();
        resolve();
      });
    });
    await call(services, 'cancelSend', { runId: sendId });
    expect(await runEnd(services, sendId)).toMatchObject({ state: 'cancelled', unknown: 5, accepted: 0 });
    emulator.reset();
    // Vitally had the batch all along.
    const { batches } = await call<{ batches: { id: string }[] }>(services, 'listRunBatches', {
      runId: sendId,
      offset: 0,
      limit: 10,
    });
    const { body } = await call<{ body: string }>(services, 'getRunBatch', {
      runId: sendId,
      batchId: batches[0]?.id ?? '',
    });
    const delivered = await fetch(`${emulator.baseUrl}/batch`, {
      method: 'POST',
      headers: { Authorization: `Basic ${emulator.config.token}`, 'Content-Type': 'application/json' },
      body,
    });
    expect(delivered.status).toBe(200);
    expect(emulator.state.tracks).toHaveLength(5);
    // The unconfirmed rows exported, loaded again unchanged, and re-run: the same five messages, which Vitally
    // keeps once; the events keep their time.
    const exported = await call<SavedExport>(services, 'exportRun', {
      runId: sendId,
      format: 'failed-csv',
      includeUnknown: true,
    });
    const correctedId = await loadCsv(
      services,
      dir,
      'events – unconfirmed.csv',
      readFileSync(exported.path ?? '', 'utf8'),
    );
    await call(services, 'adoptRerunFile', { runId: sendId, fileId: correctedId });
    await check(correctedId);
    const { runId } = await call<{ runId: string }>(services, 'startRerun', {
      runId: sendId,
      fileId: correctedId,
      includeUnknown: true,
    });
    expect(await runEnd(services, runId)).toMatchObject({ state: 'finished', accepted: 5 });
    const sentBefore = (JSON.parse(body) as { messageId: string }[]).map((m) => m.messageId);
    expect(acceptedIds(emulator, 1).sort()).toEqual([...sentBefore].sort());
    expect(emulator.state.tracks).toHaveLength(5);
  });

  it('exports the failed rows as a workbook and the run report as CSV and JSON', async () => {
    saved = join(dir, 'failed.xlsx');
    const workbook = await call<SavedExport>(services, 'exportRun', { runId: parentId, format: 'failed-xlsx' });
    expect(workbook).toMatchObject({ path: saved, rows: 7 });
    const loaded = await loadCsv(services, dir, 'failed-copy.xlsx', readFileSync(saved).toString('latin1'));
    void loaded;
    saved = join(dir, 'report.json');
    await call(services, 'exportRun', { runId: parentId, format: 'report-json' });
    const report = JSON.parse(readFileSync(saved, 'utf8')) as { import: RunDetails; messages: { outcome: string }[] };
    expect(report.import.id).toBe(parentId);
    expect(report.messages).toHaveLength(USERS + 4);
    expect(report.messages.filter((m) => m.outcome === 'rejected')).toHaveLength(7);
    saved = join(dir, 'report.csv');
    await call(services, 'exportRun', { runId: parentId, format: 'report-csv' });
    expect(readFileSync(saved, 'utf8').trim().split('\r\n')).toHaveLength(USERS + 4 + 1);
  });

  it('deletes a run’s stored data, and keeps finished runs only as long as the retention setting says', async () => {
    expect(await call(services, 'getRetention', {})).toEqual({ days: null });
    expect(await call(services, 'setRetention', { days: 30 })).toEqual({ days: 30, deleted: 0 });
    expect(await call(services, 'deleteRun', { runId: parentId })).toEqual({ deleted: true });
    expect(await call(services, 'listRuns', {})).toEqual([]);
    const gone = await services.dispatch('getRunDetails', { runId: parentId });
    expect(gone).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('which messages a re-run sends', () => {
  const basis = (): RerunBasis => ({
    failedRows: new Set(['4|user', '9|account']),
    failedIdentities: new Set(['user|userId=U3', 'account|accountId=A8']),
    acceptedRows: new Set(['4|account|accountId=A1', '5|user|userId=U4']),
    acceptedIds: new Set(['id-accepted']),
    acceptedIdentities: new Set(['account|accountId=A1', 'user|userId=U4']),
    laterIdentities: new Set(),
    failedIdentityRows: new Map([
      ['user|userId=U3', 1],
      ['account|accountId=A8', 1],
    ]),
    failedRowMessages: new Map([
      ['4|user', [{ identity: 'user|userId=U3', ids: 'userId=U3', messageId: 'm-U3-4' }]],
      ['9|account', [{ identity: 'account|accountId=A8', ids: 'accountId=A8', messageId: 'm-A8-9' }]],
    ]),
    failedMessages: 2,
    failedRowNumbers: [4, 9],
  });
  const user = (row: number | null, id: string, messageId = `m-${id}-${row}`) => ({
    rowNumber: row,
    type: 'user',
    identity: `user|userId=${id}`,
    ids: `userId=${id}`,
    messageId,
  });

  it('sends a refused row’s refused message, not its accepted one, and no other row', () => {
    expect(rerunVerdict(basis(), new Set(), user(4, 'U3'), false)).toBe('send');
    const account = { rowNumber: 4, type: 'account', identity: 'account|accountId=A1', messageId: 'changed' };
    expect(rerunVerdict(basis(), new Set(), account, false)).toBe('accepted');
    expect(rerunVerdict(basis(), new Set(), user(5, 'U4'), false)).toBe('accepted');
    expect(rerunVerdict(basis(), new Set(), user(6, 'U5'), false)).toBe('not-failed');
  });

  it('never sends a message Vitally accepted, by its id, whatever row it claims to be', () => {
    expect(rerunVerdict(basis(), new Set(), user(4, 'U3', 'id-accepted'), true)).toBe('accepted');
    expect(rerunVerdict(basis(), new Set(['file-accepted']), user(4, 'U3', 'file-accepted'), true)).toBe('accepted');
  });

  it('matches a corrected file’s row by its Row column, or by its IDs when it has none', () => {
    expect(rerunVerdict(basis(), new Set(), user(4, 'U3', 'fixed'), true)).toBe('send');
    expect(rerunVerdict(basis(), new Set(), user(null, 'U3'), true)).toBe('send');
    expect(rerunVerdict(basis(), new Set(), user(null, 'U4'), true)).toBe('not-failed');
    // By IDs only for a corrected file: in the run's own file, rows are matched by their numbers.
    expect(rerunVerdict(basis(), new Set(), user(7, 'U3'), false)).toBe('not-failed');
  });

  it('holds a corrected file’s row that names a failed row but carries other IDs, unless it is a failed thing', () => {
    // Row 4 was user U3: a row naming it as user U99 (a mistyped ID, Excel's lost zeros, another import's row).
    expect(rerunVerdict(basis(), new Set(), user(4, 'U99'), true)).toBe('changed-ids');
    const linked = { ...user(4, 'U3'), ids: 'userId=U3|accountId=17' };
    expect(rerunVerdict(basis(), new Set(), linked, true)).toBe('changed-ids');
    // A failed thing of another row under a mistaken Row number is still a failed thing.
    const other = {
      ...basis(),
      failedRows: new Set(['4|user', '9|user']),
      failedIdentities: new Set(['user|userId=U3', 'user|userId=U8']),
    };
    expect(rerunVerdict(other, new Set(), user(4, 'U8'), true)).toBe('send');
    // In the run's own file, a row is its number: an ID corrected in Preview is sent.
    expect(rerunVerdict(basis(), new Set(), user(4, 'U99'), false)).toBe('send');
  });

  it('never sends a corrected file’s copy of an accepted row, even under a failed row’s number', () => {
    // U4 was accepted on row 5; pasted under row 4 (U3's, refused) it is still U4, which Vitally has.
    expect(rerunVerdict(basis(), new Set(), user(4, 'U4'), true)).toBe('accepted');
    // In the run's own file, row 4 is row 4, whose ID the user may have corrected in Preview.
    expect(rerunVerdict(basis(), new Set(), user(4, 'U4', 'other'), false)).toBe('send');
  });

  it('does not send again a failed message that a later re-run delivered', () => {
    const later = { ...basis(), laterIdentities: new Set(['user|userId=U3']) };
    expect(rerunVerdict(later, new Set(), user(4, 'U3'), false)).toBe('accepted');
    expect(rerunVerdict(later, new Set(), user(4, 'U3'), true)).toBe('accepted');
    expect(rerunVerdict(later, new Set(), user(null, 'U3'), true)).toBe('accepted');
    // An ID that failed on two rows is matched by row only: the later re-run may have delivered just one of them.
    const twice = { ...later, failedIdentityRows: new Map([['user|userId=U3', 2]]) };
    expect(rerunVerdict(twice, new Set(), user(4, 'U3'), false)).toBe('send');
  });

  it('property: whatever the runs, a message accepted before is never sent again', () => {
    const message = fc.record({
      row: fc.integer({ min: 1, max: 30 }),
      type: fc.constantFrom('user', 'account'),
      id: fc.constantFrom('1', '2', '3', '4', '5'),
      content: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.record({ message, accepted: fc.boolean() }), { maxLength: 40 }),
        fc.array(fc.record({ message, row: fc.option(fc.integer({ min: 1, max: 30 })) }), { maxLength: 40 }),
        fc.boolean(),
        (earlier, candidates, byIdentity) => {
          const identity = (m: { type: string; id: string }) => `${m.type}|${m.type}Id=${m.id}`;
          const messageId = (m: { row: number; type: string; id: string; content: number }) =>
            `${m.row}:${identity(m)}:${m.content}`;
          const b = emptyRerunBasis();
          for (const { message: m, accepted } of earlier) {
            if (accepted) {
              b.acceptedIds.add(messageId(m));
              b.acceptedRows.add(`${m.row}|${identity(m)}`);
              b.acceptedIdentities.add(identity(m));
            } else {
              b.failedRows.add(`${m.row}|${m.type}`);
              b.failedIdentities.add(identity(m));
            }
          }
          for (const { message: m, row } of candidates) {
            const rowNumber = byIdentity ? (row ?? null) : m.row;
            const verdict = rerunVerdict(
              b,
              new Set(),
              { rowNumber, type: m.type, identity: identity(m), messageId: messageId(m) },
              byIdentity,
            );
            const wasAccepted =
              b.acceptedIds.has(messageId(m)) ||
              (rowNumber !== null && b.acceptedRows.has(`${rowNumber}|${identity(m)}`));
            if (wasAccepted) expect(verdict).toBe('accepted');
          }
        },
      ),
    );
  });
});
