import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transform, type Readable, type Writable } from 'node:stream';
import type { FileSource } from '../../app/contract.ts';
import type { Dispatch } from '../api/dispatch.ts';
import { ServiceError } from '../api/errors.ts';
import type { EventBus } from '../api/event-bus.ts';
import type { Logger } from '../log.ts';
import { CONTENT_SECURITY_POLICY } from '../security.ts';
import { contentTypeFor, rendererFile } from '../static-files.ts';
import { LINK_PARAM, SESSION_HEADER, Sessions, TOKEN_META, type Session } from './session.ts';

export interface WebHostOptions {
  dispatch: Dispatch;
  bus: EventBus;
  /** Stores an uploaded file (`POST /api/upload`) and says how to refer to it in calls. */
  receiveUpload: (fileName: string, declaredSize: number | null, body: Readable) => Promise<FileSource>;
  /**
   * Bytes free where uploads are saved (null when unknown). When given, an upload is stopped, and its partial copy
   * deleted, as soon as the disk gets too full to hold it and its rows.
   */
  freeSpace?: () => Promise<number | null>;
  log: Logger;
  /**
   * `GET /api/export/batches?fileId=…`: a checked file's batches as a JSON Lines download. Throws a ServiceError
   * (before anything is written) when there is nothing to save.
   */
  exportBatches?: (fileId: string) => { fileName: string; write: (out: Writable) => Promise<unknown> };
  /** `GET /api/download/<id>`: an export offered by a call (single use), or null when there is none. */
  takeDownload?: (
    id: string,
  ) => { fileName: string; contentType: string; write: (out: Writable) => Promise<unknown> } | null;
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_CALL_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 20_000;
/** How often a streaming upload asks how much disk is left, and how much it always leaves free. */
const SPACE_CHECK_BYTES = 4 * 1024 * 1024;
const SPACE_RESERVE_BYTES = 32 * 1024 * 1024;
/** Room the database needs for an upload's rows, as a multiple of its size (as the files service reckons). */
const ROWS_FACTOR = 1.5;
const WHERE_LINKS_ARE = 'the terminal where Vitally Importer is running (where “npm start” or “npm run web” was typed)';

/**
 * Serves the renderer and the contract over HTTP on 127.0.0.1, for machines without an Electron runtime and for
 * end-to-end tests. A printed link (`/?key=…`) opens the app once: its key is traded for a session (see
 * `session.ts`), a per-port HttpOnly cookie plus a token handed to the page in that one answer. Pages need the
 * cookie; every `/api/` request needs the cookie and the token in `X-Vitally-Session` (a download, which cannot
 * carry a header, a single-use ticket instead). Every request's `Host` must be this loopback address and its
 * `Origin`, when present, this origin. Calls go through the same dispatcher as Electron's IPC; events stream as
 * server-sent events.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { log } = options;
  const streams = new Set<ServerResponse>();
  let allowedHosts: Set<string> = new Set();
  let origins: Set<string> = new Set();
  let sessions: Sessions | null = null;
  let origin = '';

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('web host request failed', { error, path: (req.url ?? '').split('?')[0] });
      if (!res.headersSent) sendText(res, 500, 'The app could not answer this request.');
      else res.destroy();
    });
  });

  const linkFor = (key: string) => `${origin}/?${LINK_PARAM}=${key}`;

  /** Makes sure an unused terminal link exists; says whether one had to be made (and printed) just now. */
  const ensureTerminalLink = (): boolean => {
    if (!sessions || sessions.hasFreshTerminalKey()) return false;
    const url = linkFor(sessions.issueKey());
    log.info('made a new link to open the app');
    options.onNewLink?.(url);
    return true;
  };

  /** A plain page telling someone without a session how to get one. */
  const refuse = (res: ServerResponse, status: number, why: string): void => {
    const made = ensureTerminalLink();
    const next = made
      ? `A new link has just been printed in ${WHERE_LINKS_ARE}: open it in this browser.`
      : `Open the newest link printed in ${WHERE_LINKS_ARE}, or press Enter there to print a new one.`;
    sendText(res, status, `${why}\n\n${next}`);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(host) || !sessions) {
      log.warn('refused a request for a foreign host', { host });
      return sendText(res, 403, 'This address only answers requests made to itself.');
    }
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined && !origins.has(requestOrigin)) {
      log.warn('refused a request from a foreign origin', { origin: requestOrigin });
      return sendText(res, 403, 'Requests from other web pages are not allowed.');
    }
    const fetchSite = req.headers['sec-fetch-site'];
    if (fetchSite === 'cross-site' || fetchSite === 'same-site') {
      return sendText(res, 403, 'Requests from other web pages are not allowed.');
    }

    const url = new URL(req.url ?? '/', `http://${host}`);
    const session = sessions.fromCookie(readCookie(req, sessions.cookieName));
    const key = url.searchParams.get(LINK_PARAM);
    if (key !== null && url.pathname === '/' && req.method === 'GET') return openLink(res, key, session !== null);

    if (url.pathname.startsWith('/api/')) {
      if (!session) {
        return sendText(res, 401, 'This request lacks the app’s session. Open the app with its link and try again.');
      }
      const token = req.headers[SESSION_HEADER.toLowerCase()];
      const ticket = url.searchParams.get('ticket');
      const download = url.pathname === '/api/export/batches' && ticket !== null;
      // An export offered to this page by a call that carried its token: its single-use id is its ticket.
      if (url.pathname.startsWith('/api/download/')) return handleDownload(req, res, url.pathname.slice(14));
      if (download ? !sessions.redeemTicket(session, ticket) : !sessions.carriesToken(session, oneValue(token))) {
        log.warn('refused an API request without the page’s session token', { path: url.pathname });
        return sendText(
          res,
          403,
          'This request did not come from the app’s own page, so it was refused. If you are using the app, ' +
            'reload the page; if that does not help, open the app again with a new link.',
        );
      }
      if (url.pathname === '/api/session/ticket') return handleTicket(req, res, session);
      if (url.pathname.startsWith('/api/call/')) return handleCall(req, res, url.pathname.slice('/api/call/'.length));
      if (url.pathname === '/api/events') return handleEvents(req, res);
      if (url.pathname === '/api/upload') return handleUpload(req, res);
      if (url.pathname === '/api/export/batches') {
        return handleExport(req, res, url.searchParams.get('fileId') ?? '');
      }
      return sendText(res, 404, 'Not found.');
    }
    if (!session) {
      return refuse(
        res,
        401,
        'Vitally Importer opens only from the link it prints, and this browser has not used one yet.',
      );
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.');
    return serveStatic(req, res, url.pathname);
  }

  /** The link's first visit gets the page with its token and the cookie; later visits get a plain refusal. */
  async function openLink(res: ServerResponse, key: string, hasSession: boolean): Promise<void> {
    // Read first, so a missing page does not use the link up.
    const file = rendererFile(options.rendererDir, '/');
    const html = file === null ? null : await readFile(file, 'utf8').catch(() => null);
    if (html === null) return sendText(res, 500, 'The app’s page is missing: build it again (`npm run build`).');
    const verdict = sessions?.open(key) ?? { kind: 'unknown' };
    if (verdict.kind === 'opened') {
      const { session } = verdict;
      const body = withToken(html, session.token);
      res.writeHead(200, {
        'Set-Cookie': `${sessions?.cookieName}=${session.cookie}; HttpOnly; SameSite=Strict; Path=/`,
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-store',
      });
      res.end(body);
      return;
    }
    // This browser already has the app open: an old link clicked again just shows it.
    if (hasSession) {
      res.writeHead(303, { Location: '/', 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    const why = {
      used:
        'This link has already been used: each link opens the app once, in one browser. If you did not open it ' +
        'yourself, stop the app (Ctrl+C) and start it again.',
      expired: 'This link has expired: a link given to the browser when the app starts works for two minutes.',
      replaced: 'A newer link has replaced this one.',
      unknown: 'This link does not open this app: it may belong to an earlier start of Vitally Importer.',
    }[verdict.kind];
    log.warn('refused a link', { verdict: verdict.kind });
    refuse(res, verdict.kind === 'unknown' ? 401 : 410, why);
  }

  /** A download ticket for the page, which then follows a plain link to the download. */
  function handleTicket(req: IncomingMessage, res: ServerResponse, session: Session): void {
    if (req.method !== 'POST') return sendText(res, 405, 'Tickets are asked for with POST.');
    sendJson(res, 200, { ok: true, value: { ticket: sessions?.issueTicket(session) } });
  }

  async function handleCall(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (req.method !== 'POST') return sendText(res, 405, 'Calls are made with POST.');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendText(res, 415, 'Calls carry JSON.');
    }
    const body = await readBody(req, MAX_CALL_BYTES);
    if (body === null) return sendText(res, 413, 'This request is too large.');
    let args: unknown;
    try {
      args = body.length === 0 ? undefined : JSON.parse(body);
    } catch {
      return sendJson(res, 400, {
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: 'The request was not valid JSON.', issues: [] },
      });
    }
    const envelope = await options.dispatch(name, args);
    const status = envelope.ok ? 200 : statusFor(envelope.error.code);
    sendJson(res, status, envelope);
  }

  /** A file chosen in the browser: raw bytes in the body, its name in `X-File-Name` (URI-encoded). */
  async function handleUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return sendText(res, 405, 'Uploads are made with POST.');
    let name: string;
    try {
      name = decodeURIComponent(String(req.headers['x-file-name'] ?? ''));
    } catch {
      name = '';
    }
    if (!name) return sendText(res, 400, 'An upload needs its file name.');
    const length = Number(req.headers['content-length']);
    const body = options.freeSpace ? req.pipe(spaceGuard(options.freeSpace)) : req;
    if (body !== req) req.once('error', (error) => body.destroy(error));
    try {
      const source = await options.receiveUpload(name, Number.isFinite(length) ? length : null, body);
      sendJson(res, 200, { ok: true, value: source });
    } catch (error) {
      req.resume();
      if (!(error instanceof ServiceError)) throw error;
      sendJson(res, statusFor(error.code), { ok: false, error: error.toContractError() });
    }
  }

  async function handleExport(req: IncomingMessage, res: ServerResponse, fileId: string): Promise<void> {
    if (req.method !== 'GET') return sendText(res, 405, 'Downloads are made with GET.');
    if (!options.exportBatches || !UUID.test(fileId)) return sendText(res, 404, 'There is nothing to download here.');
    let exporter: ReturnType<NonNullable<WebHostOptions['exportBatches']>>;
    try {
      exporter = options.exportBatches(fileId);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      return sendText(res, statusFor(error.code), error.message);
    }
    const ascii = exporter.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
    res.writeHead(200, {
      'Content-Type': 'application/jsonl; charset=utf-8',
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(exporter.fileName)}`,
      'Cache-Control': 'no-store',
    });
    try {
      await exporter.write(res);
      res.end();
    } catch (error) {
      log.error('a download failed', { error });
      res.destroy();
    }
  }

  /** `GET /api/download/<id>`: an export a call offered (`Downloads` in main/services), fetched once. */
  async function handleDownload(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    if (req.method !== 'GET') return sendText(res, 405, 'Downloads are made with GET.');
    const offer = UUID.test(id) ? (options.takeDownload?.(id) ?? null) : null;
    if (!offer) return sendText(res, 404, 'This download has already been fetched or has expired. Export it again.');
    const ascii = offer.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
    res.writeHead(200, {
      'Content-Type': offer.contentType,
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(offer.fileName)}`,
      'Cache-Control': 'no-store',
    });
    try {
      await offer.write(res);
      res.end();
    } catch (error) {
      log.error('a download failed', { error });
      res.destroy();
    }
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET') return sendText(res, 405, 'Events are read with GET.');
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 2000\n: connected\n\n');
    streams.add(res);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      streams.delete(res);
    });
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const file = rendererFile(options.rendererDir, pathname);
    if (file === null) return sendText(res, 404, 'Not found.');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return sendText(res, 404, 'Not found.');
    res.writeHead(200, {
      'Content-Type': contentTypeFor(file),
      'Content-Length': info.size,
      'Cache-Control': file.endsWith('.html') ? 'no-store' : 'private, max-age=31536000, immutable',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  const unsubscribe = options.bus.subscribe((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const stream of streams) stream.write(frame);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  origin = `http://127.0.0.1:${port}`;
  const live = new Sessions(port);
  sessions = live;
  log.info('web host listening', { origin });

  return {
    origin,
    port,
    cookieName: live.cookieName,
    newLink: (linkOptions) => linkFor(live.issueKey(linkOptions)),
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const stream of streams) stream.end();
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The page with its session token in a meta tag, where the HTTP bridge picks it up (and removes it). */
function withToken(html: string, token: string): string {
  const meta = `<meta name="${TOKEN_META}" content="${token}">`;
  const head = /<head[^>]*>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + meta + html.slice(head.index + head[0].length);
  const doctype = /^<!doctype[^>]*>/i.exec(html);
  return doctype ? doctype[0] + meta + html.slice(doctype[0].length) : meta + html;
}

/**
 * Passes an upload's bytes on while the disk can take them: it asks how much is free at the start and every few
 * megabytes, and fails with ENOSPC (which the files service words and cleans up after) once what is left would
 * not hold the rest of the copy's rows plus a reserve. A chunked upload declares no size, so this is its only check.
 */
function spaceGuard(freeSpace: () => Promise<number | null>): Transform {
  let received = 0;
  let checkedAt = -SPACE_CHECK_BYTES;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received - checkedAt < SPACE_CHECK_BYTES) return callback(null, chunk);
      checkedAt = received;
      freeSpace().then(
        (free) => {
          if (free !== null && free < SPACE_RESERVE_BYTES + received * ROWS_FACTOR) {
            callback(Object.assign(new Error('The disk is nearly full.'), { code: 'ENOSPC' }));
          } else callback(null, chunk);
        },
        () => callback(null, chunk),
      );
    },
  });
}

function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function statusFor(code: string): number {
  switch (code) {
    case 'INVALID_ARGUMENT':
      return 400;
    case 'UNKNOWN_CALL':
    case 'NOT_FOUND':
      return 404;
    case 'FORBIDDEN':
      return 403;
    case 'FAILED_PRECONDITION':
      return 409;
    case 'UNAVAILABLE':
      return 503;
    default:
      return 500;
  }
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function oneValue(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? undefined : header;
}

/** Reads a request body as text; null when it is larger than `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(null);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
