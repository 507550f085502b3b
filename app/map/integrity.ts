/**
 * Mapping integrity: what a mapping would silently drop, merge or hide, found before any row is built. The Map
 * step shows these live, each with its one-click fixes; Preview shows them again and will not check (nor so send)
 * a file whose mapping has an error.
 *
 * - Two columns feeding one trait of a message: only one value could be sent. Choose one, or combine them.
 * - A mapped column the file no longer has (it was read again with another sheet, encoding, delimiter or header
 *   row): its values would vanish from every message.
 * - A column used as an ID and as a trait at once: sent twice, where the Map step showed it once.
 * - A column mapped as Text whose values are dates (they go out as typed, not as dates), or whose values lost
 *   their leading zeros to Excel.
 */
import {
  DEFAULT_JOIN,
  FIELD_LABELS,
  // Columns used as identifiers: a trait with the same values says nothing new.
  ID_FIELDS,
  TYPE_LABELS,
  type IdentityField,
  type Mapping,
  type MessageMapping,
  type TraitMapping,
} from './mapping.ts';
import { looksLikeDate } from './values.ts';

export const MAPPING_PROBLEM_CODES = [
  'two-sources',
  'joined-not-text',
  'missing-column',
  'id-and-trait',
  'date-as-text',
  'zeros-lost',
] as const;
export type MappingProblemCode = (typeof MAPPING_PROBLEM_CODES)[number];

export interface MappingFix {
  /** The button's words. */
  label: string;
  /** The mapping once fixed. */
  mapping: Mapping;
}

export interface MappingProblem {
  code: MappingProblemCode;
  /** Errors keep the file from being checked and sent; warnings are shown. */
  severity: 'error' | 'warning';
  /** The sheet columns concerned, by name. */
  columns: string[];
  message: string;
  fixes: MappingFix[];
}

/** “A”, “B” and “C”. */
const quoted = (columns: readonly string[]) => {
  const names = columns.map((c) => `“${c}”`);
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
};

/** Whether the columns of one trait are all combined by the same rule (joined by the same text), so none is lost. */
export function combinedAlike(traits: readonly TraitMapping[]): boolean {
  const [first] = traits;
  if (!first?.combine) return false;
  const joinWith = (trait: TraitMapping) => (trait.combine === 'join' ? (trait.joinWith ?? DEFAULT_JOIN) : '');
  return traits.every((trait) => trait.combine === first.combine && joinWith(trait) === joinWith(first));
}

/** “the user trait “email”” or “the event property “plan””. */
function traitWords(message: MessageMapping, key: string): string {
  return message.type === 'track'
    ? `the event property “${key}”`
    : `the ${TYPE_LABELS[message.type].toLowerCase()} trait “${key}”`;
}

/** The mapping with `column` no longer used anywhere. */
export function withoutColumn(mapping: Mapping, column: string): Mapping {
  const next: Mapping = {
    ...mapping,
    messages: mapping.messages.map((message) => ({
      ...message,
      fields: Object.fromEntries(
        Object.entries(message.fields).filter(
          ([, source]) => !(source && 'column' in source && source.column === column),
        ),
      ),
      traits: message.traits.filter((trait) => trait.column !== column),
    })),
  };
  if (next.typeColumn === column) delete next.typeColumn;
  return next;
}

/** The mapping with `column` used in place of `gone` everywhere. */
/** The mapping with every use of the column `gone` moved to `column`. */
export function withColumnRenamed(mapping: Mapping, gone: string, column: string): Mapping {
  return {
    ...mapping,
    ...(mapping.typeColumn === gone ? { typeColumn: column } : {}),
    messages: mapping.messages.map((message) => ({
      ...message,
      fields: Object.fromEntries(
        Object.entries(message.fields).map(([field, source]) => [
          field,
          source && 'column' in source && source.column === gone ? { column } : source,
        ]),
      ),
      traits: message.traits.map((trait) => (trait.column === gone ? { ...trait, column } : trait)),
    })),
  };
}

function mapTraits(mapping: Mapping, change: (trait: TraitMapping, message: number) => TraitMapping | null): Mapping {
  return {
    ...mapping,
    messages: mapping.messages.map((message, index) => ({
      ...message,
      traits: message.traits.flatMap((trait) => {
        const changed = change(trait, index);
        return changed ? [changed] : [];
      }),
    })),
  };
}

/** Where a column is used, in words: “the account ID, the user trait “email””. */
function usesOf(mapping: Mapping, column: string): string[] {
  const uses: string[] = [];
  if (mapping.typeColumn === column) uses.push('the column naming each row’s message type');
  for (const message of mapping.messages) {
    for (const [field, source] of Object.entries(message.fields)) {
      if (source && 'column' in source && source.column === column)
        uses.push(`the ${TYPE_LABELS[message.type].toLowerCase()}’s ${FIELD_LABELS[field as IdentityField]}`);
    }
    for (const trait of message.traits) if (trait.column === column) uses.push(traitWords(message, trait.key));
  }
  return [...new Set(uses)];
}

/** A column of the file most like `gone` by name (`Umsatz (�)` for `Umsatz (€)`), or null. */
function likeColumn(gone: string, columns: readonly string[], used: ReadonlySet<string>): string | null {
  const letters = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const target = letters(gone);
  let best: { column: string; score: number } | null = null;
  for (const column of columns) {
    if (used.has(column)) continue;
    const candidate = letters(column);
    if (candidate === '' || target === '') continue;
    let same = 0;
    while (same < Math.min(candidate.length, target.length) && candidate[same] === target[same]) same++;
    const score = same / Math.max(candidate.length, target.length);
    if (score >= 0.6 && (!best || score > best.score)) best = { column, score };
  }
  return best?.column ?? null;
}

/**
 * Every integrity problem of `mapping` for a file with `columns`, in the order a user should fix them: errors
 * first. `values` (a column's first few hundred cells, by name) lets the value checks run; without it they do not.
 */
export function mappingProblems(
  mapping: Mapping,
  columns: readonly string[],
  values?: ReadonlyMap<string, readonly string[]>,
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const present = new Set(columns);

  // A column the file no longer has.
  const usedColumns = new Set<string>();
  if (mapping.typeColumn) usedColumns.add(mapping.typeColumn);
  for (const message of mapping.messages) {
    for (const source of Object.values(message.fields))
      if (source && 'column' in source) usedColumns.add(source.column);
    for (const trait of message.traits) usedColumns.add(trait.column);
  }
  const gone = [...usedColumns].filter((column) => !present.has(column));
  const stillUsed = new Set([...usedColumns].filter((column) => present.has(column)));
  for (const column of gone) {
    const fixes: MappingFix[] = [];
    const like = likeColumn(column, columns, stillUsed);
    if (like) fixes.push({ label: `Use “${like}” instead`, mapping: withColumnRenamed(mapping, column, like) });
    fixes.push({ label: `Remove “${column}” from the mapping`, mapping: withoutColumn(mapping, column) });
    problems.push({
      code: 'missing-column',
      severity: 'error',
      columns: [column],
      message: `The file has no column “${column}” any more (it was read again with other settings), but the mapping sends it as ${usesOf(mapping, column).join(', ')}. Its values would be missing from every message: choose another column for it, or remove it from the mapping.`,
      fixes,
    });
  }

  // Two columns for one trait of a message.
  mapping.messages.forEach((message, messageIndex) => {
    const byKey = new Map<string, TraitMapping[]>();
    for (const trait of message.traits) {
      const key = trait.key.trim();
      if (key === '') continue;
      byKey.set(key, [...(byKey.get(key) ?? []), trait]);
    }
    for (const [key, traits] of byKey) {
      const sources = [...new Set(traits.map((t) => t.column))];
      if (sources.length < 2 || combinedAlike(traits)) continue;
      const keepOnly = (column: string) =>
        mapTraits(mapping, (trait, index) =>
          index === messageIndex && trait.key.trim() === key && trait.column !== column ? null : trait,
        );
      const combined = (rule: Pick<TraitMapping, 'combine' | 'joinWith'>) =>
        mapTraits(mapping, (trait, index) => {
          if (index !== messageIndex || trait.key.trim() !== key) return trait;
          const next: TraitMapping = { ...trait, ...rule };
          if (rule.combine === 'join') next.type = 'text';
          else delete next.joinWith;
          return next;
        });
      const mixed = traits.some((t) => t.combine !== undefined);
      problems.push({
        code: 'two-sources',
        severity: 'error',
        columns: sources,
        message: mixed
          ? `The columns ${quoted(sources)} are all sent as ${traitWords(message, key)}, but not combined the same way. Choose one way for all of them: the first of them that is filled, or all of them joined.`
          : `Two sources for one target: the columns ${quoted(sources)} are both sent as ${traitWords(message, key)}, and a message can hold only one value for it. Choose one, or combine them: the first of them that is filled${key === 'email' ? '' : ', or all of them joined (First Name and Last Name into a name)'}.`,
        fixes: [
          ...sources.map((column) => ({ label: `Keep “${column}” only`, mapping: keepOnly(column) })),
          {
            label: `Combine: the first filled of ${quoted(sources)}`,
            mapping: combined({ combine: 'first-filled' }),
          },
          // Two email addresses joined are no address; names, addresses and notes join well.
          ...(key === 'email'
            ? []
            : [
                {
                  label: `Join ${quoted(sources)} with a space`,
                  mapping: combined({ combine: 'join', joinWith: DEFAULT_JOIN }),
                },
              ]),
        ],
      });
    }
  });

  // Columns joined into a trait are sent as text, whatever type they are given.
  mapping.messages.forEach((message, messageIndex) => {
    for (const trait of message.traits) {
      if (trait.combine !== 'join' || trait.type === 'text') continue;
      problems.push({
        code: 'joined-not-text',
        severity: 'warning',
        columns: [trait.column],
        message: `The column “${trait.column}” is joined with others into ${traitWords(message, trait.key)}, which is sent as text, so its type (${trait.type}) is not used.`,
        fixes: [
          {
            label: `Send “${trait.column}” as Text`,
            mapping: mapTraits(mapping, (t, index) =>
              index === messageIndex && t.column === trait.column ? { ...t, type: 'text' } : t,
            ),
          },
        ],
      });
    }
  });

  // A column used as an ID and as a trait.
  const idUses = new Map<string, string[]>();
  for (const message of mapping.messages) {
    for (const field of ID_FIELDS) {
      const source = message.fields[field];
      if (!source || !('column' in source)) continue;
      const words = `the ${TYPE_LABELS[message.type].toLowerCase()}’s ${FIELD_LABELS[field]}`;
      idUses.set(source.column, [...(idUses.get(source.column) ?? []), words]);
    }
  }
  for (const [column, ids] of idUses) {
    // An email address used as the user's ID is still the user's email in Vitally: sent as both on purpose.
    const asTraits = mapping.messages.flatMap((message) =>
      message.traits.filter((t) => t.column === column && t.key !== 'email').map((t) => traitWords(message, t.key)),
    );
    if (asTraits.length === 0) continue;
    problems.push({
      code: 'id-and-trait',
      severity: 'warning',
      columns: [column],
      message: `The column “${column}” is ${[...new Set(ids)].join(' and ')}, and is also sent as ${asTraits.join(' and ')}.`,
      fixes: [
        {
          label: `Stop sending “${column}” as a trait`,
          mapping: mapTraits(mapping, (trait) => (trait.column === column ? null : trait)),
        },
      ],
    });
  }

  if (values) problems.push(...valueProblems(mapping, values));
  return problems.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

/** A column whose codes seem to have lost their leading zeros (Excel's doing): a warning, with no fix to offer. */
function zerosLostWarning(column: string, message: string): MappingProblem {
  return { code: 'zeros-lost', severity: 'warning', columns: [column], message, fixes: [] };
}

/** Columns mapped as Text whose values are dates, or lost their leading zeros. */
function valueProblems(mapping: Mapping, values: ReadonlyMap<string, readonly string[]>): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const seen = new Set<string>();
  for (const message of mapping.messages) {
    for (const trait of message.traits) {
      if (seen.has(trait.column)) continue;
      seen.add(trait.column);
      const cells = (values.get(trait.column) ?? []).map((v) => v.trim()).filter((v) => v !== '');
      if (cells.length === 0) continue;
      if (trait.type === 'text') {
        const dates = cells.filter(looksLikeDate);
        if (dates.length / cells.length >= 0.8) {
          problems.push({
            code: 'date-as-text',
            severity: 'warning',
            columns: [trait.column],
            message: `The column “${trait.column}” holds dates (such as “${dates[0] ?? ''}”) but is sent as Text, so Vitally gets them as typed, not as dates. Choose Date or Date and time for it if they are dates.`,
            fixes: [
              {
                label: `Send “${trait.column}” as dates`,
                mapping: mapTraits(mapping, (t) =>
                  t.column === trait.column
                    ? { ...t, type: dates.some((d) => /\d:\d\d/.test(d)) ? 'datetime' : 'date' }
                    : t,
                ),
              },
            ],
          });
        }
      }
      const short = zerosLost(cells);
      if (short) {
        problems.push(
          zerosLostWarning(
            trait.column,
            `The column “${trait.column}” holds codes of ${short.width} digits with leading zeros (such as “${short.example}”), but some have fewer digits (such as “${short.shorter}”): Excel may have removed their leading zeros. Check the original file, or re-export the column as text.`,
          ),
        );
      }
    }
  }
  for (const message of mapping.messages) {
    for (const field of ID_FIELDS) {
      const source = message.fields[field];
      if (!source || !('column' in source) || seen.has(source.column)) continue;
      seen.add(source.column);
      const cells = (values.get(source.column) ?? []).map((v) => v.trim()).filter((v) => v !== '');
      const short = zerosLost(cells);
      if (short) {
        problems.push(
          zerosLostWarning(
            source.column,
            `The IDs in “${source.column}” have ${short.width} digits with leading zeros (such as “${short.example}”), but some have fewer digits (such as “${short.shorter}”): Excel may have removed their leading zeros, and those IDs would not match. Check the original file, or re-export the column as text.`,
          ),
        );
      }
    }
  }
  return problems;
}

/**
 * Digit codes of one width with leading zeros (`01234`, `00789`) beside shorter ones (`1234`): what Excel leaves of
 * a column of zip codes or IDs it took for numbers. Null when the column does not look so.
 */
export function zerosLost(cells: readonly string[]): { width: number; example: string; shorter: string } | null {
  const digits = cells.filter((cell) => /^\d+$/.test(cell));
  if (digits.length < 3 || digits.length < cells.length * 0.9) return null;
  const padded = digits.filter((cell) => cell.startsWith('0') && cell.length > 1);
  if (padded.length === 0) return null;
  const widths = new Map<number, number>();
  for (const cell of digits) widths.set(cell.length, (widths.get(cell.length) ?? 0) + 1);
  const [width, count] = [...widths].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
  if (count < digits.length * 0.6) return null;
  const example = padded.find((cell) => cell.length === width);
  const shorter = digits.find((cell) => cell.length < width && !cell.startsWith('0'));
  return example && shorter ? { width, example, shorter } : null;
}
