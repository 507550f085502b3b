import type { Mapping, Template, TemplateOffer } from '../../app/contract.ts';
import type { Database } from '../../app/journal/database.ts';
import {
  columnsUsed,
  missingColumns,
  parseTemplateText,
  TemplateError,
  templateText,
} from '../../app/map/templates.ts';
import { ServiceError } from '../api/errors.ts';
import type { FilesService } from './files.ts';
import { TemplatesStore } from './store/templates.ts';

/** Mapping templates: saved under a name, offered for files that have their columns, exported and imported. */
export class TemplatesService {
  readonly #templates: TemplatesStore;
  readonly #files: FilesService;

  constructor(db: Database, files: FilesService) {
    this.#templates = new TemplatesStore(db);
    this.#files = files;
  }

  list(): Template[] {
    return this.#templates.list();
  }

  /** Saves a mapping under a name; a template of the same name (in any case) is replaced. */
  save(name: string, mapping: Mapping): Template {
    this.#templates.save({ name: name.trim(), columns: columnsUsed(mapping), mapping });
    const saved = this.list().find((t) => t.name.toLowerCase() === name.trim().toLowerCase());
    if (!saved) throw new Error('a saved template is missing');
    return saved;
  }

  delete(id: string): boolean {
    return this.#templates.delete(id);
  }

  /** The templates that fit a file (it has every column they use), the ones using most of its columns first. */
  offers(fileId: string): TemplateOffer[] {
    const file = this.#files.get(fileId);
    const columns = file.result?.columns.map((c) => c.name) ?? [];
    return this.list()
      .filter((template) => missingColumns(template.columns, columns).length === 0)
      .map((template) => ({ template, covered: template.columns.length }))
      .sort((a, b) => b.covered - a.covered);
  }

  export(id: string): { fileName: string; text: string } {
    const template = this.#templates.get(id);
    if (!template) throw new ServiceError('NOT_FOUND', 'That template is no longer in the app.');
    const fileName = `${template.name.replace(/[\\/:*?"<>|]+/g, '-')}.vitally-mapping.json`;
    return { fileName, text: templateText(template.name, template.mapping, template.updatedAt) };
  }

  /** Adds a template from a file's text; a name already in use gets a number, so nothing is overwritten. */
  import(text: string): Template {
    let file;
    try {
      file = parseTemplateText(text);
    } catch (error) {
      if (error instanceof TemplateError) throw new ServiceError('INVALID_ARGUMENT', error.message);
      throw error;
    }
    const taken = new Set(this.list().map((t) => t.name.toLowerCase()));
    let name = file.name;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${file.name} (${n})`;
    return this.save(name, file.mapping);
  }
}
