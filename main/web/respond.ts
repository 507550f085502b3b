import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import type { Logger } from '../log.ts';

/** The web host's plain HTTP answers and request readers, shared by its routes. */

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

/** A file the browser saves: its name (an ASCII stand-in and the exact name), its type, and what writes its bytes. */
export interface Attachment {
  fileName: string;
  contentType: string;
  write: (out: Writable) => Promise<unknown>;
}

/** Sends an attachment; a failure part way is logged and cuts the answer off, so the browser sees it failed. */
export async function sendAttachment(res: ServerResponse, attachment: Attachment, log: Logger): Promise<void> {
  const ascii = attachment.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  res.writeHead(200, {
    'Content-Type': attachment.contentType,
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
    'Cache-Control': 'no-store',
  });
  try {
    await attachment.write(res);
    res.end();
  } catch (error) {
    log.error('a download failed', { error });
    res.destroy();
  }
}

/** The HTTP status for a contract error code. */
export function statusFor(code: string): number {
  switch (code) {
    case 'INVALID_ARGUMENT':
      return 400;
    case 'UNKNOWN_CALL':
    case 'NOT_FOUND':
      return 404;
    case 'FORBIDDEN':
      return 403;
    case 'FAILED_PRECONDITION':
      return 409;
    case 'UNAVAILABLE':
      return 503;
    default:
      return 500;
  }
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** A header's value when it was sent once; undefined when missing or repeated. */
export function oneValue(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? undefined : header;
}

/** Reads a request body as text; null when it is larger than `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(null);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
