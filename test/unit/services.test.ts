import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/journal/database.ts';
import { createMemoryLogger } from '../../main/log.ts';
import { pathsIn } from '../../main/paths.ts';
import { createServices } from '../../main/services/index.ts';
import { tempDir } from '../support/temp.ts';

function services(dataDir: string) {
  const log = createMemoryLogger();
  return { log, services: createServices({ host: 'web', paths: pathsIn(dataDir), log }) };
}

describe("main's service layer, behind the contract", () => {
  it('answers a valid call with a value that passed the result schema', async () => {
    const dir = tempDir();
    const { services: s } = services(dir);
    const answer = await s.dispatch('getAppInfo', {});
    expect(answer).toMatchObject({ ok: true, value: { name: 'Vitally Importer', host: 'web', dataDir: dir } });
    await s.close();
  });

  it('refuses a malformed argument with a typed error naming the field, and changes nothing', async () => {
    const { services: s, log } = services(tempDir());
    const answer = await s.dispatch('updateSettings', { theme: 'purple' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', issues: [{ path: 'theme' }] } });
    if (!answer.ok) expect(answer.error.message).toMatch(/updateSettings.*theme/);
    expect(await s.dispatch('getSettings', {})).toEqual({ ok: true, value: { theme: 'system', workspaceId: null } });
    expect(log.lines.some((line) => line.level === 'warn' && line.message === 'call rejected by validation')).toBe(
      true,
    );
    await s.close();
  });

  it.each([
    ['an unexpected field', 'getSettings', { extra: 1 }],
    ['a string instead of an object', 'updateSettings', 'dark'],
    ['null', 'listRuns', null],
    ['an array', 'getAppInfo', []],
    ['a limit out of range', 'listRuns', { limit: 100_000 }],
    ['a limit that is not an integer', 'listRuns', { limit: 1.5 }],
  ])('refuses %s with INVALID_ARGUMENT, never a crash', async (_label, name, args) => {
    const { services: s } = services(tempDir());
    const answer = await s.dispatch(name, args);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    await s.close();
  });

  it.each([['deleteEverything'], ['__proto__'], ['constructor'], [42], [undefined]])(
    'refuses an unknown call (%s) with UNKNOWN_CALL',
    async (name) => {
      const { services: s } = services(tempDir());
      expect(await s.dispatch(name, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
      await s.close();
    },
  );

  it('keeps settings across restarts and tells every listener when they change', async () => {
    const dir = tempDir();
    const first = services(dir).services;
    const heard: unknown[] = [];
    first.bus.on('settingsChanged', (settings) => heard.push(settings));
    expect(await first.dispatch('updateSettings', { theme: 'dark' })).toEqual({
      ok: true,
      value: { theme: 'dark', workspaceId: null },
    });
    expect(heard).toEqual([{ theme: 'dark', workspaceId: null }]);
    await first.close();

    const second = services(dir).services;
    expect(await second.dispatch('getSettings', {})).toEqual({ ok: true, value: { theme: 'dark', workspaceId: null } });
    await second.close();
  });

  it('falls back to the default for a stored setting it cannot read', async () => {
    const dir = tempDir();
    const db = openDatabase(pathsIn(dir).databaseFile);
    db.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"sepia\"')").run();
    db.close();
    const { services: s, log } = services(dir);
    expect(await s.dispatch('getSettings', {})).toEqual({ ok: true, value: { theme: 'system', workspaceId: null } });
    expect(log.lines).toEqual([]);
    await s.close();
  });

  it('lists runs newest first, as History shows them', async () => {
    const dir = tempDir();
    const db = openDatabase(pathsIn(dir).databaseFile);
    const insert = db.prepare(
      `INSERT INTO runs (id, created_at, file_name, workspace_name, state, rows, accepted, rejected)
       VALUES (?, ?, ?, 'Acme', 'finished', 10, 9, 1)`,
    );
    insert.run('a', '2026-11-01T10:00:00.000Z', 'older.csv');
    insert.run('b', '2026-11-02T10:00:00.000Z', 'newer.csv');
    db.close();
    const { services: s } = services(dir);
    const answer = await s.dispatch('listRuns', {});
    expect(answer.ok && (answer.value as { fileName: string }[]).map((run) => run.fileName)).toEqual([
      'newer.csv',
      'older.csv',
    ]);
    expect(await s.dispatch('listRuns', { limit: 1 })).toMatchObject({ ok: true, value: [{ id: 'b' }] });
    await s.close();
  });

  it('reports a failing handler as INTERNAL in plain words and logs the details', async () => {
    const dir = tempDir();
    const { services: s, log } = services(dir);
    await s.close(); // The database is gone: every query now throws.
    const answer = await s.dispatch('getSettings', {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    if (!answer.ok)
      expect(answer.error.message).toBe('Something went wrong inside the app. The details are in the log.');
    expect(log.lines.at(-1)).toMatchObject({ level: 'error', message: 'call failed', meta: { call: 'getSettings' } });
  });
});
