import { getPriority, platform } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const THREADS = new URL('../../app/threads/threads.ts', import.meta.url).href;

/**
 * A thread that lowers its priority by `niceness` and answers with its own niceness; with `inner`, it first starts a
 * thread of its own that does the same, as the reading worker starts its writer and a check its helpers.
 */
function code(niceness: number, inner: boolean): string {
  return `
    const { parentPort, Worker } = require('node:worker_threads');
    const { readlinkSync } = require('node:fs');
    const { getPriority } = require('node:os');
    const own = () => getPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()));
    import(${JSON.stringify(THREADS)}).then(({ lowerPriority }) => {
      lowerPriority(${niceness});
      if (!${inner}) return parentPort.postMessage(own());
      const child = new Worker(${JSON.stringify(`__CHILD__`)}, { eval: true });
      child.once('message', (niceOfChild) => parentPort.postMessage({ starter: own(), started: niceOfChild }));
    });
  `;
}

function run(source: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true });
    worker.once('message', (answer) => {
      resolve(answer);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe.runIf(platform() === 'linux')("a thread's share of the processor", () => {
  it('a thread started by a thread gives way as far as asked, not twice as far (the writer of a read, the helpers of a check)', async () => {
    const base = getPriority(process.pid);
    const inner = code(10, false);
    const outer = code(10, true).replace(JSON.stringify('__CHILD__'), JSON.stringify(inner));
    const answer = (await run(outer)) as { starter: number; started: number };
    expect(answer.starter).toBe(Math.min(19, base + 10));
    // Before: the inner thread inherited its starter's 10 and added 10 more, so it ran at 19, and beside other busy
    // processes a read's writer and a check's helpers got about 1.5 % of a core (a 300,000-row Preview took 47 s
    // instead of 1.5 s with two busy loops beside it).
    expect(answer.started).toBe(Math.min(19, base + 10));
  });
});
