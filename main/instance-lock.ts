import { createHash } from 'node:crypto';
import { realpathSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * One app per data folder. The first app to start on a folder listens on a local socket named after it; a second
 * one (the desktop app, `npm start`, `npm run web`, in any combination) finds it taken, asks the first to show
 * itself, and hands over instead of opening the database: so it never recovers the first one's live runs or
 * fails its reads. On Linux the socket is in the abstract namespace and on Windows a named pipe, both of which
 * vanish with the process that made them, so a crash leaves no stale lock; on macOS it is a file in the temporary
 * folder, removed at exit and taken over when nothing answers on it.
 */

/** What the app that has the folder answers a second start. */
export interface HandOver {
  /** The host of the app that has the folder. */
  host: 'web' | 'electron';
  /** Its process id, for the message. */
  pid: number;
  /** For the web host: a new link that opens it once, for the second start to open or print. */
  url?: string;
}

export type InstanceLock =
  | { kind: 'owner'; release: () => Promise<void> }
  /** Another app has the folder; `handOver` is its answer, or null when it did not answer in time. */
  | { kind: 'taken'; handOver: HandOver | null };

const ANSWER_TIMEOUT_MS = 5000;

/** The folder's one true path: a link to it, or a path written another way, is the same folder. */
function canonical(dataDir: string): string {
  try {
    return realpathSync.native(dataDir);
  } catch {
    return resolve(dataDir);
  }
}

/** The socket's name for a data folder: the same for every app and user session on this machine that uses it. */
export function lockAddress(
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
  uid: number = process.getuid?.() ?? 0,
  temp: string = tmpdir(),
): string {
  const digest = createHash('sha256')
    .update(`${uid}\0${canonical(dataDir)}`)
    .digest('hex')
    .slice(0, 24);
  const name = `vitally-importer-${digest}`;
  if (platform === 'win32') return `\\\\.\\pipe\\${name}`;
  if (platform === 'linux') return `\0${name}`;
  return join(temp, `${name}.sock`);
}

/**
 * Takes the data folder for this app, or finds out who has it. `onSecondStart` runs in the owner each time another
 * start asks; its answer goes back to that start.
 */
export async function acquireInstanceLock(
  dataDir: string,
  onSecondStart: () => HandOver | Promise<HandOver>,
  address: string = lockAddress(dataDir),
): Promise<InstanceLock> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = await listen(address, onSecondStart);
    if (server) return { kind: 'owner', release: () => close(server, address) };
    const answer = await ask(address);
    if (answer !== 'nobody') return { kind: 'taken', handOver: answer };
    // A socket file left by a crash (macOS only): nothing answers on it, so it is removed and taken.
    if (!address.startsWith('\0') && !address.startsWith('\\\\')) {
      try {
        unlinkSync(address);
      } catch {
        // Another start removed it first; try again.
      }
    }
  }
  throw new Error('Could not tell whether another copy of Vitally Importer uses this data folder.');
}

function listen(address: string, onSecondStart: () => HandOver | Promise<HandOver>): Promise<Server | null> {
  return new Promise((resolveListen, reject) => {
    const server = createServer((socket) => {
      socket.setTimeout(ANSWER_TIMEOUT_MS, () => socket.destroy());
      socket.on('error', () => socket.destroy());
      socket.once('data', () => {
        void Promise.resolve()
          .then(onSecondStart)
          .then((answer) => socket.end(`${JSON.stringify(answer)}\n`))
          .catch(() => socket.destroy());
      });
    });
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolveListen(null);
      else reject(error);
    });
    server.listen(address, () => {
      // A second start asking must not keep this app running.
      server.unref();
      resolveListen(server);
    });
  });
}

/** Asks the app that has the folder to show itself; 'nobody' when nothing listens there. */
function ask(address: string): Promise<HandOver | null | 'nobody'> {
  return new Promise((resolveAsk) => {
    let text = '';
    let settled = false;
    const done = (value: HandOver | null | 'nobody') => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolveAsk(value);
    };
    const socket = createConnection(address, () => socket.write('show\n'));
    socket.setTimeout(ANSWER_TIMEOUT_MS, () => done(null));
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) done(parseHandOver(text));
    });
    socket.on('end', () => done(parseHandOver(text)));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? 'nobody' : null),
    );
  });
}

export function parseHandOver(text: string): HandOver | null {
  try {
    const value = JSON.parse(text.trim()) as Partial<HandOver>;
    if ((value.host !== 'web' && value.host !== 'electron') || typeof value.pid !== 'number') return null;
    const url = typeof value.url === 'string' && /^http:\/\/127\.0\.0\.1:\d+\//.test(value.url) ? value.url : undefined;
    return { host: value.host, pid: value.pid, ...(url ? { url } : {}) };
  } catch {
    return null;
  }
}

function close(server: Server, address: string): Promise<void> {
  return new Promise((resolveClose) =>
    server.close(() => {
      if (!address.startsWith('\0') && !address.startsWith('\\\\')) {
        try {
          unlinkSync(address);
        } catch {
          // Already gone.
        }
      }
      resolveClose();
    }),
  );
}

/** What a second start tells its user, in plain words. */
export function handOverMessage(handOver: HandOver | null, dataDir: string): string {
  if (!handOver) {
    return (
      `Vitally Importer is already running for the data folder ${dataDir}, but it did not answer. ` +
      'Close the other copy (or end its process) and start again; two copies on one folder could send rows twice.'
    );
  }
  if (handOver.host === 'electron') {
    return `Vitally Importer is already open as a desktop app for ${dataDir}; its window has been brought to the front.`;
  }
  return (
    `Vitally Importer is already running in your browser for ${dataDir} (process ${handOver.pid}). ` +
    (handOver.url ? `Open it with this link (it works once):\n\n  ${handOver.url}\n` : 'Switch to its tab.')
  );
}
