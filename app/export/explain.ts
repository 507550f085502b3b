/**
 * What became of a message, in words a customer-success manager understands, with the next step: Vitally's reason
 * for a refusal turned into the cell to fix (the column its field or trait comes from, or, for a message too large,
 * its largest cell), and what "unknown", "not sent" and "left out" mean.
 */
import { MAX_BYTES } from '../batch/batcher.ts';
import type { MessageOutcome } from '../journal/outcomes.ts';
import { FIELD_LABELS, TYPE_WORDS, type Mapping } from '../map/mapping.ts';

/** A column a message is made from, and what it becomes in the message. */
export interface SourceColumn {
  column: string;
  /** An identity field (`userId`) or a trait key (`traits.plan`), as Vitally names them. */
  target: string;
  /** In words: "user ID", "trait plan". */
  label: string;
}

/** The columns each message of this type is made from, in the mapping's order (fields, then traits). */
export function sourceColumns(mapping: Mapping, type: string): SourceColumn[] {
  const out: SourceColumn[] = [];
  for (const message of mapping.messages) {
    if (message.type !== type) continue;
    for (const [field, source] of Object.entries(message.fields)) {
      if (source && 'column' in source)
        out.push({
          column: source.column,
          target: field,
          label: (FIELD_LABELS as Record<string, string>)[field] ?? field,
        });
    }
    for (const trait of message.traits) {
      out.push({ column: trait.column, target: `traits.${trait.key}`, label: `trait “${trait.key}”` });
    }
  }
  if (mapping.typeColumn) out.push({ column: mapping.typeColumn, target: 'type', label: 'message type' });
  const seen = new Set<string>();
  return out.filter((c) => !seen.has(c.column) && seen.add(c.column));
}

export interface Explanation {
  text: string;
  next: string;
  /** The column whose cell to fix, when it can be told. */
  culprit: string | null;
}

export interface ExplainInput {
  outcome: MessageOutcome;
  status: number | null;
  reason: string | null;
  type: string;
  /** The message's bytes, for a message too large. */
  bytes: number;
  /** The columns it is made from, with the row's values. */
  cells: readonly { column: string; target: string; label: string; value: string }[];
}

/** Vitally takes a request body of up to this many bytes (the API reference, §8). */
const BODY_LIMIT = MAX_BYTES;

export function explain(input: ExplainInput): Explanation {
  const kind = (TYPE_WORDS as Record<string, string>)[input.type] ?? input.type;
  switch (input.outcome) {
    case 'accepted':
      return { text: `Vitally accepted this ${kind}.`, next: '', culprit: null };
    case 'left-out':
      return {
        text: `Not sent: an earlier send of this file had already delivered this ${kind}.`,
        next: 'Nothing to do.',
        culprit: null,
      };
    case 'not-sent':
      return {
        text: `Not sent: the import stopped (paused, cancelled or interrupted) before this ${kind} went out.`,
        next: 'Resume the import from History to send it.',
        culprit: null,
      };
    case 'unknown':
      return {
        text: `Vitally did not answer for this ${kind} (a timeout or a dropped connection), so it may or may not have it.`,
        next:
          'Resume the import, or re-run it with the unconfirmed rows: it goes again with the same message ID, which ' +
          'Vitally keeps once.',
        culprit: null,
      };
    case 'rejected':
      return explainRefusal(input, kind);
  }
}

function explainRefusal(input: ExplainInput, kind: string): Explanation {
  const reason = (input.reason ?? '').replace(/^Message \d+:\s*/, '').trim() || 'no reason given';
  const quoted = `Vitally said: “${reason.replace(/[.\s]+$/, '')}”`;
  if (input.status === 413 || /too large|entity too large|payload too large/i.test(reason)) {
    const largest = [...input.cells].sort((a, b) => b.value.length - a.value.length)[0];
    const size = formatKb(input.bytes);
    return {
      text:
        `This ${kind} is too large for Vitally: its message is ${size}, and Vitally takes at most ${formatKb(BODY_LIMIT)} ` +
        'in one request.' +
        (largest
          ? ` Its largest cell is “${largest.column}” (${largest.value.length.toLocaleString('en')} characters).`
          : ''),
      next: largest
        ? `Shorten “${largest.column}”, or leave that column out of the mapping, then re-run.`
        : 'Shorten the row’s longest values, then re-run.',
      culprit: largest?.column ?? null,
    };
  }
  if (/blocked/i.test(reason)) {
    return {
      text: `Vitally blocks ${kind} messages for this workspace. ${quoted}.`,
      next: 'Ask Vitally support to unblock this message type, then re-run.',
      culprit: null,
    };
  }
  if (/organizations? (are|is) not enabled/i.test(reason)) {
    return {
      text: `Organizations are not switched on in this Vitally workspace. ${quoted}.`,
      next: 'Ask Vitally to switch organizations on, or take the organization out of the mapping; then re-run.',
      culprit: null,
    };
  }
  const cell = cellNamed(reason, input.cells);
  if (cell) {
    return {
      text: `Vitally refused the ${cell.label} “${shorten(cell.value)}” from column “${cell.column}”. ${quoted}.`,
      next: `Correct “${cell.column}” on this row (here in Preview, or in the exported file), then re-run.`,
      culprit: cell.column,
    };
  }
  const columns = input.cells.map((c) => `“${c.column}”`);
  return {
    text: `Vitally refused this ${kind}. ${quoted}.`,
    next:
      columns.length > 0
        ? `Check the row’s values in ${listWords(columns.slice(0, 4))}, correct them, then re-run.`
        : 'Check the row’s values, correct them, then re-run.',
    culprit: null,
  };
}

/** The cell whose field or trait Vitally's reason names (`userId "U7" …`, `traits.plan …`). */
function cellNamed(reason: string, cells: ExplainInput['cells']): ExplainInput['cells'][number] | null {
  // The longest names first: `traits.plan_tier` before `traits.plan`.
  const byLength = [...cells].sort((a, b) => b.target.length - a.target.length);
  for (const cell of byLength) {
    const target = cell.target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(^|[^\\w.])${target}(?![\\w])`).test(reason)) return cell;
    if (cell.target.startsWith('traits.')) {
      const key = cell.target.slice('traits.'.length).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      if (key && new RegExp(`trait[s]?\\W+${key}(?![\\w])`, 'i').test(reason)) return cell;
    }
  }
  // Failing a name, a value quoted in the reason.
  for (const cell of cells) {
    if (cell.value !== '' && reason.includes(`"${cell.value}"`)) return cell;
  }
  return null;
}

function formatKb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function shorten(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}…` : value;
}

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}
