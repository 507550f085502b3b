/**
 * Mapping templates: a mapping saved under a name, offered again when a file has the columns it uses, and shared
 * between people as a JSON file (the format is documented in `docs/mapping-format.md`).
 */
import { z } from 'zod';
import { Mapping } from './mapping.ts';

export const TEMPLATE_FORMAT = 'vitally-importer-mapping';

/** A template file: what `templateText` writes and `parseTemplateText` reads. */
export const TemplateFile = z.object({
  format: z.literal(TEMPLATE_FORMAT),
  version: z.literal(1),
  name: z.string().trim().min(1).max(100),
  /** The sheet columns the mapping uses, by name: a file must have them all for the template to fit. */
  columns: z.array(z.string()),
  mapping: Mapping,
  savedAt: z.string().optional(),
});
export type TemplateFile = z.infer<typeof TemplateFile>;

export class TemplateError extends Error {}

/** Every sheet column a mapping reads, once each, in the order they first appear. */
export function columnsUsed(mapping: Mapping): string[] {
  const used = new Set<string>();
  if (mapping.typeColumn) used.add(mapping.typeColumn);
  for (const message of mapping.messages) {
    for (const source of Object.values(message.fields)) if (source && 'column' in source) used.add(source.column);
    for (const trait of message.traits) used.add(trait.column);
  }
  return [...used];
}

/** The columns a template uses that the file does not have; empty when the template fits the file. */
export function missingColumns(templateColumns: readonly string[], fileColumns: readonly string[]): string[] {
  const present = new Set(fileColumns);
  return templateColumns.filter((column) => !present.has(column));
}

/** A template as a file's text: stable, readable JSON. */
export function templateText(name: string, mapping: Mapping, savedAt: string): string {
  const file: TemplateFile = {
    format: TEMPLATE_FORMAT,
    version: 1,
    name,
    columns: columnsUsed(mapping),
    mapping,
    savedAt,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Reads a template file, saying in plain words what is wrong with one that cannot be used. */
export function parseTemplateText(text: string): TemplateFile {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new TemplateError('This file is not a mapping template: it is not JSON.');
  }
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== TEMPLATE_FORMAT) {
    throw new TemplateError('This file is not a Vitally Importer mapping template.');
  }
  if ((json as { version?: unknown }).version !== 1) {
    throw new TemplateError('This template was saved by a newer Vitally Importer. Update the app to use it.');
  }
  const parsed = TemplateFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (at ${issue.path.join('.')})` : '';
    throw new TemplateError(`This mapping template is damaged${where}: ${issue?.message ?? 'it cannot be read'}.`);
  }
  return { ...parsed.data, columns: columnsUsed(parsed.data.mapping) };
}
