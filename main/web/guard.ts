import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';
import { CONTENT_SECURITY_POLICY } from '../security.ts';

/** The addresses a listening web host answers to: its own host names and origins on its port. */
export interface LoopbackAddresses {
  /** `127.0.0.1:<port>` and `localhost:<port>`: the `Host` a request must be addressed to. */
  hosts: ReadonlySet<string>;
  /** `http://127.0.0.1:<port>` and `http://localhost:<port>`: the `Origin` a request may come from. */
  origins: ReadonlySet<string>;
}

export function loopbackAddresses(port: number): LoopbackAddresses {
  return {
    hosts: new Set([`127.0.0.1:${port}`, `localhost:${port}`]),
    origins: new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]),
  };
}

/** The headers every answer carries: the app's CSP, no sniffing, no framing, no referrer, no sharing. */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/**
 * Why a request is refused before anything else is looked at, or null when it may go on: it must be addressed to
 * this loopback address, come from this origin when it names one, and not from another site or port
 * (`Sec-Fetch-Site`).
 */
export function foreignRequest(
  req: IncomingMessage,
  addresses: LoopbackAddresses,
  log: Logger,
): { status: number; text: string } | null {
  const host = req.headers.host ?? '';
  if (!addresses.hosts.has(host)) {
    log.warn('refused a request for a foreign host', { host });
    return { status: 403, text: 'This address only answers requests made to itself.' };
  }
  const requestOrigin = req.headers.origin;
  if (requestOrigin !== undefined && !addresses.origins.has(requestOrigin)) {
    log.warn('refused a request from a foreign origin', { origin: requestOrigin });
    return { status: 403, text: 'Requests from other web pages are not allowed.' };
  }
  const fetchSite = req.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') {
    return { status: 403, text: 'Requests from other web pages are not allowed.' };
  }
  return null;
}
