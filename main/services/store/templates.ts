import { randomUUID } from 'node:crypto';
import { Mapping, type Template } from '../../../app/contract.ts';
import type { Database } from '../../../app/journal/database.ts';

interface TemplateRow {
  id: string;
  name: string;
  updated_at: string;
  columns: string;
  mapping: string;
}

const COLUMNS = 'id, name, updated_at, columns, mapping';

/** The `templates` table: mapping templates, one per name (names compared without case). */
export class TemplatesStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Every template, by name. */
  list(): Template[] {
    const rows = this.#db.prepare(`SELECT ${COLUMNS} FROM templates ORDER BY name COLLATE NOCASE`).all();
    return (rows as unknown as TemplateRow[]).map(toTemplate);
  }

  get(id: string): Template | null {
    const row = this.#db.prepare(`SELECT ${COLUMNS} FROM templates WHERE id = ?`).get(id);
    return row ? toTemplate(row as unknown as TemplateRow) : null;
  }

  /** Adds a template, or replaces the one of the same name (in any case), which keeps its id. */
  save(template: { name: string; columns: readonly string[]; mapping: Mapping }, now: Date = new Date()): void {
    const at = now.toISOString();
    this.#db
      .prepare(
        `INSERT INTO templates (id, name, created_at, updated_at, columns, mapping) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at,
           columns = excluded.columns, mapping = excluded.mapping`,
      )
      .run(randomUUID(), template.name, at, at, JSON.stringify(template.columns), JSON.stringify(template.mapping));
  }

  /** Whether there was such a template. */
  delete(id: string): boolean {
    return Number(this.#db.prepare('DELETE FROM templates WHERE id = ?').run(id).changes) > 0;
  }
}

function toTemplate(row: TemplateRow): Template {
  return {
    id: row.id,
    name: row.name,
    updatedAt: row.updated_at,
    columns: JSON.parse(row.columns) as string[],
    mapping: Mapping.parse(JSON.parse(row.mapping)),
  };
}
