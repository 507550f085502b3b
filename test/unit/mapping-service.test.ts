import { describe, expect, it } from 'vitest';
import { call, loadCsv, taskEnd, withDesktopServices } from '../support/services.ts';

interface Message {
  type: string;
  userId?: string;
  messageId: string;
  timestamp: string;
}

const USERS = ['Account ID,User ID,Seats', 'A1,U1,3', 'A1,U2,4', 'A2,U3,5'].join('\n');

describe('the Map step’s sample and the messages sent', () => {
  it('shows the ids that will be sent, and keeps every unchanged message’s id across corrections and re-checks', async () => {
    await withDesktopServices(async (services, dir) => {
      const fileId = await loadCsv(services, dir, 'users.csv', USERS);
      const { mapping } = await call<{ mapping: unknown }>(services, 'getMapping', { fileId });
      await call(services, 'saveMapping', { fileId, mapping });
      const sample = await call<{ rows: { messages: string[] }[] }>(services, 'sampleMapping', {
        fileId,
        mapping,
        rows: 3,
      });
      const sampled = sample.rows.flatMap((row) => row.messages.map((json) => JSON.parse(json) as Message));
      // A second sample later (a clock that moved on) shows the same.
      const again = await call<{ rows: { messages: string[] }[] }>(services, 'sampleMapping', { fileId, mapping });
      expect(again.rows.flatMap((row) => row.messages.map((json) => JSON.parse(json) as Message))).toEqual(sampled);

      const check = async () => {
        const task = await call<{ taskId: string }>(services, 'startPreview', { fileId });
        expect((await taskEnd(services, task.taskId)).outcome).toBe('done');
        const { body } = await call<{ body: string }>(services, 'getBatch', { fileId, batch: 0 });
        return JSON.parse(body) as Message[];
      };
      const sent = await check();
      // Account A1 is sent once (row 2), so the sample's second A1 account is not in the batch.
      const ids = (messages: Message[]) => messages.map((m) => `${m.type}:${m.userId ?? ''}:${m.messageId}`);
      expect(ids(sent)).toEqual(ids(sampled.filter((m, i) => !(m.type === 'account' && i === 2))));
      expect(new Set(sent.map((m) => m.timestamp)).size).toBe(1);
      expect(sent[0]?.timestamp).toBe(sampled[0]?.timestamp);

      // One cell corrected: only that row's message gets a new id; the others keep theirs, and the time.
      await call(services, 'editCell', { fileId, rowNumber: 3, column: 2, value: '40' });
      const corrected = await check();
      const byUser = (messages: Message[]) => new Map(messages.map((m) => [`${m.type}:${m.userId ?? ''}`, m]));
      const before = byUser(sent);
      const after = byUser(corrected);
      expect(after.get('user:U1')?.messageId).toBe(before.get('user:U1')?.messageId);
      expect(after.get('user:U3')?.messageId).toBe(before.get('user:U3')?.messageId);
      expect(after.get('account:')?.messageId).toBe(before.get('account:')?.messageId);
      expect(after.get('user:U2')?.messageId).not.toBe(before.get('user:U2')?.messageId);
      expect(corrected.every((m) => m.timestamp === sent[0]?.timestamp)).toBe(true);
    });
  });
});

describe('a file read again with other settings', () => {
  it('blocks the check and the send while the mapping uses a column the file no longer has, naming it', async () => {
    await withDesktopServices(async (services, dir) => {
      const fileId = await loadCsv(services, dir, 'semi.csv', 'Account ID;Umsatz\nA1;5\nA2;7\n');
      const { mapping } = await call<{ mapping: unknown }>(services, 'getMapping', { fileId });
      await call(services, 'saveMapping', { fileId, mapping });
      const task = await call<{ taskId: string }>(services, 'startPreview', { fileId });
      expect((await taskEnd(services, task.taskId)).outcome).toBe('done');
      expect((await call<{ state: string }>(services, 'getPreview', { fileId })).state).toBe('ready');

      // Read again with the wrong delimiter: the file now has one column, “Account ID;Umsatz”.
      const reread = await call<{ taskId: string }>(services, 'rereadFile', { fileId, settings: { delimiter: ',' } });
      await taskEnd(services, reread.taskId);
      const preview = await call<{ state: string; mappingProblems: { code: string; message: string }[] }>(
        services,
        'getPreview',
        { fileId },
      );
      expect(preview.state).toBe('stale');
      expect(preview.mappingProblems.map((p) => p.code)).toEqual(['missing-column', 'missing-column']);
      expect(preview.mappingProblems[1]?.message).toContain('The file has no column “Umsatz” any more');
      const refused = await services.dispatch('startPreview', { fileId });
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.message).toContain('“Account ID”');

      // The Map step offers to start again from the suggestions for the columns the file has now.
      const saved = await call<{ mapping: unknown }>(services, 'getMapping', { fileId });
      const sample = await call<{ problems: { fixes: { label: string; mapping: unknown }[] }[] }>(
        services,
        'sampleMapping',
        { fileId, mapping: saved.mapping },
      );
      const fresh = sample.problems[0]?.fixes.at(-1);
      expect(fresh?.label).toBe('Start again from the suggestions for the file’s columns');
      const fixed = await call<{ problems: unknown[] }>(services, 'sampleMapping', { fileId, mapping: fresh?.mapping });
      expect(fixed.problems).toEqual([]);
    });
  });
});

describe('the Map step’s suggestions, through the contract', () => {
  it('gives a contacts export’s suggested messages with why each is there, and each column with why', async () => {
    await withDesktopServices(async (services, dir) => {
      const text = [
        'Contact ID,First Name,Last Name,Email,Company Name,Company ID',
        '5101,Ada,Lovelace,ada@northwind.example,Northwind Traders,880',
      ].join('\n');
      const fileId = await loadCsv(services, dir, 'contacts.csv', text);
      const answer = await call<{
        mapping: { messages: { type: string }[] };
        suggestions: { column: string; reason: string; target: { message?: string; joinWith?: string } }[];
        explanations: { type: string; text: string }[];
      }>(services, 'getMapping', { fileId });
      expect(answer.mapping.messages.map((m) => m.type)).toEqual(['account', 'user']);
      expect(answer.explanations.map((e) => e.type)).toEqual(['account', 'user']);
      expect(answer.explanations[1]?.text).toContain('“First Name” and “Last Name” are joined into the user’s name');
      const first = answer.suggestions.find((s) => s.column === 'First Name');
      expect(first?.target).toMatchObject({ message: 'user', joinWith: ' ' });
      expect(answer.suggestions.find((s) => s.column === 'Company Name')?.target.message).toBe('account');
      for (const suggestion of answer.suggestions) expect(suggestion.reason).toMatch(/^Because /);
    });
  });
});
