import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';

/** A file the app offers to save: its name, type and how to write it. */
export interface Offer {
  fileName: string;
  contentType: string;
  write: (out: Writable) => Promise<void>;
}

const LIFETIME_MS = 60_000;

/**
 * Exports waiting for the browser to fetch them (web host): each under a random id, fetched once, within a minute
 * (`GET /api/download/<id>`, which also needs the page's session cookie). The desktop app writes to the path its
 * Save dialog gives instead (`saveOffer`).
 */
export class Downloads {
  readonly #offers = new Map<string, { offer: Offer; until: number }>();

  offer(offer: Offer, now = Date.now()): string {
    for (const [id, held] of this.#offers) if (held.until < now) this.#offers.delete(id);
    const id = randomUUID();
    this.#offers.set(id, { offer, until: now + LIFETIME_MS });
    return `/api/download/${id}`;
  }

  take(id: string, now = Date.now()): Offer | null {
    const held = this.#offers.get(id);
    this.#offers.delete(id);
    return held && held.until >= now ? held.offer : null;
  }
}

/** Writes an offer to `path`, whole or not at all (a partial file is removed). */
export async function saveOffer(offer: Offer, path: string): Promise<void> {
  const partial = `${path}.part`;
  const out = createWriteStream(partial);
  try {
    await offer.write(out);
    out.end();
    await finished(out);
    await rename(partial, path);
  } catch (error) {
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
