import type { Bridge, Envelope, EventName } from '../../../app/contract.ts';

const UNREACHABLE =
  "The app's background service is not answering. It may have been stopped: start Vitally Importer again and " +
  'reopen the link it prints.';

/**
 * The contract over the loopback web host: each call is a POST to `/api/call/<name>`, events arrive as
 * server-sent events from `/api/events`. The session cookie set when the page was opened authenticates both.
 */
export function createHttpBridge(): Bridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;

  const ensureSource = (name: string) => {
    source ??= new EventSource('/api/events');
    if (listeners.has(name)) return;
    listeners.set(name, new Set());
    source.addEventListener(name, (event) => {
      const payload: unknown = JSON.parse((event as MessageEvent<string>).data);
      for (const listener of listeners.get(name) ?? []) listener(payload);
    });
  };

  const invoke = async (name: string, args: unknown): Promise<Envelope<unknown>> => {
    let response: Response;
    try {
      response = await fetch(`/api/call/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(args ?? {}),
        credentials: 'same-origin',
      });
    } catch {
      return { ok: false, error: { code: 'UNAVAILABLE', message: UNREACHABLE } };
    }
    if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) {
      const text = await response.text().catch(() => '');
      const code = response.status === 401 || response.status === 403 ? 'FORBIDDEN' : 'UNAVAILABLE';
      return { ok: false, error: { code, message: text || UNREACHABLE } };
    }
    return (await response.json()) as Envelope<unknown>;
  };

  const target = {
    subscribe: (name: EventName, listener: (payload: unknown) => void) => {
      ensureSource(name);
      listeners.get(name)?.add(listener);
      return () => void listeners.get(name)?.delete(listener);
    },
  };
  return new Proxy(target, {
    get: (object, property) =>
      property === 'subscribe' ? object.subscribe : (args: unknown) => invoke(String(property), args),
  }) as unknown as Bridge;
}
