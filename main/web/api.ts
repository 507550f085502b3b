import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import type { Dispatch } from '../api/dispatch.ts';
import { ServiceError } from '../api/errors.ts';
import type { Logger } from '../log.ts';
import type { EventStreams } from './events.ts';
import { oneValue, readBody, sendAttachment, sendJson, sendText, statusFor, type Attachment } from './respond.ts';
import { SESSION_HEADER, type Session, type Sessions } from './session.ts';
import { handleUpload, type UploadOptions } from './upload.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_CALL_BYTES = 1024 * 1024;
const DOWNLOAD_PREFIX = '/api/download/';
const CALL_PREFIX = '/api/call/';

/** What the `/api/` routes serve, given by whoever starts the web host. */
export interface ApiOptions extends UploadOptions {
  dispatch: Dispatch;
  /**
   * `GET /api/export/batches?fileId=…`: a checked file's batches as a JSON Lines download. Throws a ServiceError
   * (before anything is written) when there is nothing to save.
   */
  exportBatches?: ((fileId: string) => { fileName: string; write: (out: Writable) => Promise<unknown> }) | undefined;
  /** `GET /api/download/<id>`: an export offered by a call (single use), or null when there is none. */
  takeDownload?: ((id: string) => Attachment | null) | undefined;
}

/**
 * The `/api/` routes for a request that has a session (its cookie): calls, events, uploads, downloads and download
 * tickets. Each needs the page's token in `X-Vitally-Session` too, except the downloads a plain link fetches: the
 * batches' with a single-use ticket, an offered export by its own single-use id.
 */
export class ApiRoutes {
  readonly #options: ApiOptions;
  readonly #sessions: Sessions;
  readonly #events: EventStreams;
  readonly #log: Logger;

  constructor(options: ApiOptions, host: { sessions: Sessions; events: EventStreams; log: Logger }) {
    this.#options = options;
    this.#sessions = host.sessions;
    this.#events = host.events;
    this.#log = host.log;
  }

  async serve(req: IncomingMessage, res: ServerResponse, url: URL, session: Session): Promise<void> {
    const { pathname } = url;
    const ticket = url.searchParams.get('ticket');
    const download = pathname === '/api/export/batches' && ticket !== null;
    // An export offered to this page by a call that carried its token: its single-use id is its ticket.
    if (pathname.startsWith(DOWNLOAD_PREFIX)) return this.#download(req, res, pathname.slice(DOWNLOAD_PREFIX.length));
    const token = oneValue(req.headers[SESSION_HEADER.toLowerCase()]);
    if (download ? !this.#sessions.redeemTicket(session, ticket) : !this.#sessions.carriesToken(session, token)) {
      this.#log.warn('refused an API request without the page’s session token', { path: pathname });
      return sendText(
        res,
        403,
        'This request did not come from the app’s own page, so it was refused. If you are using the app, ' +
          'reload the page; if that does not help, open the app again with a new link.',
      );
    }
    if (pathname === '/api/session/ticket') return this.#ticket(req, res, session);
    if (pathname.startsWith(CALL_PREFIX)) return this.#call(req, res, pathname.slice(CALL_PREFIX.length));
    if (pathname === '/api/events') return this.#events.open(req, res);
    if (pathname === '/api/upload') return handleUpload(req, res, this.#options);
    if (pathname === '/api/export/batches') return this.#exportBatches(req, res, url.searchParams.get('fileId') ?? '');
    return sendText(res, 404, 'Not found.');
  }

  /** A download ticket for the page, which then follows a plain link to the download. */
  #ticket(req: IncomingMessage, res: ServerResponse, session: Session): void {
    if (req.method !== 'POST') return sendText(res, 405, 'Tickets are asked for with POST.');
    sendJson(res, 200, { ok: true, value: { ticket: this.#sessions.issueTicket(session) } });
  }

  /** `POST /api/call/<name>`: one call of the contract, its JSON argument in the body, its envelope back. */
  async #call(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
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
    const envelope = await this.#options.dispatch(name, args);
    const status = envelope.ok ? 200 : statusFor(envelope.error.code);
    sendJson(res, status, envelope);
  }

  async #exportBatches(req: IncomingMessage, res: ServerResponse, fileId: string): Promise<void> {
    if (req.method !== 'GET') return sendText(res, 405, 'Downloads are made with GET.');
    const { exportBatches } = this.#options;
    if (!exportBatches || !UUID.test(fileId)) return sendText(res, 404, 'There is nothing to download here.');
    let exporter: ReturnType<typeof exportBatches>;
    try {
      exporter = exportBatches(fileId);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      return sendText(res, statusFor(error.code), error.message);
    }
    const attachment: Attachment = {
      fileName: exporter.fileName,
      contentType: 'application/jsonl; charset=utf-8',
      write: (out) => exporter.write(out),
    };
    await sendAttachment(res, attachment, this.#log);
  }

  /** `GET /api/download/<id>`: an export a call offered (`Downloads` in main/services), fetched once. */
  async #download(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    if (req.method !== 'GET') return sendText(res, 405, 'Downloads are made with GET.');
    const offer = UUID.test(id) ? (this.#options.takeDownload?.(id) ?? null) : null;
    if (!offer) return sendText(res, 404, 'This download has already been fetched or has expired. Export it again.');
    await sendAttachment(res, offer, this.#log);
  }
}
