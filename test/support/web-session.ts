import { request } from 'node:http';
import type { WebHost } from '../../main/web/server.ts';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request to the web host, so tests can send the headers a browser would never let a page forge. */
export function send(
  host: { port: number },
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface OpenedSession {
  /** The answer to the link's first visit: the page, with its token. */
  answer: Answer;
  /** The cookie's value, as the browser stores it. */
  cookieValue: string;
  /** The page's token, read from the meta tag the link's answer carries. */
  token: string;
  /** The headers the app's own page sends with an API request: the cookie and the token. */
  headers: { Cookie: string; 'X-Vitally-Session': string };
}

/** Opens a new link of `host` as a browser would, and returns what the page ends up holding. */
export async function openSession(host: WebHost): Promise<OpenedSession> {
  const link = new URL(host.newLink());
  const answer = await send(host, { path: link.pathname + link.search });
  const setCookie = answer.headers['set-cookie']?.[0] ?? '';
  const cookieValue = /^[^=]+=([^;]*)/.exec(setCookie)?.[1] ?? '';
  const token = /<meta name="vitally-session" content="([^"]+)">/.exec(answer.body)?.[1] ?? '';
  if (answer.status !== 200 || !cookieValue || !token) {
    throw new Error(`The link did not open a session (${answer.status}): ${answer.body}`);
  }
  return {
    answer,
    cookieValue,
    token,
    headers: { Cookie: `${host.cookieName}=${cookieValue}`, 'X-Vitally-Session': token },
  };
}
