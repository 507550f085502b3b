import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../security.ts';
import { contentTypeFor, rendererFile } from '../static-files.ts';
import { RENDERER_HOST, RENDERER_SCHEME, RENDERER_SCHEME_PRIVILEGES } from './trust.ts';

// The renderer is served from `app://renderer/`, a standard, secure scheme of the app's own, never `file://`.

/** Must run before the app is ready. */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: RENDERER_SCHEME, privileges: { ...RENDERER_SCHEME_PRIVILEGES } }]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(RENDERER_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === RENDERER_HOST ? rendererFile(rendererDir, url.pathname) : null;
    const body = file ? await readFile(file).catch(() => null) : null;
    if (!file || !body) return new Response('Not found.', { status: 404 });
    return new Response(body, {
      headers: {
        'Content-Type': contentTypeFor(file),
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
