/**
 * Row → messages. One function builds every message the app sends, so what the Preview shows is what goes
 * over the wire (invariant 2): field order is fixed, the messageId is a UUID v5 of the message's canonical JSON
 * without it (decision 5) unless a column supplies one, and the timestamp is the mapped column's, or the run's,
 * fixed once when the run was created (decision 6).
 */
import {
  DEFAULT_JOIN,
  FIELDS_BY_TYPE,
  ID_FIELDS,
  IDENTITY_FIELDS,
  localTimeZone,
  type FieldSource,
  type Mapping,
  type MessageMapping,
  type MessageType,
  type TraitType,
  typeNamed,
} from '../map/mapping.ts';
import { emptyBatch, fits } from '../batch/batcher.ts';
import type { StoredRow } from '../read/types.ts';
import { findMisdecoding } from '../read/mojibake.ts';
import { problem, type Problem } from './problems.ts';
import { missingFields } from './required-fields.ts';
import { canonicalJson, uuidV5 } from './uuid.ts';
import {
  excelMangled,
  isExcelScientific,
  parseValue,
  type ReadOptions,
  type TraitValue,
  type ValueProblem,
} from '../map/values.ts';

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
  /** What the message says, without its id and time: the same for two messages that say the same. */
  content: string;
  /** 53 bits of a hash of `content` (`hashContent`), when a checking thread sent it instead of `content`. */
  contentHash?: number;
}

export interface BuildContext {
  /** Column names in sheet order: a row's cell i belongs to column i. */
  columns: readonly string[];
  /** The run's timestamp, ISO 8601, used when no column gives one. */
  runTimestamp: string;
  /**
   * False where only sizes and problems are needed (the Preview's check of every row): messageIds are then not
   * made. A made id is always 36 characters, so `bytes` is exact either way; `json` is then empty.
   */
  ids?: boolean;
  /** The zone of date-times written without one, when the mapping names none: the computer's zone by default. */
  timeZone?: string;
}

/** The stand-in for an id not made: as long as a UUID. */
const UNMADE_ID = '00000000-0000-0000-0000-000000000000';

export interface BuiltRow {
  rowNumber: number;
  messages: BuiltMessage[];
  problems: Problem[];
}

/** The identity fields each type takes, as sets. */
const ALLOWED_FIELDS: Record<MessageType, ReadonlySet<string>> = {
  organization: new Set(FIELDS_BY_TYPE.organization),
  account: new Set(FIELDS_BY_TYPE.account),
  user: new Set(FIELDS_BY_TYPE.user),
  track: new Set(FIELDS_BY_TYPE.track),
  customobjectinstance: new Set(FIELDS_BY_TYPE.customobjectinstance),
  unlink: new Set(FIELDS_BY_TYPE.unlink),
};

const ID_FIELD_SET: ReadonlySet<string> = new Set(ID_FIELDS);
const LONG_TEXT = 64 * 1024;

/** Builds a row's messages in the mapping's order, with every problem found on the way. */
export function buildRow(mapping: Mapping, context: BuildContext, row: StoredRow): BuiltRow {
  const rowNumber = row[0];
  const index = columnIndex(context.columns);
  // A row's cells follow its number: column i is at i + 1.
  const cell = (column: string): string => {
    const at = index.get(column);
    return at === undefined ? '' : ((row[at + 1] as string | undefined) ?? '');
  };
  const problems: Problem[] = [];
  const messages: BuiltMessage[] = [];
  let specs = mapping.messages;
  if (mapping.typeColumn !== undefined) {
    // Each row makes only the messages of the type its type column names.
    const text = cell(mapping.typeColumn);
    const type = typeNamed(text);
    specs = specs.filter((spec) => spec.type === type);
    if (specs.length === 0) {
      const types = [...new Set(mapping.messages.map((spec) => spec.type))];
      const value = text.trim() === '' ? null : text;
      problems.push(problem({ rowNumber, column: mapping.typeColumn, value, code: 'unknown-type', params: { types } }));
      return { rowNumber, messages, problems };
    }
  }
  const options: ReadOptions = { timeZone: mapping.timeZone ?? context.timeZone ?? localTimeZone() };
  const building: RowInBuild = { rowNumber, cell, options, problems };
  for (const spec of specs) {
    const built = buildMessage(spec, context, building);
    if (built) messages.push(built);
  }
  return { rowNumber, messages, problems };
}

/** A row being built: its number, its cells by column name, how cells are read, and the problems found so far. */
interface RowInBuild {
  rowNumber: number;
  cell: (column: string) => string;
  options: ReadOptions;
  problems: Problem[];
}

/** One message of the row, or null when it has an error (added to the row's problems). */
function buildMessage(spec: MessageMapping, context: BuildContext, row: RowInBuild): BuiltMessage | null {
  const { rowNumber, problems } = row;
  const before = problems.length;
  const message: Record<string, unknown> = { type: spec.type };
  const { timestamp, messageId } = readIdentity(spec, row, message);
  if (spec.type !== 'unlink') message[spec.type === 'track' ? 'properties' : 'traits'] = readTraits(spec, row);
  for (const missing of missingFields(spec.type, message)) {
    // The blank cell to fill, when a column is mapped to the missing field: the Preview highlights it.
    const source = missing.fields.map((field) => spec.fields[field]).find(isColumn);
    const params = { ...missing, messageType: spec.type };
    problems.push(problem({ rowNumber, column: source?.column ?? null, value: null, code: 'missing-field', params }));
  }
  for (let i = before; i < problems.length; i++) if (problems[i]?.severity === 'error') return null;
  const entity = entityOf(spec.type, message);
  // What the message says, without its id and time: the fields in the builder's fixed order.
  const content = JSON.stringify(message);
  const time = timestamp ?? context.runTimestamp;
  const id = messageId ?? (context.ids === false ? UNMADE_ID : uuidV5(canonicalJson({ ...message, timestamp: time })));
  // The same text JSON.stringify gives with messageId and timestamp set last, without writing it all again.
  const json = id === UNMADE_ID ? '' : `${content.slice(0, -1)}${tail(id, time)}`;
  const bytes = id === UNMADE_ID ? Buffer.byteLength(content) - 1 + unmadeTailBytes(time) : Buffer.byteLength(json);
  // Too large for any batch, even alone in one.
  if (!fits(emptyBatch(), bytes)) {
    const params = { messageType: spec.type, bytes };
    problems.push(problem({ rowNumber, column: null, value: null, code: 'message-too-large', params }));
    return null;
  }
  return {
    type: spec.type,
    rowNumber,
    json,
    bytes,
    entity,
    messageId: id === UNMADE_ID ? '' : id,
    content,
  };
}

/** A message's end: its messageId and timestamp, set last. */
function tail(id: string, time: string): string {
  return `,"messageId":${JSON.stringify(id)},"timestamp":${JSON.stringify(time)}}`;
}

/** The size of the end of a message whose id is not made, for the last timestamp asked: most rows share one. */
let lastTail = { time: '', bytes: 0 };
function unmadeTailBytes(time: string): number {
  if (lastTail.time !== time || lastTail.bytes === 0)
    lastTail = { time, bytes: Buffer.byteLength(tail(UNMADE_ID, time)) };
  return lastTail.bytes;
}

/**
 * The message's identity fields, set on `message` in the builder's fixed order; the timestamp and messageId a
 * column gives are returned instead, for the message's tail.
 */
function readIdentity(
  spec: MessageMapping,
  row: RowInBuild,
  message: Record<string, unknown>,
): { timestamp: string | null; messageId: string | null } {
  const { rowNumber, problems } = row;
  const allowed = ALLOWED_FIELDS[spec.type];
  let timestamp: string | null = null;
  let messageId: string | null = null;
  for (const field of IDENTITY_FIELDS) {
    const source = spec.fields[field];
    if (!source || !allowed.has(field)) continue;
    const { text, column } = read(source, row.cell);
    if (text.trim() === '') continue;
    if (field === 'timestamp') {
      const parsed = parseValue(text, { type: 'datetime', decimal: '.' }, row.options);
      if (parsed.ok) timestamp = parsed.value as string;
      else problems.push(unreadable(rowNumber, column, text, 'datetime', parsed.problem));
      continue;
    }
    if (field === 'messageId') {
      messageId = text.trim();
      continue;
    }
    if (ID_FIELD_SET.has(field) && isExcelScientific(text)) {
      problems.push(problem({ rowNumber, column, value: text, code: 'excel-number', params: {} }));
    } else if (column !== null) cellWarnings(problems, rowNumber, column, text, { mangled: true });
    message[field] = text.trim();
  }
  return { timestamp, messageId };
}

/**
 * The message's traits (an event's properties), in the mapping's order: each column's cell read as its type, a
 * blank one left out or sent as null, several columns of one trait combined (the first filled, or all joined).
 */
function readTraits(spec: MessageMapping, row: RowInBuild): Record<string, TraitValue> {
  const { rowNumber, problems } = row;
  const traits: Record<string, TraitValue> = {};
  // Traits already given a value by one of several columns combined (the first filled is sent).
  let filled: Set<string> | null = null;
  // Traits joined from several columns: their filled cells, trimmed, and what goes between them.
  let joined: Map<string, { parts: string[]; with: string; blankNull?: boolean }> | null = null;
  for (const trait of spec.traits) {
    const text = row.cell(trait.column);
    if (trait.key.trim() === '') {
      problems.push(problem({ rowNumber, column: trait.column, value: null, code: 'empty-trait-key', params: {} }));
      continue;
    }
    if (trait.combine === 'join') {
      let join = joined?.get(trait.key);
      if (!join) {
        (joined ??= new Map()).set(trait.key, (join = { parts: [], with: trait.joinWith ?? DEFAULT_JOIN }));
        // Its place among the traits is its first column's; blank (null or left out) until a cell fills it.
        traits[trait.key] = null;
      }
      const part = text.trim();
      if (part !== '') {
        join.parts.push(part);
        cellWarnings(problems, rowNumber, trait.column, text, { mangled: false });
      } else if (trait.blank === 'null') join.blankNull = true;
      continue;
    }
    if (trait.combine !== undefined && filled?.has(trait.key)) continue;
    if (text.trim() === '') {
      if (trait.blank === 'null' && !(trait.key in traits)) traits[trait.key] = null;
      continue;
    }
    if (trait.combine !== undefined) (filled ??= new Set()).add(trait.key);
    cellWarnings(problems, rowNumber, trait.column, text, { mangled: true });
    // Text is sent as it is; the other types are read.
    let value: TraitValue = text;
    if (trait.type !== 'text') {
      const parsed = parseValue(text, trait, row.options);
      if (!parsed.ok) {
        problems.push(unreadable(rowNumber, trait.column, text, trait.type, parsed.problem));
        continue;
      }
      value = parsed.value;
    }
    if (typeof value === 'string' && value.length > LONG_TEXT) {
      const params = { characters: value.length };
      problems.push(problem({ rowNumber, column: trait.column, value: null, code: 'long-text', params }));
    }
    traits[trait.key] = value;
  }
  if (joined) {
    for (const [key, join] of joined) {
      if (join.parts.length > 0) traits[key] = join.parts.join(join.with);
      else if (!join.blankNull) delete traits[key];
    }
  }
  return traits;
}

const indexes = new WeakMap<readonly string[], Map<string, number>>();

/** Each column's place by name, made once per column list. */
function columnIndex(columns: readonly string[]): Map<string, number> {
  let index = indexes.get(columns);
  if (!index) indexes.set(columns, (index = new Map(columns.map((name, i) => [name, i]))));
  return index;
}

function isColumn(source: FieldSource | undefined): source is FieldSource & { column: string } {
  return source !== undefined && 'column' in source;
}

function read(source: FieldSource, cell: (column: string) => string): { text: string; column: string | null } {
  return 'column' in source
    ? { text: cell(source.column), column: source.column }
    : { text: source.constant, column: null };
}

/** A cell that cannot be read as `expected`, and why. */
function unreadable(
  rowNumber: number,
  column: string | null,
  value: string,
  expected: TraitType,
  reason: ValueProblem,
): Problem {
  return problem({ rowNumber, column, value, code: 'unreadable-value', params: { expected, reason } });
}

/** What a filled cell may show though it is sent: Excel's damage (unless `mangled` is false), a wrong encoding. */
function cellWarnings(
  problems: Problem[],
  rowNumber: number,
  column: string,
  value: string,
  { mangled }: { mangled: boolean },
): void {
  const mangling = mangled ? excelMangled(value) : null;
  if (mangling) problems.push(problem({ rowNumber, column, value, code: 'excel-mangled', params: { mangling } }));
  const misread = findMisdecoding(value);
  if (misread) problems.push(problem({ rowNumber, column, value, code: 'misdecoded-text', params: misread }));
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
