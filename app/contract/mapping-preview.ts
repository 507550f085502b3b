/** The contract's values for Map and Preview: suggestions, problems, the sample, the check and its batches. */
import { z } from 'zod';
import { DateOrder, IdentityField, Mapping, MessageMapping, TraitMapping, TraitType } from '../map/mapping.ts';
import { MAPPING_PROBLEM_CODES } from '../map/integrity.ts';
import { Problem, Severity } from '../messages/problems.ts';

// Mapping

export { Mapping };
/** The parts of a mapping: the engine's own schemas and types. */
export type {
  DateOrder,
  FieldSource,
  IdentityField,
  MessageMapping,
  MessageType,
  TraitMapping,
  TraitType,
} from '../map/mapping.ts';
/** The message types' names, fields and rules, for the Map step to show what the engine checks. */
export { FIELD_LABELS, FIELDS_BY_TYPE, ID_FIELDS, MESSAGE_RULES, TYPE_LABELS, TYPE_WORDS } from '../map/mapping.ts';

export const ColumnSuggestion = z.object({
  column: z.string(),
  target: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('field'), field: IdentityField }),
    z.object({
      kind: z.literal('trait'),
      key: z.string(),
      type: TraitType,
      dateOrder: DateOrder.optional(),
      decimal: TraitMapping.shape.decimal.unwrap().optional(),
      /** The message it is suggested for (a company's name: the account's). */
      message: MessageMapping.shape.type.optional(),
      /** Joined with the other columns suggested for the same key, with this between. */
      joinWith: z.string().optional(),
    }),
  ]),
  confidence: z.number().min(0).max(1),
  reason: z.string(),
});
export type ColumnSuggestion = z.infer<typeof ColumnSuggestion>;

/** Why the suggested mapping has a message: shown while the message keeps the fields it was suggested with. */
export const MessageExplanation = z.object({
  type: MessageMapping.shape.type,
  fields: MessageMapping.shape.fields,
  text: z.string(),
});
export type MessageExplanation = z.infer<typeof MessageExplanation>;

/** A row's problem, as data (code, row, column, params) with its words: the engine's own schema. */
export { Problem, problemText, Severity } from '../messages/problems.ts';
export type { ProblemCode } from '../messages/problems.ts';

export const SampleRow = z.object({
  rowNumber: z.number().int(),
  /** Each message the row becomes, as it will be sent. */
  messages: z.array(z.string()),
  problems: z.array(Problem),
});
export type SampleRow = z.infer<typeof SampleRow>;

/**
 * What a mapping would silently drop, merge or hide (`app/map/integrity.ts`): two columns for one trait, a mapped
 * column gone after a re-read, a column used as an ID and a trait, dates sent as text… Each with the columns it
 * names and the mappings that fix it, one click each. Errors block the check and the send.
 */
export const MappingProblem = z.object({
  code: z.enum(MAPPING_PROBLEM_CODES),
  severity: Severity,
  columns: z.array(z.string()),
  message: z.string(),
  fixes: z.array(z.object({ label: z.string(), mapping: Mapping })),
});
export type MappingProblem = z.infer<typeof MappingProblem>;

// Preview

export const PreviewSummary = z.object({
  rows: z.number().int(),
  repeatsSkipped: z.number().int(),
  sendableRows: z.number().int(),
  excludedRows: z.number().int(),
  editedCells: z.number().int(),
  editedRows: z.number().int(),
  errorRows: z.number().int(),
  warningRows: z.number().int(),
  messages: z.number().int(),
  messagesByType: z.record(z.string(), z.number().int()),
  batches: z.number().int(),
  bytes: z.number().int(),
});
export type PreviewSummary = z.infer<typeof PreviewSummary>;

export const PreviewState = z.object({
  state: z.enum(['none', 'building', 'ready', 'failed', 'stale']),
  runTimestamp: z.string().nullable(),
  summary: PreviewSummary.nullable(),
  problem: z.string().nullable(),
  /** The mapping's integrity problems for the file as it is now read; an error keeps it from being checked or sent. */
  mappingProblems: z.array(MappingProblem).optional(),
});
export type PreviewState = z.infer<typeof PreviewState>;

export const BatchInfo = z.object({
  batch: z.number().int(),
  firstRow: z.number().int(),
  firstMessage: z.number().int(),
  messages: z.number().int(),
  bytes: z.number().int(),
  types: z.record(z.string(), z.number().int()),
});
export type BatchInfo = z.infer<typeof BatchInfo>;

export const RowProblems = z.object({
  rowNumber: z.number().int(),
  severity: Severity,
  problems: z.array(Problem),
});
export type RowProblems = z.infer<typeof RowProblems>;

/** A mapping saved under a name. */
export const Template = z.object({
  id: z.uuid(),
  name: z.string(),
  updatedAt: z.string(),
  /** The sheet columns its mapping uses. */
  columns: z.array(z.string()),
  mapping: Mapping,
});
export type Template = z.infer<typeof Template>;

/** A template that fits a file: the file has every column it uses. */
export const TemplateOffer = z.object({ template: Template, covered: z.number().int() });
export type TemplateOffer = z.infer<typeof TemplateOffer>;

/** What became of saving a file's batches as JSON Lines. */
export const SavedBatches = z.object({
  /** Where they were written, or null when the user chose no place (or the browser is downloading them). */
  path: z.string().nullable(),
  batches: z.number().int(),
  /** In the browser: the name of the file being downloaded. */
  download: z.string().nullable(),
});
export type SavedBatches = z.infer<typeof SavedBatches>;

/** Which rows Preview's grid shows. */
export const RowFilter = z.enum(['all', 'errors', 'warnings', 'excluded', 'edited']);
export type RowFilter = z.infer<typeof RowFilter>;

/** A row as the next run will read it: the user's edits applied, and its problems under the mapping. */
export const PreviewRow = z.object({
  rowNumber: z.number().int(),
  /** The cells as they will be sent, edits applied, in column order. */
  cells: z.array(z.string()),
  /** The file's own value of each edited cell, by column index. */
  edited: z.record(z.string(), z.string()),
  excluded: z.boolean(),
  problems: z.array(Problem),
});
export type PreviewRow = z.infer<typeof PreviewRow>;
