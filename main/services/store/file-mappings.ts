import { Mapping } from '../../../app/contract.ts';
import type { Database } from '../../../app/journal/database.ts';

/** The mapping kept with each loaded file (`files.mapping`, JSON); the rest of `files` is the files service's. */
export class FileMappingsStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The file's mapping; null when it has none, or what is kept no longer reads as a mapping. */
  get(fileId: string): Mapping | null {
    const stored = this.#db.prepare('SELECT mapping FROM files WHERE id = ?').get(fileId) as
      { mapping: string | null } | undefined;
    const parsed = stored?.mapping ? Mapping.safeParse(JSON.parse(stored.mapping)) : null;
    return parsed?.success ? parsed.data : null;
  }

  /** The mapping exactly as kept, to compare with the one a check was made under; null when it has none. */
  text(fileId: string): string | null {
    const stored = this.#db.prepare('SELECT mapping FROM files WHERE id = ?').get(fileId) as
      { mapping: string | null } | undefined;
    return stored?.mapping ?? null;
  }

  set(fileId: string, mapping: Mapping): void {
    this.#db.prepare('UPDATE files SET mapping = ? WHERE id = ?').run(JSON.stringify(mapping), fileId);
  }
}
