import { spawn } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireInstanceLock, handOverMessage, lockAddress, parseHandOver } from '../../main/instance-lock.ts';
import { tempDir } from '../support/temp.ts';

describe('one app per data folder', () => {
  it('hands a second start over to the first, which answers with a way to reach it', async () => {
    const dir = tempDir();
    let asked = 0;
    const first = await acquireInstanceLock(dir, () => {
      asked++;
      return { host: 'web', pid: 4242, url: 'http://127.0.0.1:5123/?key=abc' };
    });
    expect(first.kind).toBe('owner');
    const second = await acquireInstanceLock(dir, () => ({ host: 'web', pid: 1 }));
    expect(second).toEqual({
      kind: 'taken',
      handOver: { host: 'web', pid: 4242, url: 'http://127.0.0.1:5123/?key=abc' },
    });
    expect(asked).toBe(1);
    // Another folder is another app's.
    const other = await acquireInstanceLock(tempDir(), () => ({ host: 'web', pid: 1 }));
    expect(other.kind).toBe('owner');
    if (other.kind === 'owner') await other.release();
    // Once the first has gone, the folder is free.
    if (first.kind === 'owner') await first.release();
    const third = await acquireInstanceLock(dir, () => ({ host: 'electron', pid: 2 }));
    expect(third.kind).toBe('owner');
    if (third.kind === 'owner') await third.release();
  });

  it('is free again the moment the app that had it is killed', async () => {
    const dir = tempDir();
    const module = new URL('../../main/instance-lock.ts', import.meta.url).pathname;
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { acquireInstanceLock } = await import(${JSON.stringify(module)});
         const lock = await acquireInstanceLock(${JSON.stringify(dir)}, () => ({ host: 'web', pid: process.pid }));
         console.log(lock.kind); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      expect((await acquireInstanceLock(dir, () => ({ host: 'web', pid: 1 }))).kind).toBe('taken');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const after = await acquireInstanceLock(dir, () => ({ host: 'web', pid: 1 }));
      expect(after.kind).toBe('owner');
      if (after.kind === 'owner') await after.release();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 30_000);

  it('takes over a socket file that a crash left behind (as on macOS), and not one an app still answers on', async () => {
    const dir = tempDir();
    const address = join(tempDir(), 'stale.sock');
    writeFileSync(address, '');
    const lock = await acquireInstanceLock(dir, () => ({ host: 'web', pid: 7 }), address);
    expect(lock.kind).toBe('owner');
    expect((await acquireInstanceLock(dir, () => ({ host: 'web', pid: 8 }), address)).kind).toBe('taken');
    if (lock.kind === 'owner') await lock.release();
  });

  it('knows the folder however it is reached: through a link, or a path written another way', async () => {
    const dir = tempDir();
    const link = join(tempDir(), 'link-to-data');
    symlinkSync(dir, link);
    const first = await acquireInstanceLock(dir, () => ({ host: 'web', pid: 9 }));
    try {
      expect((await acquireInstanceLock(link, () => ({ host: 'web', pid: 1 }))).kind).toBe('taken');
      expect((await acquireInstanceLock(`${dir}/./`, () => ({ host: 'web', pid: 1 }))).kind).toBe('taken');
    } finally {
      if (first.kind === 'owner') await first.release();
    }
  });

  it('names the socket after the folder and the user, in a place that vanishes with the process', () => {
    expect(lockAddress('/home/ana/.config/Vitally Importer', 'linux', 1000)).toMatch(
      /^\0vitally-importer-[0-9a-f]{24}$/,
    );
    expect(lockAddress('C:\\Users\\ana\\AppData', 'win32', 0)).toMatch(/^\\\\\.\\pipe\\vitally-importer-/);
    expect(lockAddress('/Users/ana/Library', 'darwin', 501, '/tmp')).toMatch(/^\/tmp\/vitally-importer-.*\.sock$/);
    expect(lockAddress('/a', 'linux', 1000)).not.toBe(lockAddress('/a', 'linux', 1001));
    expect(lockAddress('/a', 'linux', 1000)).not.toBe(lockAddress('/b', 'linux', 1000));
  });

  it('believes only a well-formed answer, with a link to this machine', () => {
    expect(parseHandOver('{"host":"web","pid":3,"url":"http://127.0.0.1:80/?key=x"}\n')).toEqual({
      host: 'web',
      pid: 3,
      url: 'http://127.0.0.1:80/?key=x',
    });
    expect(parseHandOver('{"host":"web","pid":3,"url":"https://evil.example/"}')).toEqual({ host: 'web', pid: 3 });
    expect(parseHandOver('{"host":"other","pid":3}')).toBeNull();
    expect(parseHandOver('not json')).toBeNull();
    expect(handOverMessage(null, '/data')).toContain('did not answer');
    expect(handOverMessage({ host: 'electron', pid: 1 }, '/data')).toContain('brought to the front');
  });
});
