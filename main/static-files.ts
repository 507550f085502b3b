import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Maps a URL path to a file of the built renderer, or null when the path would leave its folder. Both hosts
 * (Electron's `app://` protocol and the web host) serve the renderer through this.
 */
export function rendererFile(rendererDir: string, pathname: string): string | null {
  let relative: string;
  try {
    relative = pathname === '/' || pathname === '' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  } catch {
    return null;
  }
  const root = normalize(rendererDir);
  const file = normalize(join(root, relative));
  return file.startsWith(root + sep) ? file : null;
}

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
