import type { Bridge, Envelope, EventName, FileSource, SavedBatches } from '../../../app/contract.ts';

const UNREACHABLE =
  "The app's background service is not answering. It may have been stopped: start Vitally Importer again and " +
  'reopen the link it prints.';

/** The header, meta tag and storage key of the web host's session token (see main/web/session.ts). */
const SESSION_HEADER = 'X-Vitally-Session';
const TOKEN_META = 'vitally-session';
const TOKEN_STORAGE = 'vitally-session';
const RECONNECT_MS = 2000;

/**
 * The contract over the loopback web host: each call is a POST to `/api/call/<name>`, events stream from
 * `/api/events`, and a chosen file is uploaded to `/api/upload`. The session cookie set when the page was opened,
 * and the page's session token in `X-Vitally-Session`, authenticate all three. The token arrives once, in a meta
 * tag of the page the link opened; it is kept in this origin's storage (per port, unlike cookies) so a reload or
 * a second tab finds it. Events are read with `fetch`, not `EventSource`, which cannot send a header: the token
 * stays out of every URL.
 */
export function createHttpBridge(): Bridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let streaming = false;
  const memoryToken = adoptToken();
  /** Read afresh each time: a link opened in another tab replaces the cookie and the stored token together. */
  const token = () => {
    try {
      return localStorage.getItem(TOKEN_STORAGE) ?? memoryToken;
    } catch {
      return memoryToken;
    }
  };
  const headers = (extra: Record<string, string> = {}) => ({ [SESSION_HEADER]: token(), ...extra });

  const deliver = (frame: string) => {
    let name = 'message';
    let data = '';
    for (const line of frame.split('\n')) {
      if (line.startsWith('event:')) name = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).replace(/^ /, '');
    }
    if (!data) return;
    const payload: unknown = JSON.parse(data);
    for (const listener of listeners.get(name) ?? []) listener(payload);
  };

  /** Reads the event stream, and reads it again after a break, until the host refuses this page's session. */
  const stream = async () => {
    for (;;) {
      try {
        const response = await fetch('/api/events', { headers: headers(), cache: 'no-store' });
        if (response.status === 401 || response.status === 403) return;
        if (response.ok && response.body) {
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value.replaceAll('\r\n', '\n');
            let end: number;
            while ((end = buffer.indexOf('\n\n')) !== -1) {
              deliver(buffer.slice(0, end));
              buffer = buffer.slice(end + 2);
            }
          }
        }
      } catch {
        // The host is gone or restarting: try again shortly, as EventSource would.
      }
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  };

  const ensureStream = (name: string) => {
    if (!listeners.has(name)) listeners.set(name, new Set());
    if (streaming) return;
    streaming = true;
    void stream();
  };

  const invoke = async (
    name: string,
    args: unknown,
    path = `/api/call/${encodeURIComponent(name)}`,
  ): Promise<Envelope<unknown>> => {
    let response: Response;
    try {
      response = await fetch(path, {
        method: 'POST',
        headers: headers({ 'Content-Type': 'application/json' }),
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
      request.setRequestHeader(SESSION_HEADER, token());
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

  /**
   * The browser saves the batches as a download, served by the web host; its downloads list shows where. A plain
   * link cannot carry the session header, so it carries a single-use ticket the page asks for first.
   */
  const saveBatches = async (fileId: string): Promise<Envelope<SavedBatches>> => {
    const answer = (await invoke('session/ticket', undefined, '/api/session/ticket')) as Envelope<{ ticket: string }>;
    if (!answer.ok) return answer;
    const link = document.createElement('a');
    link.href = `/api/export/batches?fileId=${encodeURIComponent(fileId)}&ticket=${encodeURIComponent(answer.value.ticket)}`;
    link.download = '';
    document.body.append(link);
    link.click();
    link.remove();
    return { ok: true, value: { path: null, batches: 0, download: 'JSON Lines' } };
  };

  /** The page's own clipboard: the web host's page is a secure context (127.0.0.1), and a click allows it. */
  const copyText = async (text: string): Promise<Envelope<{ copied: true }>> => {
    try {
      await navigator.clipboard.writeText(text);
      return { ok: true, value: { copied: true } };
    } catch {
      return { ok: false, error: { code: 'UNAVAILABLE', message: COPY_REFUSED } };
    }
  };

  const target = {
    prepareFile,
    saveBatches,
    copyText,
    subscribe: (name: EventName, listener: (payload: unknown) => void) => {
      ensureStream(name);
      listeners.get(name)?.add(listener);
      return () => void listeners.get(name)?.delete(listener);
    },
  };
  return new Proxy(target, {
    get: (object, property) =>
      property === 'subscribe' || property === 'prepareFile' || property === 'saveBatches' || property === 'copyText'
        ? object[property]
        : (args: unknown) => invoke(String(property), args),
  }) as unknown as Bridge;
}

const COPY_REFUSED = 'The browser did not let the app use the clipboard. Select the text and copy it yourself.';

function errorCodeFor(status: number): 'FORBIDDEN' | 'UNAVAILABLE' {
  return status === 401 || status === 403 ? 'FORBIDDEN' : 'UNAVAILABLE';
}

/**
 * Takes the session token from the meta tag of a page the link just opened (and removes the tag), keeps it in
 * this origin's storage, and takes the link's one-time key out of the address bar; returns it ('' when the page
 * was not opened by a link, and the stored one applies).
 */
function adoptToken(): string {
  const meta = document.querySelector<HTMLMetaElement>(`meta[name="${TOKEN_META}"]`);
  if (!meta) return '';
  const token = meta.content;
  meta.remove();
  try {
    localStorage.setItem(TOKEN_STORAGE, token);
  } catch {
    // Storage is switched off: the token lives as long as this page.
  }
  if (new URLSearchParams(location.search).has('key')) {
    history.replaceState(history.state, '', location.pathname + location.hash);
  }
  return token;
}
