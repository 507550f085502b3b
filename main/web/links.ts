import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';
import { rendererFile } from '../static-files.ts';
import { sendText } from './respond.ts';
import { LINK_PARAM, TOKEN_META, type Sessions } from './session.ts';

const WHERE_LINKS_ARE = 'the terminal where Vitally Importer is running (where “npm start” or “npm run web” was typed)';

/**
 * The links that open the app (`/?key=…`) and the pages about them: a link's first visit gets the app's page with
 * its session (see `session.ts`); a visit without a session, or with a used, replaced, expired or unknown link, a
 * plain page saying where to find a link that works — making and printing a new one when none is left unused.
 */
export class LinkPages {
  readonly #sessions: Sessions;
  readonly #origin: string;
  readonly #rendererDir: string;
  readonly #log: Logger;
  readonly #onNewLink: ((url: string) => void) | undefined;

  constructor(options: {
    sessions: Sessions;
    origin: string;
    rendererDir: string;
    log: Logger;
    onNewLink?: ((url: string) => void) | undefined;
  }) {
    this.#sessions = options.sessions;
    this.#origin = options.origin;
    this.#rendererDir = options.rendererDir;
    this.#log = options.log;
    this.#onNewLink = options.onNewLink;
  }

  /** The link that opens the app with `key`. */
  linkFor(key: string): string {
    return `${this.#origin}/?${LINK_PARAM}=${key}`;
  }

  /** The link's first visit gets the page with its token and the cookie; later visits get a plain refusal. */
  async open(res: ServerResponse, key: string, options: { hasSession: boolean }): Promise<void> {
    // Read first, so a missing page does not use the link up.
    const file = rendererFile(this.#rendererDir, '/');
    const html = file === null ? null : await readFile(file, 'utf8').catch(() => null);
    if (html === null) return sendText(res, 500, 'The app’s page is missing: build it again (`npm run build`).');
    const verdict = this.#sessions.open(key);
    if (verdict.kind === 'opened') {
      const { session } = verdict;
      const body = withToken(html, session.token);
      res.writeHead(200, {
        'Set-Cookie': `${this.#sessions.cookieName}=${session.cookie}; HttpOnly; SameSite=Strict; Path=/`,
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-store',
      });
      res.end(body);
      return;
    }
    // This browser already has the app open: an old link clicked again just shows it.
    if (options.hasSession) {
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
    this.#log.warn('refused a link', { verdict: verdict.kind });
    this.refuse(res, verdict.kind === 'unknown' ? 401 : 410, why);
  }

  /** A plain page telling someone without a session how to get one. */
  refuse(res: ServerResponse, status: number, why: string): void {
    const made = this.#ensureTerminalLink();
    const next = made
      ? `A new link has just been printed in ${WHERE_LINKS_ARE}: open it in this browser.`
      : `Open the newest link printed in ${WHERE_LINKS_ARE}, or press Enter there to print a new one.`;
    sendText(res, status, `${why}\n\n${next}`);
  }

  /** Makes sure an unused terminal link exists; says whether one had to be made (and printed) just now. */
  #ensureTerminalLink(): boolean {
    if (this.#sessions.hasFreshTerminalKey()) return false;
    const url = this.linkFor(this.#sessions.issueKey());
    this.#log.info('made a new link to open the app');
    this.#onNewLink?.(url);
    return true;
  }
}

/** The page with its session token in a meta tag, where the HTTP bridge picks it up (and removes it). */
function withToken(html: string, token: string): string {
  const meta = `<meta name="${TOKEN_META}" content="${token}">`;
  const head = /<head[^>]*>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + meta + html.slice(head.index + head[0].length);
  const doctype = /^<!doctype[^>]*>/i.exec(html);
  return doctype ? doctype[0] + meta + html.slice(doctype[0].length) : meta + html;
}
