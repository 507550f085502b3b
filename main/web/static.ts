import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentTypeFor, rendererFile } from '../static-files.ts';
import { sendText } from './respond.ts';

/**
 * One file of the built renderer, by the rules Electron's protocol uses too (`main/static-files.ts`): HTML never
 * cached, the hashed assets cached for good; HEAD answers without the body.
 */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  rendererDir: string,
  pathname: string,
): Promise<void> {
  const file = rendererFile(rendererDir, pathname);
  if (file === null) return sendText(res, 404, 'Not found.');
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return sendText(res, 404, 'Not found.');
  res.writeHead(200, {
    'Content-Type': contentTypeFor(file),
    'Content-Length': info.size,
    'Cache-Control': file.endsWith('.html') ? 'no-store' : 'private, max-age=31536000, immutable',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}
