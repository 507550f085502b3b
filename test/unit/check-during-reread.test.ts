import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mapping, PreviewSummary } from '../../app/contract.ts';
import { createMemoryLogger } from '../../main/log.ts';
import type { Services } from '../../main/services/index.ts';
import { call, desktopServices, loadCsv, taskEnd } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';

function usersCsv(rows: number, company: string): string {
  const lines = ['Account ID,Account Name,User ID,Email,Seats'];
  for (let i = 1; i <= rows; i++) lines.push(`A${i % 50},${company} ${i % 50},U${i},u${i}@example.com,${i % 90}`);
  return lines.join('\n');
}

type Preview = { state: string; summary: PreviewSummary | null };

describe('a check going on when the file is read again (another window, or new read settings)', () => {
  let services: Services | undefined;
  afterEach(async () => {
    await services?.close();
    services = undefined;
  });

  it.each(['after', 'follow'] as const)(
    'never becomes the Preview of the rows read since (check ahead %s the read)',
    async (timing) => {
      const dir = tempDir();
      services = desktopServices(dir, { log: createMemoryLogger(), checkAhead: timing });
      const s = services;
      const fileId = await loadCsv(s, dir, 'users.csv', usersCsv(60_000, 'Old'));
      const { mapping } = await call<{ mapping: Mapping }>(s, 'getMapping', { fileId });
      // Another mapping than the one checked ahead: the check is made now, from the stored rows.
      await call(s, 'saveMapping', { fileId, mapping: { ...mapping, conflicts: 'last' } });
      const check = await call<{ taskId: string }>(s, 'startPreview', { fileId });
      const checkEnd = taskEnd(s, check.taskId);
      // Once it has checked some rows, the file is read again: now 30,000 other rows.
      await new Promise<void>((resolve) => {
        const stop = s.bus.on('progress', (p) => {
          if (p.taskId !== check.taskId || p.value === 0) return;
          stop();
          resolve();
        });
      });
      writeFileSync(join(dir, 'users.csv'), usersCsv(30_000, 'New'));
      const reread = await call<{ taskId: string }>(s, 'rereadFile', { fileId, settings: {} });
      await Promise.all([checkEnd, taskEnd(s, reread.taskId)]);

      // Before: the check of the old rows ended after the read and was shown as the Preview ("ready", 60,000 rows,
      // its messages counted from a mix of old and new rows), and the send would have sent its batches.
      const preview = await call<Preview>(s, 'getPreview', { fileId });
      if (preview.state === 'ready') expect(preview.summary).toMatchObject({ rows: 30_000, messages: 30_050 });
      else expect(preview.state).toBe('stale');
      // Checked again, it is the new rows'.
      const again = await call<{ taskId: string }>(s, 'startPreview', { fileId });
      expect((await taskEnd(s, again.taskId)).outcome).toBe('done');
      const fresh = await call<Preview>(s, 'getPreview', { fileId });
      expect(fresh).toMatchObject({ state: 'ready', summary: { rows: 30_000 } });
      const { batches } = await call<{ batches: unknown[] }>(s, 'listBatches', { fileId, offset: 0, limit: 1000 });
      const bodies: string[] = [];
      for (let b = 0; b < batches.length; b++)
        bodies.push((await call<{ body: string }>(s, 'getBatch', { fileId, batch: b })).body);
      expect(bodies.join('')).toContain('New 1');
      expect(bodies.join('')).not.toContain('Old ');
    },
    120_000,
  );
});
