/**
 * The sender: delivers batches to Vitally's Analytics API as fast as Vitally lets it and never loses one.
 * The rules are decisions 7–9 of the API reference's §11:
 * - 1 to 8 requests in flight, starting at 2: one more after each success (additive increase), halved on a
 *   429, a 5xx, a timeout or a dropped connection (multiplicative decrease);
 * - `Retry-After` (seconds or an HTTP date) and `RateLimit-Reset` hold every request back until then;
 *   otherwise retries back off exponentially with full jitter, from 1 s to 60 s;
 * - a 400 on a batch of several messages is bisected until the messages Vitally refuses are found;
 * - 401/403 pause everything and ask for a new token; nothing is lost;
 * - a 400 naming a blocked type holds back the batches that contain it; the others go on.
 * Network waits are asynchronous: the sender never blocks the thread it runs on.
 */
import type { Batch, Outcome } from '../batch/batcher.ts';
import { statusOf } from './fetch-port.ts';

export type { Batch, Outcome } from '../batch/batcher.ts';

/** Why the sender waits before trying a batch again. */
export type WaitReason = 'rate-limited' | 'server-error' | 'timeout' | 'connection' | 'redirected';

export type SenderStatus =
  | { kind: 'sending'; inFlight: number; concurrency: number }
  | { kind: 'waiting'; reason: WaitReason; untilMs: number }
  /** Paused by the user; `inFlight` requests sent before the pause are still being answered. */
  | { kind: 'paused'; reason: 'user'; inFlight: number }
  /** Cancelled by the user; the run ends once the `inFlight` requests already sent are answered. */
  | { kind: 'cancelling'; inFlight: number }
  | { kind: 'paused'; reason: 'token'; status: number }
  | { kind: 'holding'; blockedTypes: readonly string[] }
  | { kind: 'finished' }
  | { kind: 'cancelled' };

export interface SenderHooks {
  /** Called before a batch (or part) goes out: the journal records it as sending. */
  onSending?: (batch: Batch) => void;
  /** Called once per batch or part with its final outcome. */
  onOutcome?: (batch: Batch, outcome: Outcome) => void;
  /**
   * A batch that went out came back without an outcome and waits to be sent again: `unknown` when Vitally may
   * have it (a timeout, a dropped connection), `not-sent` when it certainly does not (429, 5xx, 401/403).
   */
  onUnsettled?: (batch: Batch, how: 'unknown' | 'not-sent') => void;
  /** A batch was split in two after a 400: the parts replace it. */
  onSplit?: (batch: Batch, parts: [Batch, Batch]) => void;
  onStatus?: (status: SenderStatus) => void;
}

export interface SenderOptions {
  baseUrl: string;
  token: string;
  hooks?: SenderHooks;
  initialConcurrency?: number;
  maxConcurrency?: number;
  /** Per request; a request that takes longer is abandoned and retried (its outcome was unknown). */
  timeoutMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** How requests go out: Node's `fetch` by default; the desktop app's goes through Electron's (`fetch-port.ts`). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Waits; tests pass one that only records. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

const BLOCKED = /blocked/i;

/** Sends batches; `run` resolves when every batch has an outcome, or the run is cancelled. */
export class Sender {
  readonly #options: Required<Omit<SenderOptions, 'hooks'>> & { hooks: SenderHooks };
  readonly #queue: Batch[] = [];
  readonly #held: Batch[] = [];
  /** Where batches not yet queued come from: read a few at a time, so a million-message run is never all in memory. */
  #source: Iterator<Batch> | null = null;
  readonly #blockedTypes = new Set<string>();
  readonly #attempts = new Map<string, number>();
  #concurrency: number;
  #notBefore = 0;
  #paused: 'user' | 'token' | null = null;
  #lastStatus: SenderStatus['kind'] | null = null;
  #waitReason: WaitReason = 'rate-limited';
  #cancelled = false;
  #inFlightCount = 0;
  #wake: (() => void) | null = null;

  constructor(options: SenderOptions) {
    this.#options = {
      initialConcurrency: 2,
      maxConcurrency: 8,
      timeoutMs: 30_000,
      baseBackoffMs: 1000,
      maxBackoffMs: 60_000,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      fetch: (url, init) => fetch(url, init),
      random: Math.random,
      now: Date.now,
      hooks: {},
      ...options,
    };
    this.#concurrency = this.#options.initialConcurrency;
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  get concurrency(): number {
    return Math.floor(this.#concurrency);
  }

  async run(batches: Iterable<Batch>): Promise<void> {
    this.#source = batches[Symbol.iterator]();
    const workers = new Set<Promise<void>>();
    for (;;) {
      if (this.#cancelled) break;
      const ready = this.#paused === null && workers.size < this.concurrency && this.#hasQueued();
      if (ready) {
        const wait = this.#notBefore - this.#options.now();
        if (wait > 0) {
          // Told once per wait (again after a pause or a send in between).
          if (this.#lastStatus !== 'waiting')
            this.#status({ kind: 'waiting', reason: this.#waitReason, untilMs: this.#notBefore });
          await Promise.race([this.#options.sleep(wait), this.#nextWake()]);
          continue;
        }
        const batch = this.#queue.shift() as Batch;
        const worker = this.#send(batch).finally(() => {
          workers.delete(worker);
          this.#inFlightCount = workers.size;
          // A pause is settled once the requests sent before it are answered: the counts are then final.
          if (this.#paused === 'user' && !this.#cancelled)
            this.#status({ kind: 'paused', reason: 'user', inFlight: workers.size });
          else if (this.#cancelled && workers.size > 0) this.#status({ kind: 'cancelling', inFlight: workers.size });
          this.#wakeUp();
        });
        workers.add(worker);
        this.#inFlightCount = workers.size;
        this.#status({ kind: 'sending', inFlight: workers.size, concurrency: this.concurrency });
        continue;
      }
      // Done when nothing is queued or in flight; held batches stay pending in the journal for a later run.
      if (workers.size === 0 && this.#paused === null && !this.#hasQueued()) break;
      await this.#nextWake();
    }
    if (this.#cancelled && workers.size > 0) this.#status({ kind: 'cancelling', inFlight: workers.size });
    await Promise.all(workers);
    if (this.#cancelled) this.#status({ kind: 'cancelled' });
    else if (this.#held.length > 0) this.#status({ kind: 'holding', blockedTypes: [...this.#blockedTypes] });
    else this.#status({ kind: 'finished' });
  }

  /** Batches held back because they contain a blocked type. */
  get held(): readonly Batch[] {
    return this.#held;
  }

  /** Sends nothing more until `resume`; requests already sent are answered and recorded. */
  pause(): void {
    this.#paused ??= 'user';
    this.#status({ kind: 'paused', reason: 'user', inFlight: this.#inFlightCount });
  }

  resume(): void {
    this.#paused = null;
    this.#wakeUp();
  }

  /** After a 401/403: carry on with a new token. */
  setToken(token: string): void {
    this.#options.token = token;
    if (this.#paused === 'token') this.#paused = null;
    this.#wakeUp();
  }

  /**
   * Sends nothing more, and ends the run once the requests already sent are answered (each within its timeout),
   * so that every outcome Vitally gives is recorded: the counts then equal what Vitally received. A request that
   * Vitally answers with a retry (429, 5xx) is not retried; its batch stays to be sent.
   */
  cancel(): void {
    this.#cancelled = true;
    this.#wakeUp();
  }

  async #send(batch: Batch): Promise<void> {
    if (batch.types.some((type) => this.#blockedTypes.has(type))) {
      this.#held.push(batch);
      return;
    }
    this.#options.hooks.onSending?.(batch);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('timeout')), this.#options.timeoutMs);
    const token = this.#options.token;
    let response: Response;
    let text: string;
    try {
      response = await this.#options.fetch(`${this.#options.baseUrl}/batch`, {
        method: 'POST',
        headers: { Authorization: `Basic ${token}`, 'Content-Type': 'application/json' },
        body: `[${batch.messages.join(',')}]`,
        signal: controller.signal,
        // A redirect is never followed: fetch would turn the POST into a GET whose 200 looks like an acceptance.
        redirect: 'manual',
      });
      text = await response.text();
    } catch {
      // Vitally may have received it: its outcome is unknown until it is sent again (with the same messageIds).
      this.#options.hooks.onUnsettled?.(batch, 'unknown');
      if (this.#cancelled) return;
      const timedOut = controller.signal.reason instanceof Error && controller.signal.reason.message === 'timeout';
      return this.#retry(batch, timedOut ? 'timeout' : 'connection', null);
    } finally {
      clearTimeout(timer);
    }

    const status = statusOf(response);
    if (status >= 200 && status < 300) {
      this.#concurrency = Math.min(this.#options.maxConcurrency, this.#concurrency + 1 / this.#concurrency);
      this.#options.hooks.onOutcome?.(batch, { kind: 'accepted', status });
      return;
    }
    if (status === 401 || status === 403) {
      this.#options.hooks.onUnsettled?.(batch, 'not-sent');
      if (this.#cancelled) return;
      this.#queue.unshift(batch);
      // A request the old token made, answered after a new token came: the new one will be tried.
      if (token !== this.#options.token) return;
      this.#paused = 'token';
      this.#status({ kind: 'paused', reason: 'token', status });
      return;
    }
    if (status >= 300 && status < 400) {
      // Nothing was taken: the address points at something that is not the API (a login page, another host).
      this.#options.hooks.onUnsettled?.(batch, 'not-sent');
      if (this.#cancelled) return;
      return this.#retry(batch, 'redirected', null);
    }
    if (status === 429 || status >= 500) {
      // A 429 refused the request; after a 5xx (a proxy's 502, say) Vitally may have taken it.
      this.#options.hooks.onUnsettled?.(batch, status === 429 ? 'not-sent' : 'unknown');
      if (this.#cancelled) return;
      return this.#retry(batch, status === 429 ? 'rate-limited' : 'server-error', response.headers);
    }
    const reason = errorText(text) ?? `Vitally answered ${status}.`;
    if (status === 400 && BLOCKED.test(reason)) {
      const type = batch.types.find((t) => reason.includes(t)) ?? null;
      for (const t of type ? [type] : new Set(batch.types)) this.#blockedTypes.add(t);
      this.#held.push(batch);
      this.#status({ kind: 'holding', blockedTypes: [...this.#blockedTypes] });
      return;
    }
    if (batch.messages.length > 1) {
      const parts = split(batch);
      this.#options.hooks.onSplit?.(batch, parts);
      this.#queue.unshift(...parts);
      return;
    }
    this.#options.hooks.onOutcome?.(batch, { kind: 'rejected', status, reason });
  }

  #retry(batch: Batch, reason: WaitReason, headers: Headers | null) {
    this.#concurrency = Math.max(1, this.#concurrency / 2);
    const attempt = (this.#attempts.get(batch.id) ?? 0) + 1;
    this.#attempts.set(batch.id, attempt);
    const asked = headers ? retryAfterMs(headers, this.#options.now()) : null;
    const ceiling = Math.min(this.#options.maxBackoffMs, this.#options.baseBackoffMs * 2 ** (attempt - 1));
    const wait = asked ?? Math.floor(this.#options.random() * ceiling);
    this.#notBefore = Math.max(this.#notBefore, this.#options.now() + wait);
    this.#waitReason = reason;
    // While paused, the pause is what the user sees; the wait is told when sending resumes.
    if (this.#paused === null) this.#status({ kind: 'waiting', reason, untilMs: this.#notBefore });
    this.#queue.unshift(batch);
  }

  /** Whether a batch is waiting to be sent: one put back, or the next from the source. */
  #hasQueued(): boolean {
    if (this.#queue.length > 0) return true;
    const next = this.#source?.next();
    if (!next || next.done) {
      this.#source = null;
      return false;
    }
    this.#queue.push(next.value);
    return true;
  }

  #status(status: SenderStatus): void {
    this.#lastStatus = status.kind;
    this.#options.hooks.onStatus?.(status);
  }

  #nextWake(): Promise<void> {
    return new Promise((resolve) => (this.#wake = resolve));
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

/** How long Vitally asked to wait: `Retry-After` (seconds or a date), else `RateLimit-Reset` (seconds). */
export function retryAfterMs(headers: Headers, now: number): number | null {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const reset = Number(headers.get('ratelimit-reset'));
  return headers.get('ratelimit-reset') !== null && Number.isFinite(reset) && reset >= 0 ? reset * 1000 : null;
}

function split(batch: Batch): [Batch, Batch] {
  const half = Math.ceil(batch.messages.length / 2);
  return [
    { id: `${batch.id}.1`, messages: batch.messages.slice(0, half), types: batch.types.slice(0, half) },
    { id: `${batch.id}.2`, messages: batch.messages.slice(half), types: batch.types.slice(half) },
  ];
}

function errorText(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    const text = parsed.error ?? parsed.message;
    return typeof text === 'string' ? text : null;
  } catch {
    return body.trim() || null;
  }
}
