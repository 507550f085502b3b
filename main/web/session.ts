import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The query parameter of a link that opens the app: `/?key=…`. */
export const LINK_PARAM = 'key';
/** The header every `/api/` request carries: the session's page token, which only the page itself holds. */
export const SESSION_HEADER = 'X-Vitally-Session';
/** The meta tag that hands the page its token, once, in the answer to the link that opened it. */
export const TOKEN_META = 'vitally-session';
/** How long a link given to the browser on its command line (where other users can read it) stays usable. */
export const BROWSER_LINK_MS = 2 * 60_000;
/** How long a download ticket (`?ticket=`, for downloads, which cannot carry a header) stays usable. */
const TICKET_MS = 60_000;

/**
 * One browser's session: `cookie` rides in an HttpOnly cookie, which browsers also send to other servers on
 * 127.0.0.1 (cookies ignore ports), so on its own it opens nothing but the page; `token` is handed to the page
 * once, kept in its origin's storage (which is per port) and sent as a header with every API request.
 */
export interface Session {
  readonly cookie: string;
  readonly token: string;
}

/** What a visit with a link's key finds: a new session, or why the link opens nothing. */
export type LinkVerdict = { kind: 'opened'; session: Session } | { kind: 'used' | 'expired' | 'replaced' | 'unknown' };

interface Link {
  state: 'fresh' | 'used' | 'replaced';
  expiresAt: number | null;
}

/**
 * The web host's links and sessions. A link's key opens the app once: it is traded for a session made of fresh
 * random values, never the key itself. Keys and cookies are kept as hashes, so looking one up reveals nothing
 * through timing. At most one terminal link (no expiry) is fresh at a time: a newer one replaces it.
 */
export class Sessions {
  /** Per port, so two web hosts (or two launches on different ports) never overwrite each other's cookie. */
  readonly cookieName: string;
  readonly #now: () => number;
  readonly #links = new Map<string, Link>();
  readonly #sessions = new Map<string, Session>();
  readonly #tickets = new Map<string, { session: Session; expiresAt: number }>();

  constructor(port: number, now: () => number = Date.now) {
    this.cookieName = `vitally_session_${port}`;
    this.#now = now;
  }

  /**
   * A new one-time key. Without `lifetimeMs` it is the terminal's link and replaces any unused earlier one;
   * with it, it stops working after that long even if never used (for the browser's command line).
   */
  issueKey(options: { lifetimeMs?: number } = {}): string {
    if (options.lifetimeMs === undefined) {
      for (const link of this.#links.values()) {
        if (link.state === 'fresh' && link.expiresAt === null) link.state = 'replaced';
      }
    }
    const key = randomValue();
    const expiresAt = options.lifetimeMs === undefined ? null : this.#now() + options.lifetimeMs;
    this.#links.set(hash(key), { state: 'fresh', expiresAt });
    return key;
  }

  /** Whether an unused terminal link exists, so a refused visitor can be told to open it. */
  hasFreshTerminalKey(): boolean {
    for (const link of this.#links.values()) if (link.state === 'fresh' && link.expiresAt === null) return true;
    return false;
  }

  /** Uses a link's key: the first visit gets a new session, every later one is told why not. */
  open(key: string): LinkVerdict {
    const link = this.#links.get(hash(key));
    if (!link) return { kind: 'unknown' };
    if (link.state !== 'fresh') return { kind: link.state };
    if (link.expiresAt !== null && this.#now() > link.expiresAt) return { kind: 'expired' };
    link.state = 'used';
    const session: Session = { cookie: randomValue(), token: randomValue() };
    this.#sessions.set(hash(session.cookie), session);
    return { kind: 'opened', session };
  }

  /** The session a cookie's value belongs to, if any. */
  fromCookie(value: string | undefined): Session | null {
    return value ? (this.#sessions.get(hash(value)) ?? null) : null;
  }

  /** Whether `token` (the request's header) is this session's page token. */
  carriesToken(session: Session, token: string | undefined): boolean {
    return token !== undefined && sameValue(token, session.token);
  }

  /** A single-use value that lets one download (a plain link, which cannot carry a header) through for a minute. */
  issueTicket(session: Session): string {
    for (const [key, entry] of this.#tickets) if (this.#now() > entry.expiresAt) this.#tickets.delete(key);
    const ticket = randomValue();
    this.#tickets.set(hash(ticket), { session, expiresAt: this.#now() + TICKET_MS });
    return ticket;
  }

  /** Uses a download ticket: true once, for the session that asked for it, within its minute. */
  redeemTicket(session: Session, ticket: string): boolean {
    const key = hash(ticket);
    const entry = this.#tickets.get(key);
    if (!entry) return false;
    this.#tickets.delete(key);
    return entry.session === session && this.#now() <= entry.expiresAt;
  }
}

function randomValue(): string {
  return randomBytes(32).toString('base64url');
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

function sameValue(offered: string, expected: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
