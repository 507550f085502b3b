import { describe, expect, it, vi } from 'vitest';
import { IPC_CALL_CHANNEL } from '../../../app/contract.ts';
import type { Dispatch } from '../../../main/api/dispatch.ts';
import { createMemoryLogger } from '../../../main/log.ts';
import {
  externalLinkAllowed,
  isAppPageUrl,
  isTrustedSender,
  mayLoadResource,
  mayNavigate,
  RENDERER_URL,
} from '../../../main/electron/trust.ts';

// The shell's only dependency, replaced by a recording stand-in so `ipc.ts` runs under plain Node.
type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
const handlers = new Map<string, Handler>();
vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, handler: Handler) => handlers.set(channel, handler) },
}));

describe("the desktop shell's trust decisions, with the URLs Electron reports", () => {
  it("recognises the app's own page as Electron reports it", () => {
    expect(RENDERER_URL).toBe('app://renderer/index.html');
    expect(isAppPageUrl('app://renderer/index.html')).toBe(true);
    expect(isAppPageUrl('app://renderer/assets/index-4f2a.js')).toBe(true);
    expect(isAppPageUrl('app://renderer/index.html#/preview')).toBe(true);
  });

  it('refuses every other page, however close it looks', () => {
    for (const url of [
      'https://renderer/index.html',
      'http://127.0.0.1:5173/index.html',
      'file:///tmp/index.html',
      'app://renderer.evil.example/index.html',
      'app://evil/index.html',
      'app://user@renderer/index.html',
      'app://renderer:8080/index.html',
      'about:blank',
      'data:text/html,<script>1</script>',
      'javascript:alert(1)',
      '',
      'not a url',
    ]) {
      expect(isAppPageUrl(url), url).toBe(false);
    }
  });

  it('answers only the top frame of the app window showing the app', () => {
    const own = { frameUrl: 'app://renderer/index.html', isTopFrame: true, isAppWindow: true };
    expect(isTrustedSender(own)).toBe(true);
    expect(isTrustedSender({ ...own, frameUrl: 'https://evil.example/' })).toBe(false);
    expect(isTrustedSender({ ...own, isTopFrame: false })).toBe(false);
    expect(isTrustedSender({ ...own, isAppWindow: false })).toBe(false);
    expect(isTrustedSender({ ...own, frameUrl: null })).toBe(false);
  });

  it('keeps navigation inside the app and remote content out', () => {
    expect(mayNavigate('app://renderer/index.html')).toBe(true);
    expect(mayNavigate('https://evil.example/')).toBe(false);
    expect(mayLoadResource('app://renderer/assets/index.css')).toBe(true);
    expect(mayLoadResource('blob:app://renderer/6b1d2c1e-1f1a-4a4c-9c55-0d4e2d9b8a11')).toBe(true);
    expect(mayLoadResource('blob:https://evil.example/6b1d2c1e')).toBe(false);
    expect(mayLoadResource('https://fonts.example/font.woff2')).toBe(false);
    expect(mayLoadResource('devtools://devtools/bundled/inspector.html')).toBe(true);
  });

  it("opens only Vitally's https sites in the system browser", () => {
    expect(externalLinkAllowed('https://docs.vitally.io/pushing-data-to-vitally')).toBe(true);
    expect(externalLinkAllowed('https://acme.vitally.io/')).toBe(true);
    expect(externalLinkAllowed('http://docs.vitally.io/')).toBe(false);
    expect(externalLinkAllowed('https://vitally.io.evil.example/')).toBe(false);
    expect(externalLinkAllowed('https://evilvitally.io/')).toBe(false);
    expect(externalLinkAllowed('https://user@docs.vitally.io/')).toBe(false);
    expect(externalLinkAllowed('file:///etc/passwd')).toBe(false);
    expect(externalLinkAllowed('smb://server/share')).toBe(false);
  });
});

describe('the IPC handler, registered on a stand-in ipcMain', () => {
  it("dispatches a call from the app's own page and refuses one from any other origin", async () => {
    const { registerIpc } = await import('../../../main/electron/ipc.ts');
    const dispatched: unknown[] = [];
    const dispatch: Dispatch = (name, args) => {
      dispatched.push([name, args]);
      return Promise.resolve({ ok: true, value: 'answered' });
    };
    const appContents = { id: 1 };
    const log = createMemoryLogger();
    registerIpc(dispatch, log, (contents) => contents === (appContents as unknown));
    const handle = handlers.get(IPC_CALL_CHANNEL);
    if (!handle) throw new Error('registerIpc did not register the call channel');

    const event = (url: string, parent: unknown = null, sender: unknown = appContents) => ({
      sender,
      senderFrame: { url, parent },
    });
    await expect(handle(event('app://renderer/index.html'), 'getAppInfo', {})).resolves.toEqual({
      ok: true,
      value: 'answered',
    });
    expect(dispatched).toEqual([['getAppInfo', {}]]);

    for (const refused of [
      event('https://evil.example/'),
      event('app://renderer/index.html', { url: 'app://renderer/index.html' }),
      event('app://renderer/index.html', null, { id: 2 }),
      { sender: appContents, senderFrame: null },
    ]) {
      await expect(handle(refused, 'getAppInfo', {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(dispatched).toHaveLength(1);
    expect(log.lines.filter((line) => line.message === 'refused a call from an untrusted frame')).toHaveLength(4);
  });
});
