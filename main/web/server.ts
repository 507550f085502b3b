import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventBus } from '../api/event-bus.ts';
import type { Logger } from '../log.ts';
import { ApiRoutes, type ApiOptions } from './api.ts';
import { EventStreams } from './events.ts';
import { foreignRequest, loopbackAddresses, setSecurityHeaders, type LoopbackAddresses } from './guard.ts';
import { LinkPages } from './links.ts';
import { readCookie, sendText } from './respond.ts';
import { LINK_PARAM, Sessions } from './session.ts';
import { serveStatic } from './static.ts';

export interface WebHostOptions extends ApiOptions {
  bus: EventBus;
  log: Logger;
  /** The built renderer (`out/renderer`). */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /**
   * Called with a new one-time link when the host had to make one: someone asked for the app without a session
   * and the last terminal link was already used. The command line prints it.
   */
  onNewLink?: (url: string) => void;
}

export interface WebHost {
  readonly origin: string;
  readonly port: number;
  /** The session cookie's name, which carries the port. */
  readonly cookieName: string;
  /**
   * A new link that opens the app once. Without `lifetimeMs` it is the terminal's link and replaces an unused
   * earlier one; with it, it also stops working after that long (for a browser's command line).
   */
  newLink(options?: { lifetimeMs?: number }): string;
  close(): Promise<void>;
}

/** What answers requests once the host listens (and so knows its port). */
interface Listening {
  addresses: LoopbackAddresses;
  sessions: Sessions;
  links: LinkPages;
  api: ApiRoutes;
  rendererDir: string;
  log: Logger;
}

/**
 * Serves the renderer and the contract over HTTP on 127.0.0.1, for machines without an Electron runtime and for
 * end-to-end tests. A printed link (`/?key=…`) opens the app once: its key is traded for a session (see
 * `session.ts`, `links.ts`), a per-port HttpOnly cookie plus a token handed to the page in that one answer. Pages
 * need the cookie; every `/api/` request needs the cookie and the token in `X-Vitally-Session` (a download, which
 * cannot carry a header, a single-use ticket instead: `api.ts`). Every request's `Host` must be this loopback
 * address and its `Origin`, when present, this origin (`guard.ts`). Calls go through the same dispatcher as
 * Electron's IPC; events stream as server-sent events (`events.ts`).
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { log } = options;
  const events = new EventStreams(options.bus);
  let listening: Listening | null = null;

  const server = createServer((req, res) => {
    handle(req, res, listening).catch((error: unknown) => {
      log.error('web host request failed', { error, path: (req.url ?? '').split('?')[0] });
      if (!res.headersSent) sendText(res, 500, 'The app could not answer this request.');
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const sessions = new Sessions(port);
  const links = new LinkPages({
    sessions,
    origin,
    rendererDir: options.rendererDir,
    log,
    onNewLink: options.onNewLink,
  });
  listening = {
    addresses: loopbackAddresses(port),
    sessions,
    links,
    api: new ApiRoutes(options, { sessions, events, log }),
    rendererDir: options.rendererDir,
    log,
  };
  log.info('web host listening', { origin });

  return {
    origin,
    port,
    cookieName: sessions.cookieName,
    newLink: (linkOptions) => links.linkFor(sessions.issueKey(linkOptions)),
    close: () =>
      new Promise<void>((resolve) => {
        events.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Every request, in turn: its headers checked, a link's visit, the API, then the renderer's files (with a session). */
async function handle(req: IncomingMessage, res: ServerResponse, host: Listening | null): Promise<void> {
  setSecurityHeaders(res);
  // Not listening yet, so no address is its own.
  if (!host) return sendText(res, 403, 'This address only answers requests made to itself.');
  const refusal = foreignRequest(req, host.addresses, host.log);
  if (refusal) return sendText(res, refusal.status, refusal.text);
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? ''}`);
  const session = host.sessions.fromCookie(readCookie(req, host.sessions.cookieName));
  const key = url.searchParams.get(LINK_PARAM);
  if (key !== null && url.pathname === '/' && req.method === 'GET') {
    return host.links.open(res, key, { hasSession: session !== null });
  }
  if (url.pathname.startsWith('/api/')) {
    if (!session) {
      return sendText(res, 401, 'This request lacks the app’s session. Open the app with its link and try again.');
    }
    return host.api.serve(req, res, url, session);
  }
  if (!session) {
    return host.links.refuse(
      res,
      401,
      'Vitally Importer opens only from the link it prints, and this browser has not used one yet.',
    );
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.');
  return serveStatic(req, res, host.rendererDir, url.pathname);
}
