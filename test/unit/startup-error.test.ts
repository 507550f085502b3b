import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { DatabaseTooNewError } from '../../app/journal/database.ts';
import { startupFailureMessage } from '../../main/startup-error.ts';
import { tempDir } from '../support/temp.ts';

const folders = { dataDir: '/home/ana/.config/Vitally Importer', logDir: '/home/ana/.config/Vitally Importer/logs' };
const errno = (code: string) => Object.assign(new Error(`${code}: raw`), { code });

describe('a start that fails', () => {
  it('is told in plain words, with the folder to look in', () => {
    expect(startupFailureMessage(new DatabaseTooNewError(99), folders)).toContain('newer version of Vitally Importer');
    expect(startupFailureMessage(errno('EACCES'), folders)).toContain(
      `cannot write to its data folder (${folders.dataDir})`,
    );
    expect(startupFailureMessage(errno('ENOSPC'), folders)).toContain('is full');
    expect(startupFailureMessage(errno('ENOTDIR'), folders)).toContain(
      `cannot use its data folder (${folders.dataDir}): part of that path is a file`,
    );
    const other = startupFailureMessage(new Error('SQLITE_BUSY: internals'), folders);
    expect(other).toContain(folders.logDir);
    expect(other).not.toContain('internals');
  });

  it('ends the web host with that message, not a stack trace', async () => {
    const dataDir = join(tempDir(), 'data');
    mkdirSync(dataDir, { recursive: true });
    const db = new DatabaseSync(join(dataDir, 'vitally-importer.sqlite'));
    db.exec('PRAGMA user_version = 999');
    db.close();
    const entry = new URL('../../main/web/index.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, [entry, '--no-open'], {
      env: { ...process.env, VITALLY_IMPORTER_DATA_DIR: dataDir, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(output).toContain('written by a newer version of Vitally Importer');
      expect(output).not.toMatch(/\n\s+at /);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});
