/**
 * Reads files with the app's readers in a process of their own, under a heap cap and a deadline: a read that
 * tries to fill memory ends that process (and is reported), a read that does not end in time is killed. What a
 * hostile or fuzzed file is allowed to cost is stated here once. A process, not a thread: V8 can abort the whole
 * process when a worker thread's heap fills, which would take the test run with it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoredRow } from '../../../app/read/index.ts';

/** The heap a read may use; the process dies if it needs more. */
export const HEAP_LIMIT_MB = 480;

export interface BoundedRequest {
  name: string;
  bytes: Uint8Array;
}

/** `ms`: the CPU time the read took in the child (wall time for the two ways the process itself ends it). */
export type BoundedOutcome =
  | { kind: 'rows'; rows: number; first: StoredRow[]; ms: number }
  | { kind: 'refused'; code: string; message: string; ms: number }
  | { kind: 'crashed'; error: string; ms: number };

/** How a read ended, seen from outside: including the two ways the process itself can end it. */
export type Outcome = BoundedOutcome | { kind: 'out-of-memory'; ms: number } | { kind: 'too-slow'; ms: number };

const CHILD = fileURLToPath(new URL('./bounded-child.ts', import.meta.url));

/** One reading process, reused read after read, and started afresh when a read kills it or takes too long. */
export class BoundedReader {
  readonly #dir = mkdtempSync(join(tmpdir(), 'vitally-importer-bounded-'));
  #child: ChildProcess | null = null;

  /** Reads `bytes` as a file called `name`; gives up after `deadlineMs` (which includes starting a process). */
  async read(name: string, bytes: Uint8Array, deadlineMs: number): Promise<Outcome> {
    const child = (this.#child ??= fork(CHILD, [this.#dir], {
      execArgv: [`--max-old-space-size=${HEAP_LIMIT_MB}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    }));
    const started = performance.now();
    const outcome = await new Promise<Outcome>((resolve) => {
      let stderr = '';
      const onStderr = (data: Buffer) => void (stderr = (stderr + data.toString()).slice(-4000));
      const done = (result: Outcome) => {
        clearTimeout(timer);
        child.off('message', done);
        child.off('exit', exited);
        child.stderr?.off('data', onStderr);
        resolve(result);
      };
      const exited = () => {
        const ms = performance.now() - started;
        done(
          /heap out of memory|Reached heap limit/.test(stderr)
            ? { kind: 'out-of-memory', ms }
            : { kind: 'crashed', error: stderr, ms },
        );
      };
      const timer = setTimeout(() => done({ kind: 'too-slow', ms: performance.now() - started }), deadlineMs);
      child.stderr?.on('data', onStderr);
      child.on('message', done);
      child.once('exit', exited);
      child.send({ name, bytes } satisfies BoundedRequest);
    });
    if (outcome.kind !== 'rows' && outcome.kind !== 'refused') this.#stop();
    return outcome;
  }

  /** Stops the process and removes the files it read. */
  close(): void {
    this.#stop();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #stop(): void {
    const child = this.#child;
    this.#child = null;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Words a message for a person never has: signs that an exception's text leaked into it. */
export const ENGINEER_WORDS = /undefined|NaN|\[object|TypeError|RangeError|Error:|\bat \S+ \(|ENOENT|errno|stack/;
