import { existsSync, readlinkSync } from 'node:fs';
import { getPriority, platform } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { lowerPriority, PRIORITY, THREADS, threadUrl } from '../../../app/threads/threads.ts';
import viteMain from '../../../vite.main.config.ts';

describe('worker threads', () => {
  it('are found from source and from the bundle, inside an installed archive too', () => {
    expect(threadUrl('read-worker', 'file:///home/me/app/app/threads/threads.ts').href).toBe(
      'file:///home/me/app/app/read/worker.ts',
    );
    expect(threadUrl('check-worker', 'file:///home/me/app/out/main/threads-HH32Vm6c.js').href).toBe(
      'file:///home/me/app/out/main/check-worker.js',
    );
    expect(
      threadUrl('send-worker', 'file:///opt/Vitally%20Importer/resources/app.asar/out/main/threads-x.js').href,
    ).toBe('file:///opt/Vitally%20Importer/resources/app.asar/out/main/send-worker.js');
  });

  it('are each built as a bundle of their own name, from a source file that exists', () => {
    const input = (viteMain as { build: { rolldownOptions: { input: Record<string, string> } } }).build.rolldownOptions
      .input;
    for (const [name, source] of Object.entries(THREADS)) {
      expect(input[name]).toBe(source);
      expect(existsSync(fileURLToPath(new URL(`../../../${source}`, import.meta.url)))).toBe(true);
    }
  });

  it.runIf(platform() === 'linux')(
    'give way to the main thread: a background thread lowers its own priority, not the process’s',
    async () => {
      const threads = fileURLToPath(new URL('../../../app/threads/threads.ts', import.meta.url));
      const code = `
        const { readlinkSync } = require('node:fs');
        const { getPriority } = require('node:os');
        const { parentPort } = require('node:worker_threads');
        import(${JSON.stringify(threads)}).then(({ lowerPriority }) => {
          lowerPriority(${PRIORITY.background});
          const id = Number(readlinkSync('/proc/thread-self').split('/').pop());
          parentPort.postMessage(getPriority(id));
        });`;
      const before = getPriority(process.pid);
      const worker = new Worker(code, { eval: true });
      try {
        const niceness = await new Promise<number>((resolve, reject) => {
          worker.once('message', (value: number) => resolve(value));
          worker.once('error', reject);
        });
        expect(niceness).toBe(Math.min(19, before + PRIORITY.background));
        const mainThread = Number(readlinkSync('/proc/thread-self').split('/').pop());
        expect(getPriority(mainThread)).toBe(before);
      } finally {
        await worker.terminate();
      }
    },
    30_000,
  );

  it('keep running where priority cannot be changed', () => {
    expect(() => lowerPriority(0)).not.toThrow();
  });
});
