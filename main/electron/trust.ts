/**
 * What the desktop shell trusts, as pure functions of the values Electron hands over (URLs as strings, a frame's
 * parent, whether the sender is the app's window), so that every decision is tested under Node without the
 * Electron runtime. Nothing here imports `electron`.
 */

export const RENDERER_SCHEME = 'app';
export const RENDERER_HOST = 'renderer';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://${RENDERER_HOST}`;
export const RENDERER_URL = `${RENDERER_ORIGIN}/index.html`;

/**
 * Whether a URL is one of the app's own pages (`app://renderer/…`). Node's URL gives a scheme it does not know
 * the origin `"null"`, so the parts are compared one by one instead of the origin: the scheme, the host exactly
 * (no user, password or port), and nothing else.
 */
export function isAppPageUrl(url: string): boolean {
  const parsed = parsedUrl(url);
  if (!parsed) return false;
  return (
    parsed.protocol === `${RENDERER_SCHEME}:` &&
    parsed.host === RENDERER_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** What Electron tells about the frame a call came from (`event.senderFrame`, which may be gone). */
export interface SenderFacts {
  /** The frame's URL, or null when the frame was destroyed before the call arrived. */
  frameUrl: string | null;
  /** Whether the frame is a top frame (`senderFrame.parent === null`). */
  isTopFrame: boolean;
  /** Whether the sending web contents are the app's own window. */
  isAppWindow: boolean;
}

/** A call is answered only from the top frame of the app's own window showing one of the app's own pages. */
export function isTrustedSender(facts: SenderFacts): boolean {
  return facts.isAppWindow && facts.isTopFrame && facts.frameUrl !== null && isAppPageUrl(facts.frameUrl);
}

/** The window may only navigate (or be redirected) within the app's own pages. */
export function mayNavigate(url: string): boolean {
  return isAppPageUrl(url);
}

/**
 * Links a page asks to open go to the system browser only when they are https and lead to Vitally's own sites
 * (its documentation and the workspace's pages); anything else is dropped. A compromised page must not be able
 * to start an arbitrary program or open an arbitrary site through the shell.
 */
export function externalLinkAllowed(url: string): boolean {
  const parsed = parsedUrl(url);
  if (!parsed) return false;
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.port !== '') {
    return false;
  }
  const host = parsed.hostname;
  return host === 'vitally.io' || host.endsWith('.vitally.io');
}

/**
 * Whether the window may load a resource: the app's own pages and files, blob: URLs the page itself made (a
 * template being saved), and the developer tools. Everything else (remote content of any kind) is blocked.
 */
export function mayLoadResource(url: string): boolean {
  if (url.startsWith('blob:')) return isAppPageUrl(url.slice('blob:'.length));
  if (url.startsWith('devtools://')) return true;
  return isAppPageUrl(url);
}

/** The most Copy JSON puts on the clipboard: far more than a batch (Vitally takes a few megabytes per request). */
export const MAX_CLIPBOARD_CHARS = 32 * 1024 * 1024;

/** Why text sent to the clipboard channel is refused, in plain words, or null when it may be copied. */
export function clipboardTextProblem(text: unknown): string | null {
  if (typeof text !== 'string') return 'Only text can be copied.';
  if (text.length > MAX_CLIPBOARD_CHARS) return 'That is too much text to copy at once. Save the batches instead.';
  return null;
}

/**
 * The privileges of the `app:` scheme: a standard, secure origin of its own (so module scripts, workers and
 * `fetch` behave as on https), and V8's code cache for its scripts, which Chromium keeps only for schemes that ask.
 */
export const RENDERER_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
} as const;

/** The URL, or null when it is not one (and so is trusted for nothing). */
function parsedUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
