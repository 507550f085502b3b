import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import type { FileSource } from '../../app/contract.ts';
import { ServiceError } from '../api/errors.ts';
import { sendJson, sendText, statusFor } from './respond.ts';

/** How often a streaming upload asks how much disk is left, and how much it always leaves free. */
const SPACE_CHECK_BYTES = 4 * 1024 * 1024;
const SPACE_RESERVE_BYTES = 32 * 1024 * 1024;
/** Room the database needs for an upload's rows, as a multiple of its size (as the files service reckons). */
const ROWS_FACTOR = 1.5;

export interface UploadOptions {
  /** Stores an uploaded file (`POST /api/upload`) and says how to refer to it in calls. */
  receiveUpload: (fileName: string, declaredSize: number | null, body: Readable) => Promise<FileSource>;
  /**
   * Bytes free where uploads are saved (null when unknown). When given, an upload is stopped, and its partial copy
   * deleted, as soon as the disk gets too full to hold it and its rows.
   */
  freeSpace?: (() => Promise<number | null>) | undefined;
}

/** `POST /api/upload`: a file chosen in the browser, raw bytes in the body, its name in `X-File-Name` (URI-encoded). */
export async function handleUpload(req: IncomingMessage, res: ServerResponse, options: UploadOptions): Promise<void> {
  if (req.method !== 'POST') return sendText(res, 405, 'Uploads are made with POST.');
  let name: string;
  try {
    name = decodeURIComponent(String(req.headers['x-file-name'] ?? ''));
  } catch {
    name = '';
  }
  if (!name) return sendText(res, 400, 'An upload needs its file name.');
  const length = Number(req.headers['content-length']);
  const body = options.freeSpace ? req.pipe(spaceGuard(options.freeSpace)) : req;
  if (body !== req) req.once('error', (error) => body.destroy(error));
  try {
    const source = await options.receiveUpload(name, Number.isFinite(length) ? length : null, body);
    sendJson(res, 200, { ok: true, value: source });
  } catch (error) {
    req.resume();
    if (!(error instanceof ServiceError)) throw error;
    sendJson(res, statusFor(error.code), { ok: false, error: error.toContractError() });
  }
}

/**
 * Passes an upload's bytes on while the disk can take them: it asks how much is free at the start and every few
 * megabytes, and fails with ENOSPC (which the files service words and cleans up after) once what is left would
 * not hold the rest of the copy's rows plus a reserve. A chunked upload declares no size, so this is its only check.
 */
function spaceGuard(freeSpace: () => Promise<number | null>): Transform {
  let received = 0;
  let checkedAt = -SPACE_CHECK_BYTES;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received - checkedAt < SPACE_CHECK_BYTES) return callback(null, chunk);
      checkedAt = received;
      freeSpace().then(
        (free) => {
          if (free !== null && free < SPACE_RESERVE_BYTES + received * ROWS_FACTOR) {
            callback(Object.assign(new Error('The disk is nearly full.'), { code: 'ENOSPC' }));
          } else callback(null, chunk);
        },
        () => callback(null, chunk),
      );
    },
  });
}
