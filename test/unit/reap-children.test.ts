import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reapAll, running } from '../support/reap-children.ts';
import { tempDir } from '../support/temp.ts';

/**
 * The safety net every test file runs under (`test/support/reap-children.ts`): a child a test starts and never
 * stops — a test that failed or timed out before its clean-up — is killed when the file's tests end, its whole
 * process group when it was started detached.
 */
const exitOf = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
const started = (child: ChildProcess) => new Promise<void>((resolve) => child.once('spawn', () => resolve()));

/** A process's state letter from /proc (`Z`: dead, not yet reaped), or `gone`. */
function processState(pid: number): string {
  try {
    return /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 'gone';
  } catch {
    return 'gone';
  }
}

describe.runIf(process.platform === 'linux')('child processes a test leaves running', () => {
  it('are killed, detached ones with their own children, and forgotten once ended', async () => {
    const plain = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const plainStarted = started(plain);
    const script = join(tempDir(), 'idle.mjs');
    writeFileSync(script, 'setInterval(() => {}, 1000);');
    const forked = fork(script, [], { stdio: 'ignore' });
    const forkStarted = started(forked);
    // A detached shell whose own child would outlive it if only the shell were killed.
    const group = spawn(
      'sh',
      ['-c', `${JSON.stringify(process.execPath)} -e "setInterval(() => {}, 1000)" & echo $!; wait`],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const grandchild = await new Promise<number>((resolve) =>
      group.stdout?.once('data', (data: Buffer) => resolve(Number(data.toString().trim()))),
    );
    await Promise.all([plainStarted, forkStarted]);
    expect([...running()]).toEqual(expect.arrayContaining([plain, forked, group]));

    const ends = [exitOf(plain), exitOf(forked), exitOf(group)];
    reapAll();
    expect(await Promise.all(ends)).toEqual(['SIGKILL', 'SIGKILL', 'SIGKILL']);
    // The detached shell's child went with it (gone, or dead and waiting to be reaped by init).
    await expect.poll(() => processState(grandchild), { timeout: 10_000 }).toMatch(/^(gone|Z)$/);
    expect(running().size).toBe(0);
  });

  it('a child that ended by itself is no longer held', async () => {
    const quick = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await exitOf(quick);
    expect(running().has(quick)).toBe(false);
  });
});
