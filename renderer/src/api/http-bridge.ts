import type { Bridge, Envelope, EventName, FileSource, SavedBatches } from '../../../app/contract.ts';

const UNREACHABLE =
  "The app's background service is not answering. It may have been stopped: start Vitally Importer again and " +
  'reopen the link it prints.';

/**
 * The contract over the loopback web host: each call is a POST to `/api/call/<name>`, events arrive as
 * server-sent events from `/api/events`, and a chosen file is uploaded to `/api/upload`. The session cookie set
 * when the page was opened authenticates all three.
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
      return { ok: false, error: { code: errorCodeFor(response.status), message: text || UNREACHABLE } };
    }
    return (await response.json()) as Envelope<unknown>;
  };

  /** Uploads with XMLHttpRequest, the one browser API that reports upload progress. */
  const prepareFile = (file: File, onProgress?: (sent: number, total: number) => void) =>
    new Promise<Envelope<FileSource>>((resolve) => {
      const request = new XMLHttpRequest();
      request.open('POST', '/api/upload');
      request.setRequestHeader('Content-Type', 'application/octet-stream');
      request.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
      request.upload.onprogress = (event) => onProgress?.(event.loaded, event.total || file.size);
      request.onerror = () => resolve({ ok: false, error: { code: 'UNAVAILABLE', message: UNREACHABLE } });
      request.onload = () => {
        if ((request.getResponseHeader('content-type') ?? '').startsWith('application/json')) {
          resolve(JSON.parse(request.responseText) as Envelope<FileSource>);
        } else {
          const code = errorCodeFor(request.status);
          resolve({ ok: false, error: { code, message: request.responseText || UNREACHABLE } });
        }
      };
      request.send(file);
    });

  /** The browser saves the batches as a download, served by the web host; its downloads list shows where. */
  const saveBatches = (fileId: string): Promise<Envelope<SavedBatches>> => {
    const link = document.createElement('a');
    link.href = `/api/export/batches?fileId=${encodeURIComponent(fileId)}`;
    link.download = '';
    document.body.append(link);
    link.click();
    link.remove();
    return Promise.resolve({ ok: true, value: { path: null, batches: 0, download: 'JSON Lines' } });
  };

  const target = {
    prepareFile,
    saveBatches,
    subscribe: (name: EventName, listener: (payload: unknown) => void) => {
      ensureSource(name);
      listeners.get(name)?.add(listener);
      return () => void listeners.get(name)?.delete(listener);
    },
  };
  return new Proxy(target, {
    get: (object, property) =>
      property === 'subscribe' || property === 'prepareFile' || property === 'saveBatches'
        ? object[property]
        : (args: unknown) => invoke(String(property), args),
  }) as unknown as Bridge;
}

function errorCodeFor(status: number): 'FORBIDDEN' | 'UNAVAILABLE' {
  return status === 401 || status === 403 ? 'FORBIDDEN' : 'UNAVAILABLE';
}
