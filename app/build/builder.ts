/**
 * Row → messages. One function builds every message the app sends, so what the Preview shows is what goes
 * over the wire (invariant 2): field order is fixed, the messageId is a UUID v5 of the message's canonical JSON
 * without it (decision 5) unless a column supplies one, and the timestamp is the mapped column's, or the run's,
 * fixed once when the run was created (decision 6).
 */
import {
  FIELDS_BY_TYPE,
  IDENTITY_FIELDS,
  type FieldSource,
  type Mapping,
  type MessageMapping,
  type MessageType,
  typeNamed,
} from '../map/mapping.ts';
import { MAX_BYTES } from '../batch/batcher.ts';
import type { StoredRow } from '../read/types.ts';
import { describe, type Problem } from '../validate/problems.ts';
import { missingFields } from '../validate/validate.ts';
import { canonicalJson, uuidV5 } from './uuid.ts';
import { isExcelScientific, parseValue, type TraitValue } from './values.ts';

export interface BuiltMessage {
  type: MessageType;
  rowNumber: number;
  /** The message exactly as it will be sent. */
  json: string;
  /** Its size in bytes (UTF-8). */
  bytes: number;
  /**
   * The entity it creates or updates, for sending each entity once (`account:A1`), or null for messages that are
   * never merged (events, unlinks, users).
   */
  entity: string | null;
  messageId: string;
  /**
   * For an entity: the same for two messages that say the same about it, whatever their time or messageId (a UUID
   * v5 of its fields and traits); null otherwise.
   */
  sameness: string | null;
}

export interface BuildContext {
  /** Column names in sheet order: a row's cell i belongs to column i. */
  columns: readonly string[];
  /** The run's timestamp, ISO 8601, used when no column gives one. */
  runTimestamp: string;
}

export interface BuiltRow {
  rowNumber: number;
  messages: BuiltMessage[];
  problems: Problem[];
}

/** What a type column may say for each type, as the message shows it. */
const TYPE_WORDS: Record<MessageType, string> = {
  organization: 'organization',
  account: 'account',
  user: 'user',
  track: 'event',
  customobjectinstance: 'custom object',
  unlink: 'unlink',
};

const ID_FIELDS = new Set(['userId', 'accountId', 'organizationId', 'externalId', 'customObjectId', 'messageId']);
const LONG_TEXT = 64 * 1024;

/** Builds a row's messages in the mapping's order, with every problem found on the way. */
export function buildRow(mapping: Mapping, context: BuildContext, row: StoredRow): BuiltRow {
  const [rowNumber, ...cells] = row;
  const index = new Map(context.columns.map((name, i) => [name, i]));
  const problems: Problem[] = [];
  const messages: BuiltMessage[] = [];
  let specs = mapping.messages;
  if (mapping.typeColumn !== undefined) {
    // Each row makes only the messages of the type its type column names.
    const text = cells[index.get(mapping.typeColumn) ?? -1] ?? '';
    const type = typeNamed(text);
    specs = specs.filter((spec) => spec.type === type);
    if (specs.length === 0) {
      const made = [...new Set(mapping.messages.map((spec) => TYPE_WORDS[spec.type]))].join(', ');
      const what =
        text.trim() === ''
          ? `is empty; it must name the row’s message type (${made})`
          : `is not a message type this mapping makes (${made})`;
      problems.push(
        problem(rowNumber, mapping.typeColumn, text.trim() === '' ? null : text, 'unknown-type', 'error', what),
      );
      return { rowNumber, messages, problems };
    }
  }
  for (const spec of specs) {
    const built = buildMessage(spec, context, rowNumber, (column) => cells[index.get(column) ?? -1] ?? '', problems);
    if (built) messages.push(built);
  }
  return { rowNumber, messages, problems };
}

function buildMessage(
  spec: MessageMapping,
  context: BuildContext,
  rowNumber: number,
  cell: (column: string) => string,
  problems: Problem[],
): BuiltMessage | null {
  const before = problems.length;
  const message: Record<string, unknown> = { type: spec.type };
  const allowed = new Set(FIELDS_BY_TYPE[spec.type]);
  let timestamp: string | null = null;
  let messageId: string | null = null;
  for (const field of IDENTITY_FIELDS) {
    const source = spec.fields[field];
    if (!source || !allowed.has(field)) continue;
    const { text, column } = read(source, cell);
    if (text.trim() === '') continue;
    if (field === 'timestamp') {
      const parsed = parseValue(text, { type: 'datetime', decimal: '.' });
      if (parsed.ok) timestamp = parsed.value as string;
      else problems.push(problem(rowNumber, column, text, 'unreadable-value', 'error', parsed.problem));
      continue;
    }
    if (field === 'messageId') {
      messageId = text.trim();
      continue;
    }
    if (ID_FIELDS.has(field) && isExcelScientific(text)) {
      problems.push(
        problem(
          rowNumber,
          column,
          text,
          'excel-number',
          'error',
          'looks like an ID Excel turned into a rounded number; re-export the column as text',
        ),
      );
    }
    message[field] = text.trim();
  }
  if (spec.type !== 'unlink') {
    const traits: Record<string, TraitValue> = {};
    for (const trait of spec.traits) {
      const text = cell(trait.column);
      if (trait.key.trim() === '') {
        problems.push(
          problem(rowNumber, trait.column, null, 'empty-trait-key', 'error', 'is mapped to a trait with no name'),
        );
        continue;
      }
      if (text.trim() === '') {
        if (trait.blank === 'null') traits[trait.key] = null;
        continue;
      }
      const parsed = parseValue(text, trait);
      if (!parsed.ok) {
        problems.push(problem(rowNumber, trait.column, text, 'unreadable-value', 'error', parsed.problem));
        continue;
      }
      if (typeof parsed.value === 'string' && parsed.value.length > LONG_TEXT) {
        problems.push(
          problem(
            rowNumber,
            trait.column,
            null,
            'long-text',
            'warning',
            `is ${Math.round(parsed.value.length / 1024)} KB of text, more than Vitally is known to keep`,
          ),
        );
      }
      traits[trait.key] = parsed.value;
    }
    message[spec.type === 'track' ? 'properties' : 'traits'] = traits;
  }
  for (const missing of missingFields(spec.type, message)) {
    // The blank cell to fill, when a column is mapped to the missing field: the Preview highlights it.
    const source = missing.fields.map((field) => spec.fields[field as keyof typeof spec.fields]).find(isColumn);
    problems.push(
      source
        ? problem(rowNumber, source.column, null, 'missing-field', 'error', missing.blank)
        : problem(rowNumber, null, null, 'missing-field', 'error', missing.text),
    );
  }
  if (problems.slice(before).some((p) => p.severity === 'error')) return null;
  const entity = entityOf(spec.type, message);
  // With the run's time and a derived messageId, the messageId already tells what the message says.
  const sameness =
    entity === null ? null : timestamp === null && messageId === null ? '' : uuidV5(canonicalJson(message));
  message.messageId = messageId ?? uuidV5(canonicalJson({ ...message, timestamp: timestamp ?? context.runTimestamp }));
  message.timestamp = timestamp ?? context.runTimestamp;
  const json = JSON.stringify(message);
  const bytes = Buffer.byteLength(json);
  if (bytes + 2 > MAX_BYTES) {
    problems.push(
      problem(
        rowNumber,
        null,
        null,
        'message-too-large',
        'error',
        `makes a ${spec.type} message of ${Math.ceil(bytes / 1024)} KB, larger than one request may be (512 KB)`,
      ),
    );
    return null;
  }
  return {
    type: spec.type,
    rowNumber,
    json,
    bytes,
    entity,
    messageId: String(message.messageId),
    sameness: sameness === '' ? String(message.messageId) : sameness,
  };
}

function isColumn(source: FieldSource | undefined): source is FieldSource & { column: string } {
  return source !== undefined && 'column' in source;
}

function read(source: FieldSource, cell: (column: string) => string): { text: string; column: string | null } {
  return 'column' in source
    ? { text: cell(source.column), column: source.column }
    : { text: source.constant, column: null };
}

function problem(
  rowNumber: number,
  column: string | null,
  value: string | null,
  code: Problem['code'],
  severity: Problem['severity'],
  what: string,
): Problem {
  return { rowNumber, column, value, code, severity, message: describe(rowNumber, column, value, what) };
}

/** Organizations, accounts and custom object instances are entities a sheet often repeats, row after row. */
function entityOf(type: MessageType, message: Record<string, unknown>): string | null {
  switch (type) {
    case 'organization':
      return `organization:${message.organizationId as string}`;
    case 'account':
      return `account:${message.accountId as string}`;
    case 'customobjectinstance':
      return `customobjectinstance:${message.customObjectId as string}/${message.externalId as string}`;
    default:
      return null;
  }
}
