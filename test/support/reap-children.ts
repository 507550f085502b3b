/**
 * A safety net under every test file (Vitest `setupFiles`): each child process a test starts through
 * `node:child_process` is remembered, and any still running when the file's tests end — a test that failed or
 * timed out before its own clean-up — is killed (its whole process group when it was started detached), so no
 * orphan keeps running or keeps Vitest's teardown waiting. Tests still kill their own children; this catches
 * what they miss.
 */
import childProcess, { type ChildProcess } from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { afterAll } from 'vitest';

const MARK = Symbol.for('vitally-importer.reap-children');

/**
 * The children started and not yet ended. Kept on the module itself: Vitest evaluates this file again for each
 * test file, in a worker whose `node:child_process` is patched once.
 */
type Patched = typeof childProcess & { [MARK]?: Set<ChildProcess> };
const patched = childProcess as Patched;

function remember<Args extends unknown[]>(
  started: Set<ChildProcess>,
  start: (...args: Args) => ChildProcess,
): (...args: Args) => ChildProcess {
  return (...args: Args) => {
    const child = start(...args);
    started.add(child);
    child.once('exit', () => started.delete(child));
    return child;
  };
}

if (!patched[MARK]) {
  const started = new Set<ChildProcess>();
  patched[MARK] = started;
  // `exec` and `execFile` are left as they are (their promisified forms rely on their own properties); the tests
  // start their long-lived children with `spawn` and `fork`.
  patched.spawn = remember(started, childProcess.spawn.bind(childProcess)) as typeof childProcess.spawn;
  patched.fork = remember(started, childProcess.fork.bind(childProcess)) as typeof childProcess.fork;
  syncBuiltinESMExports();
}
const started = patched[MARK] ?? new Set<ChildProcess>();

/** Kills a child that is still running, with its process group when it leads one. */
export function reap(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Not a group leader (not started detached): kill the process itself.
  }
  try {
    child.kill('SIGKILL');
  } catch {
    // Gone already.
  }
}

/** The children started through `spawn` or `fork` that have not ended yet. */
export function running(): ReadonlySet<ChildProcess> {
  return started;
}

/** Kills every child still running. */
export function reapAll(): void {
  for (const child of started) reap(child);
  started.clear();
}

afterAll(reapAll);
