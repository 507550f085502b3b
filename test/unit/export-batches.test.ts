import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../main/log.ts';
import type { Services } from '../../main/services/index.ts';
import { startWebHost, type WebHost } from '../../main/web/server.ts';
import { call, desktopServices, loadMappedUsers, taskEnd } from '../support/services.ts';
import { tempDir } from '../support/temp.ts';
import { openSession } from '../support/web-session.ts';

/** Every batch of the preview, asked for one by one. */
async function previewBatches(services: Services, fileId: string): Promise<string[]> {
  const { batches } = await call<{ batches: unknown[] }>(services, 'listBatches', { fileId, offset: 0, limit: 100 });
  const bodies: string[] = [];
  for (let batch = 0; batch < batches.length; batch++) {
    bodies.push((await call<{ body: string }>(services, 'getBatch', { fileId, batch })).body);
  }
  return bodies;
}

describe('saving all batches as JSON Lines', () => {
  let services: Services | undefined;
  let host: WebHost | undefined;

  afterEach(async () => {
    await host?.close();
    await services?.close();
  });

  it('writes, where the desktop Save dialog says, one line per batch, exactly as each will be sent', async () => {
    const dir = tempDir();
    const target = join(dir, 'chosen.jsonl');
    const offered: string[] = [];
    services = desktopServices(dir, {
      chooseSavePath: (name) => {
        offered.push(name);
        return Promise.resolve(offered.length === 1 ? target : null);
      },
    });
    const fileId = await loadMappedUsers(services, dir, { users: 250, accounts: 7, badSeats: 42 });
    const early = await services.dispatch('exportBatches', { fileId });
    expect(early).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
    await taskEnd(services, (await call<{ taskId: string }>(services, 'startPreview', { fileId })).taskId);

    expect(await call(services, 'exportBatches', { fileId })).toEqual({ path: target, batches: 3, download: null });
    expect(offered).toEqual(['users batches.jsonl']);
    expect(readFileSync(target, 'utf8')).toBe(`${(await previewBatches(services, fileId)).join('\n')}\n`);
    expect(existsSync(`${target}.partial`)).toBe(false);
    // Closing the dialog saves nothing.
    expect(await call(services, 'exportBatches', { fileId })).toEqual({ path: null, batches: 0, download: null });
  });

  it('serves the same lines as a download in the browser, to the app’s own page only', async () => {
    const dir = tempDir();
    const log = createMemoryLogger();
    // Loaded by path, as only the desktop host may; the route is the web host's.
    const running = desktopServices(dir, { log });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Vitally Importer</title>');
    services = running;
    const web = await startWebHost({
      dispatch: running.dispatch,
      bus: running.bus,
      receiveUpload: (name, size, body) => running.files.receiveUpload(name, size, body),
      exportBatches: (fileId) => ({
        fileName: running.previews.exportName(fileId),
        write: (out) => running.previews.writeBatches(fileId, out),
      }),
      log,
      rendererDir: dir,
    });
    host = web;
    const fileId = await loadMappedUsers(running, dir, { users: 120, accounts: 3, badSeats: 0 });
    const url = `${web.origin}/api/export/batches?fileId=${fileId}`;
    const session = await openSession(web);
    const cookie = { Cookie: session.headers.Cookie };
    /** What the page does: asks for a single-use ticket, then follows a plain link (which cannot carry a header). */
    const download = async () => {
      const ticket = await fetch(`${web.origin}/api/session/ticket`, { method: 'POST', headers: session.headers });
      const { value } = (await ticket.json()) as { value: { ticket: string } };
      return { answer: await fetch(`${url}&ticket=${value.ticket}`, { headers: cookie }), ticket: value.ticket };
    };

    const unchecked = (await download()).answer;
    expect(unchecked.status).toBe(409);
    expect(await unchecked.text()).toBe('Wait until every row is checked, then save the batches.');
    await taskEnd(running, (await call<{ taskId: string }>(running, 'startPreview', { fileId })).taskId);

    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: cookie })).status).toBe(403);
    const { answer, ticket } = await download();
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-disposition')).toBe(
      `attachment; filename="users batches.jsonl"; filename*=UTF-8''users%20batches.jsonl`,
    );
    expect(await answer.text()).toBe(`${(await previewBatches(running, fileId)).join('\n')}\n`);
    expect((await fetch(`${url}&ticket=${ticket}`, { headers: cookie })).status).toBe(403);
    const nope = `${web.origin}/api/export/batches?fileId=nope`;
    expect((await fetch(nope, { headers: session.headers })).status).toBe(404);
  });
});
