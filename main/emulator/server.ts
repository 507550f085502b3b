/**
 * A Vitally Analytics API emulator: a real HTTP server on 127.0.0.1 that implements the API as the shared
 * reference describes it (§8) — routes, auth, validation of every message type, the 100-message limit, a body
 * limit, blocked types, messageId de-duplication and a workspace state — with faults on demand (rate limiting,
 * 5xx, latency, requests never answered, connections reset mid-response) and every unknown of §9 as a switch.
 * Tests drive it directly (through `test/emulator/`); `npm run emulator` runs it for a dry run of the app; and the
 * app itself starts one for its practice workspace ("Try it without Vitally", `main/services/practice.ts`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WorkspaceState } from './state.ts';
import { isMessageType, messageProblem, MESSAGE_TYPES, type Message, type MessageType } from './validate.ts';

export const API_PREFIX = '/analytics/v1';

export interface RateLimit {
  /** Requests allowed per window. */
  requests: number;
  windowMs: number;
  /** How a 429 says when to come back: `Retry-After` in seconds, as an HTTP date, or not at all. */
  retryAfter: 'seconds' | 'date' | 'none';
  /** Whether `RateLimit-Limit/Remaining/Reset` headers are sent (as Vitally's REST API does). */
  rateLimitHeaders: boolean;
}

export interface EmulatorConfig {
  token: string;
  /** Unknown §9.2: also accept `Basic base64(token + ":")`. */
  acceptBase64Token: boolean;
  /** Unknown §9.8: bodies above this get 413. */
  maxBodyBytes: number;
  maxBatch: number;
  /** How an empty batch (the app's connection test) is answered. */
  emptyBatch: 'accept' | 'reject';
  blockedTypes: MessageType[];
  /** Unknown §9.5: a batch holding a blocked type is refused whole, or its blocked messages silently dropped. */
  blockedInBatch: 'reject' | 'drop';
  /** Unknown §9.4: invalid messages of a batch are dropped and the rest applied, instead of a 400 for all. */
  partialAccept: boolean;
  /** Unknown §9.6. */
  nullClears: boolean;
  /** Unknown §9.7. */
  dedupScope: 'type' | 'global';
  /** Unknown §9.10: organization messages get 400 when organizations are not enabled. */
  organizationsEnabled: boolean;
  /** Accepted messages become visible in the state only after this long (Census's "seconds to minutes"). */
  visibilityDelayMs: number;
  latencyMs: number;
  rateLimit: RateLimit | null;
  /**
   * Messages whose `field` (a dotted path such as `traits.email`) equals `value`, or one of its values, are refused
   * with a 400, as Vitally may refuse a message it dislikes.
   */
  refuse: { field: string; value: string | readonly string[] } | null;
  /** Probability (0–1) that a request fails with a random 5xx, from a seeded sequence. */
  errorRate: number;
  seed: number;
  /**
   * Whether `/__emulator/*` (state, reset, config, faults) is served: for tests and `npm run emulator`, never for
   * the app's built-in practice workspace, which any page on this computer could otherwise reconfigure.
   */
  controlRoutes: boolean;
}

/** A fault for the next request: queued faults are used one per request, in order. */
export type Fault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number; body?: string }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number };

export const DEFAULT_CONFIG: EmulatorConfig = {
  token: 'emulator-token',
  acceptBase64Token: false,
  maxBodyBytes: 1024 * 1024,
  maxBatch: 100,
  emptyBatch: 'reject',
  blockedTypes: [],
  blockedInBatch: 'reject',
  partialAccept: false,
  nullClears: true,
  dedupScope: 'type',
  organizationsEnabled: true,
  visibilityDelayMs: 0,
  latencyMs: 0,
  rateLimit: null,
  refuse: null,
  errorRate: 0,
  seed: 1,
  controlRoutes: true,
};

export interface RequestRecord {
  path: string;
  status: number;
  messages: number;
  /** The messageIds a batch carried, whatever became of it. */
  messageIds: string[];
}

export interface Emulator {
  readonly port: number;
  /** The base URL the app is configured with: `http://127.0.0.1:<port>/analytics/v1`. */
  readonly baseUrl: string;
  readonly config: EmulatorConfig;
  state: WorkspaceState;
  readonly requests: RequestRecord[];
  configure(patch: Partial<EmulatorConfig>): void;
  /** Called as each API request arrives, before it is answered. */
  onRequest(listener: (count: number) => void): () => void;
  fault(...faults: Fault[]): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startEmulator(options: Partial<EmulatorConfig> & { port?: number } = {}): Promise<Emulator> {
  const { port: wantedPort, ...overrides } = options;
  const config: EmulatorConfig = { ...DEFAULT_CONFIG, ...overrides };
  let state = new WorkspaceState(config);
  const requests: RequestRecord[] = [];
  const faults: Fault[] = [];
  const sockets = new Set<Socket>();
  const recent: number[] = [];
  let random = config.seed >>> 0;
  const nextRandom = () => {
    random = (random * 1664525 + 1013904223) >>> 0;
    return random / 2 ** 32;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: error instanceof Error ? error.message : 'emulator error' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const listeners = new Set<(count: number) => void>();
  // Each request's own messageIds: requests overlap in time, so nothing about one may be shared with another.
  const record = (messageIds: string[], path: string, status: number, messages: number) => {
    requests.push({ path, status, messages, messageIds });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (url.pathname.startsWith('/__emulator/')) {
      return config.controlRoutes ? inspect(req, res, url.pathname) : send(res, 404, { error: 'Not found.' });
    }
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) return send(res, 404, { error: 'Not found.' });
    const endpoint = url.pathname.slice(API_PREFIX.length + 1);
    if (endpoint !== 'batch' && !isMessageType(endpoint)) return send(res, 404, { error: 'Not found.' });
    if (req.method !== 'POST') return send(res, 405, { error: 'Method not allowed.' });

    const body = await readBody(req, config.maxBodyBytes);
    const ids = idsIn(body);
    for (const listener of listeners) listener(requests.length + 1);

    const fault = faults.shift();
    if (fault?.kind === 'hang') {
      record(ids, url.pathname, 0, 0); // Never answered.
      return;
    }
    if (fault?.kind === 'reset') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"mess');
      record(ids, url.pathname, -1, 0);
      req.socket.destroy();
      return;
    }
    const delay = (fault?.kind === 'delay' ? fault.ms : 0) + config.latencyMs;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (fault?.kind === 'status') {
      if (fault.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(fault.retryAfterSeconds));
      record(ids, url.pathname, fault.status, 0);
      return send(res, fault.status, { error: fault.body ?? `Injected ${fault.status}.` });
    }
    if (config.rateLimit && !admit(res, config.rateLimit)) {
      record(ids, url.pathname, 429, 0);
      return send(res, 429, { error: 'Too many requests.' });
    }
    if (config.errorRate > 0 && nextRandom() < config.errorRate) {
      const status = [500, 502, 503][Math.floor(nextRandom() * 3)] ?? 500;
      record(ids, url.pathname, status, 0);
      return send(res, status, { error: 'Something went wrong.' });
    }

    if (!authorised(req.headers.authorization)) {
      record(ids, url.pathname, 401, 0);
      return send(res, 401, { error: 'Authorization header not present or not valid.' });
    }
    if (body === null) {
      record(ids, url.pathname, 413, 0);
      return send(res, 413, { error: 'Request entity too large.' });
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      record(ids, url.pathname, 400, 0);
      return send(res, 400, { error: 'Content-Type must be application/json.' });
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      record(ids, url.pathname, 400, 0);
      return send(res, 400, { error: 'Invalid JSON.' });
    }
    const outcome = endpoint === 'batch' ? checkBatch(payload) : checkSingle(endpoint, payload);
    record(ids, url.pathname, outcome.status, outcome.messages.length);
    if (outcome.status !== 200) return send(res, outcome.status, { error: outcome.error });
    const apply = () => outcome.messages.forEach(({ type, message }) => state.apply(type, message));
    if (config.visibilityDelayMs > 0) setTimeout(apply, config.visibilityDelayMs).unref();
    else apply();
    send(res, 200, { message: 'Success.' });
  }

  type Outcome = { status: number; error: string; messages: { type: MessageType; message: Message }[] };

  function checkSingle(type: MessageType, payload: unknown): Outcome {
    if (config.blockedTypes.includes(type)) {
      return { status: 400, error: `Message type "${type}" is blocked for this workspace.`, messages: [] };
    }
    if (type === 'organization' && !config.organizationsEnabled) {
      return { status: 400, error: 'Organizations are not enabled for this workspace.', messages: [] };
    }
    const problem = messageProblem(type, payload);
    if (problem) return { status: 400, error: problem, messages: [] };
    const refuse = config.refuse;
    if (refuse) {
      const found = refuse.field
        .split('.')
        .reduce<unknown>((value, key) => (value as Record<string, unknown> | null)?.[key], payload);
      const refused = typeof refuse.value === 'string' ? [refuse.value] : refuse.value;
      if (typeof found === 'string' && refused.includes(found)) {
        return { status: 400, error: `${refuse.field} "${found}" is not accepted by this workspace.`, messages: [] };
      }
    }
    return { status: 200, error: '', messages: [{ type, message: payload as Message }] };
  }

  function checkBatch(payload: unknown): Outcome {
    if (!Array.isArray(payload))
      return { status: 400, error: 'The body must be a JSON array of messages.', messages: [] };
    if (payload.length === 0) {
      return config.emptyBatch === 'accept'
        ? { status: 200, error: '', messages: [] }
        : { status: 400, error: 'A batch must contain 1 to 100 messages.', messages: [] };
    }
    if (payload.length > config.maxBatch) {
      return { status: 400, error: `A batch must contain 1 to ${config.maxBatch} messages.`, messages: [] };
    }
    const accepted: Outcome['messages'] = [];
    for (const [index, element] of payload.entries()) {
      const type = (element as { type?: unknown } | null)?.type;
      if (!isMessageType(type)) {
        if (config.partialAccept) continue;
        return {
          status: 400,
          error: `Message ${index}: type must be one of ${MESSAGE_TYPES.join(', ')}.`,
          messages: [],
        };
      }
      if (config.blockedTypes.includes(type)) {
        if (config.blockedInBatch === 'drop') continue;
        return { status: 400, error: `Message type "${type}" is blocked for this workspace.`, messages: [] };
      }
      const single = checkSingle(type, element);
      if (single.status !== 200) {
        if (config.partialAccept) continue;
        return { status: 400, error: `Message ${index}: ${single.error}`, messages: [] };
      }
      accepted.push(...single.messages);
    }
    return { status: 200, error: '', messages: accepted };
  }

  function authorised(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const credential = header.slice('Basic '.length);
    if (credential === config.token) return true;
    return config.acceptBase64Token && credential === Buffer.from(`${config.token}:`).toString('base64');
  }

  /** A sliding-window limiter: true when the request may go on; otherwise 429 headers are set. */
  function admit(res: ServerResponse, limit: RateLimit): boolean {
    const now = Date.now();
    while (recent.length > 0 && (recent[0] ?? 0) <= now - limit.windowMs) recent.shift();
    const allowed = recent.length < limit.requests;
    if (allowed) recent.push(now);
    const resetMs = recent.length > 0 ? (recent[0] ?? now) + limit.windowMs - now : 0;
    const resetSeconds = Math.max(1, Math.ceil(resetMs / 1000));
    if (limit.rateLimitHeaders) {
      res.setHeader(
        'RateLimit-Limit',
        `${limit.requests}, ${limit.requests};window=${Math.ceil(limit.windowMs / 1000)}`,
      );
      res.setHeader('RateLimit-Remaining', String(Math.max(0, limit.requests - recent.length)));
      res.setHeader('RateLimit-Reset', String(resetSeconds));
    }
    if (!allowed && limit.retryAfter === 'seconds') res.setHeader('Retry-After', String(resetSeconds));
    if (!allowed && limit.retryAfter === 'date') res.setHeader('Retry-After', new Date(now + resetMs).toUTCString());
    return allowed;
  }

  async function inspect(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path === '/__emulator/state' && req.method === 'GET') {
      return send(res, 200, { ...state.snapshot(), requests, config: { ...config, token: undefined } });
    }
    if (req.method !== 'POST') return send(res, 405, { error: 'Method not allowed.' });
    const body = (await readBody(req, 1024 * 1024)) ?? '{}';
    if (path === '/__emulator/reset') emulator.reset();
    else if (path === '/__emulator/config') emulator.configure(JSON.parse(body) as Partial<EmulatorConfig>);
    else if (path === '/__emulator/faults') emulator.fault(...(JSON.parse(body) as Fault[]));
    else return send(res, 404, { error: 'Not found.' });
    send(res, 200, { ok: true });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(wantedPort ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const emulator: Emulator = {
    port,
    baseUrl: `http://127.0.0.1:${port}${API_PREFIX}`,
    config,
    get state() {
      return state;
    },
    set state(next) {
      state = next;
    },
    requests,
    configure(patch) {
      Object.assign(config, patch);
    },
    onRequest(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    fault(...more) {
      faults.push(...more);
    },
    reset() {
      state = new WorkspaceState(config);
      requests.length = 0;
      faults.length = 0;
      recent.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return emulator;
}

/** The messageIds in a request body, for the request log; nothing when it is not a JSON array. */
function idsIn(body: string | null): string[] {
  if (body === null) return [];
  try {
    const parsed = JSON.parse(body) as unknown;
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.flatMap((message) => {
      const id = (message as { messageId?: unknown } | null)?.messageId;
      return typeof id === 'string' ? [id] : [];
    });
  } catch {
    return [];
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The body as text, or null when it is larger than `limit` (the rest is read and thrown away). */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
