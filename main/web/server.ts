import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import type { FileSource } from '../../app/contract.ts';
import type { Dispatch } from '../api/dispatch.ts';
import { ServiceError } from '../api/errors.ts';
import type { EventBus } from '../api/event-bus.ts';
import type { Logger } from '../log.ts';
import { CONTENT_SECURITY_POLICY } from '../security.ts';
import { contentTypeFor, rendererFile } from '../static-files.ts';

export interface WebHostOptions {
  dispatch: Dispatch;
  bus: EventBus;
  /** Stores an uploaded file (`POST /api/upload`) and says how to refer to it in calls. */
  receiveUpload: (fileName: string, declaredSize: number | null, body: IncomingMessage) => Promise<FileSource>;
  log: Logger;
  /**
   * `GET /api/export/batches?fileId=…`: a checked file's batches as a JSON Lines download. Throws a ServiceError
   * (before anything is written) when there is nothing to save.
   */
  exportBatches?: (fileId: string) => { fileName: string; write: (out: Writable) => Promise<unknown> };
  /** The built renderer (`out/renderer`). */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Fixed only by tests; otherwise a fresh random secret per launch. */
  secret?: string;
}

export interface WebHost {
  /** The URL to open, secret included: the first visit trades it for a same-site cookie. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly secret: string;
  close(): Promise<void>;
}

export const SESSION_COOKIE = 'vitally_session';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_CALL_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 20_000;

/**
 * Serves the renderer and the contract over HTTP on 127.0.0.1, for machines without an Electron runtime and for
 * end-to-end tests. Every request must carry the per-launch secret (as the session cookie, or once as `?secret=`
 * in the URL, which is traded for the cookie); its `Host` must be this loopback address and its `Origin`, when
 * present, this origin. Calls go through the same dispatcher as Electron's IPC; events stream as server-sent events.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const { log } = options;
  const streams = new Set<ServerResponse>();
  let allowedHosts: Set<string> = new Set();
  let origins: Set<string> = new Set();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('web host request failed', { error, path: req.url });
      if (!res.headersSent) sendText(res, 500, 'The app could not answer this request.');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(host)) {
      log.warn('refused a request for a foreign host', { host });
      return sendText(res, 403, 'This address only answers requests made to itself.');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) {
      log.warn('refused a request from a foreign origin', { origin });
      return sendText(res, 403, 'Requests from other web pages are not allowed.');
    }
    if (req.headers['sec-fetch-site'] === 'cross-site') {
      return sendText(res, 403, 'Requests from other web pages are not allowed.');
    }

    const url = new URL(req.url ?? '/', `http://${host}`);
    const offered = url.searchParams.get('secret');
    if (offered !== null && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
      if (!sameSecret(offered, secret))
        return sendText(res, 401, 'This link has expired. Use the one printed at start.');
      res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/`);
      url.searchParams.delete('secret');
      res.writeHead(303, { Location: url.pathname + url.search });
      res.end();
      return;
    }
    if (!sameSecret(readCookie(req, SESSION_COOKIE) ?? '', secret)) {
      return sendText(res, 401, 'Open the app with the link printed when it started; this one lacks its key.');
    }

    if (url.pathname.startsWith('/api/call/')) return handleCall(req, res, url.pathname.slice('/api/call/'.length));
    if (url.pathname === '/api/events') return handleEvents(req, res);
    if (url.pathname === '/api/upload') return handleUpload(req, res);
    if (url.pathname === '/api/export/batches') return handleExport(req, res, url.searchParams.get('fileId') ?? '');
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.');
    return serveStatic(req, res, url.pathname);
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
    try {
      const source = await options.receiveUpload(name, Number.isFinite(length) ? length : null, req);
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
  const origin = `http://127.0.0.1:${port}`;
  log.info('web host listening', { origin });

  return {
    url: `${origin}/?secret=${secret}`,
    origin,
    port,
    secret,
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

function sameSecret(offered: string, secret: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
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
