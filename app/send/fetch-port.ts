/**
 * Requests to Vitally made by the host's own `fetch`, from a worker thread. The desktop app sends through
 * Electron's `net.fetch` (Chromium's network stack: the system's proxy settings and certificate store, so a
 * corporate TLS proxy works), which exists only in Electron's main thread; the send worker asks main over a
 * `MessagePort` instead of calling Node's `fetch`. The worker side is a `fetch` of its own (`fetchThroughPort`),
 * main's side answers with the host's (`serveFetchOnPort`). Aborting a request (a timeout, Cancel) aborts it in
 * main too. Only what the sender uses crosses: method, headers, a text body, whether to follow a redirect (never,
 * for the sender), the status and a text answer.
 */
import type { MessagePort } from 'node:worker_threads';

/** The `fetch` the sender needs: a URL and its options, a `Response`. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

type PortRequest =
  | {
      kind: 'request';
      id: number;
      url: string;
      method: string;
      headers: [string, string][];
      body: string | null;
      redirect: RequestRedirect;
    }
  | { kind: 'abort'; id: number };

type PortAnswer =
  | { kind: 'response'; id: number; status: number; statusText: string; headers: [string, string][]; body: string }
  | { kind: 'error'; id: number; message: string };

/** How an opaque redirect (one the host's `fetch` was told not to follow) is told: as a redirect status. */
export const OPAQUE_REDIRECT_STATUS = 307;

/**
 * A response's status, where a redirect that was not followed and came back opaque (status 0, as a browser-like
 * `fetch` gives it) is `OPAQUE_REDIRECT_STATUS`: every caller then sees one kind of redirect, a 3xx.
 */
export function statusOf(response: Response): number {
  return response.type === 'opaqueredirect' || response.status === 0 ? OPAQUE_REDIRECT_STATUS : response.status;
}

/** Statuses whose response may carry no body (the `Response` constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** The worker's side: a `fetch` that asks whoever holds the other end of `port`. */
export function fetchThroughPort(port: MessagePort): FetchLike {
  let nextId = 1;
  const waiting = new Map<number, { resolve: (response: Response) => void; reject: (error: Error) => void }>();
  // The port keeps the thread alive only while a request waits for its answer.
  port.unref();
  const settle = (id: number) => {
    const entry = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) port.unref();
    return entry;
  };
  port.on('message', (answer: PortAnswer) => {
    const entry = settle(answer.id);
    if (!entry) return;
    if (answer.kind === 'error') {
      entry.reject(new TypeError(`fetch failed: ${answer.message}`));
      return;
    }
    entry.resolve(
      new Response(NULL_BODY.has(answer.status) ? null : answer.body, {
        status: answer.status,
        statusText: answer.statusText,
        headers: answer.headers,
      }),
    );
  });

  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal ?? null;
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const id = nextId++;
      const onAbort = () => {
        if (!settle(id)) return;
        port.postMessage({ kind: 'abort', id } satisfies PortRequest);
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      waiting.set(id, {
        resolve: (response) => {
          done();
          resolve(response);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      port.ref();
      port.postMessage({
        kind: 'request',
        id,
        url,
        method: init.method ?? 'GET',
        headers: [...new Headers(init.headers).entries()],
        body: typeof init.body === 'string' ? init.body : null,
        redirect: init.redirect ?? 'follow',
      } satisfies PortRequest);
    });
}

function abortError(signal: AbortSignal | null): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}

/** Main's side: answers every request arriving on `port` with `fetch`. Returns a function that stops answering. */
export function serveFetchOnPort(port: MessagePort, fetch: FetchLike): () => void {
  const inFlight = new Map<number, AbortController>();
  const answer = (message: PortAnswer) => {
    try {
      port.postMessage(message);
    } catch {
      // The worker is gone: nobody is waiting for this answer.
    }
  };
  port.on('message', (request: PortRequest) => {
    if (request.kind === 'abort') {
      inFlight.get(request.id)?.abort();
      inFlight.delete(request.id);
      return;
    }
    const controller = new AbortController();
    inFlight.set(request.id, controller);
    void (async () => {
      try {
        const response = await fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: controller.signal,
          redirect: request.redirect,
        });
        const body = await response.text();
        // A redirect not followed may come back opaque (status 0), which no `Response` can be made with.
        const status = statusOf(response);
        const opaque = status !== response.status;
        answer({
          kind: 'response',
          id: request.id,
          status,
          statusText: opaque ? 'Redirect not followed' : response.statusText,
          headers: [...response.headers.entries()],
          body,
        });
      } catch (error) {
        if (!controller.signal.aborted) {
          answer({ kind: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
        }
      } finally {
        inFlight.delete(request.id);
      }
    })();
  });
  return () => {
    for (const controller of inFlight.values()) controller.abort();
    inFlight.clear();
    port.close();
  };
}
