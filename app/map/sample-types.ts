/**
 * What a column's values look like, from a sample of its first non-empty cells: email addresses, UUIDs, web
 * addresses, codes, dates (with the order of day and month when the values tell it), booleans, numbers (with a
 * decimal point or comma) and lists — each in a reason's words.
 */
import { examples, lookLike } from './reasons.ts';
import type { DateOrder, TraitType } from './mapping.ts';
import { FALSE_WORDS, TRUE_WORDS, isExcelScientific, parseValue } from './values.ts';

/** An email address, loosely: something@somewhere.tld. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Words a boolean column is written in; not 1/0 (whole numbers) nor x or ✓ (marks, too often something else). */
export const BOOLEAN_WORDS = new Set(
  [...TRUE_WORDS, ...FALSE_WORDS].filter((word) => !['1', '0', 'x', '✓'].includes(word)),
);
const YEARISH = /^\d{4}-\d{2}-\d{2}|^\d{1,2}[/.-]\d{1,2}[/.-](?:\d{2}|\d{4})(?:$|[ T])/;
/** A number as written with a decimal comma: `12,5`, `1.234,56`, `-3`. */
export const DECIMAL_COMMA = /^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$/;
/** A comma that can only be a decimal comma: not followed by exactly three digits (`1,234` is a thousand). */
export const commaIsDecimal = (value: string) =>
  /,\d+$/.test(value) && (!/,\d{3}$/.test(value) || /\.\d{3},/.test(value));
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const URL_TEXT = /^https?:\/\/\S+$/i;
/** A code or ID: no spaces, with a digit (`U-1001`, `0035e00000AbCdE`, `42`). */
const CODE = /^(?=\S*\d)[\w.:#/-]{1,64}$/;

/** The share of the sample that passes `test` (0 for an empty sample). */
export function share(sample: readonly string[], test: (value: string) => boolean): number {
  return sample.length === 0 ? 0 : sample.filter(test).length / sample.length;
}

/** The types a column's values are read as, in the order they are tried, each with what its values look like. */
export const TYPE_CHECKS: readonly [TraitType, (value: string) => boolean, string][] = [
  ['boolean', (v) => BOOLEAN_WORDS.has(v.toLowerCase()), 'true/false values'],
  ['integer', (v) => /^[+-]?\d{1,15}$/.test(v) && !/^0\d/.test(v), 'whole numbers'],
  // Leading zeros mean an identifier or a code, which must stay text.
  [
    'number',
    (v) => parseValue(v, { type: 'number', decimal: '.' }).ok && !isExcelScientific(v) && !/^[+-]?0\d/.test(v),
    'numbers',
  ],
  ['multiselect', (v) => v.startsWith('[') && parseValue(v, { type: 'multiselect', decimal: '.' }).ok, 'lists'],
];

/**
 * Dates read from the values: their type (with a time or not) and, when the values say so, the order of day and
 * month — day first when a first number is over 12 (28/10/2022) or the parts are dotted (05.06.2024, as written
 * where day first is the rule); month first when a second number is over 12 (10/28/2022).
 */
export function dateSuggestion(
  sample: readonly string[],
): { target: { type: 'date' | 'datetime'; dateOrder?: DateOrder }; words: string; after?: string } | null {
  if (sample.length === 0) return null;
  const type = sample.filter((v) => /\d{1,2}:\d{2}/.test(v)).length / sample.length >= 0.95 ? 'datetime' : 'date';
  // A year of two or four digits: `1.2.3` is a version, not a date.
  const readable = (order: DateOrder | undefined) =>
    sample.filter((v) => YEARISH.test(v) && parseValue(v, { type, decimal: '.', dateOrder: order }).ok).length /
    sample.length;
  const byDay = readable('DMY');
  const byMonth = readable('MDY');
  if (byDay < 0.95 && byMonth < 0.95) return null;
  const what = type === 'datetime' ? 'dates with times' : 'dates';
  const dayOnly = sample.some(
    (v) =>
      parseValue(v, { type, decimal: '.', dateOrder: 'DMY' }).ok &&
      !parseValue(v, { type, decimal: '.', dateOrder: 'MDY' }).ok,
  );
  const monthOnly = sample.some(
    (v) =>
      parseValue(v, { type, decimal: '.', dateOrder: 'MDY' }).ok &&
      !parseValue(v, { type, decimal: '.', dateOrder: 'DMY' }).ok,
  );
  const dotted = sample.some((v) => /^\d{1,2}\.\d{1,2}\.\d{2,4}/.test(v));
  // The examples that show the order: a day over 12, or dots.
  const telling = (v: string) => /^\d{1,2}[./-]/.test(v);
  if (byDay >= 0.95 && !monthOnly && (dayOnly || dotted))
    return {
      target: { type, dateOrder: 'DMY' },
      words: lookLike(
        `${what}, day first`,
        examples(sample, (v) => telling(v) && !parseValue(v, { type, decimal: '.', dateOrder: 'MDY' }).ok) ||
          examples(sample, telling),
      ),
    };
  if (byMonth >= 0.95 && !dayOnly && monthOnly)
    return {
      target: { type, dateOrder: 'MDY' },
      words: lookLike(
        `${what}, month first`,
        examples(sample, (v) => telling(v) && !parseValue(v, { type, decimal: '.', dateOrder: 'DMY' }).ok),
      ),
    };
  if (readable(undefined) >= 0.95) return { target: { type }, words: lookLike(what, examples(sample)) };
  return {
    target: { type },
    words: lookLike(what, examples(sample)),
    after: ' Nothing says whether day or month comes first: choose the date order.',
  };
}

/** What a column's values look like, in a reason's words (“its values look like IDs (“U-1001”, “U-1002”)”). */
export function valuesWords(sample: readonly string[]): string {
  if (sample.length === 0) return 'it is empty in the first rows';
  const most = (test: (value: string) => boolean) => share(sample, test) >= 0.95;
  if (most((v) => EMAIL.test(v))) return lookLike('email addresses', examples(sample));
  if (most((v) => UUID.test(v))) return lookLike('IDs (UUIDs)', examples(sample));
  const dates = dateSuggestion(sample);
  if (dates) return dates.words;
  if (most((v) => BOOLEAN_WORDS.has(v.toLowerCase()))) return lookLike('true/false values', examples(sample));
  if (most((v) => CODE.test(v)) && new Set(sample).size >= sample.length * 0.9)
    return lookLike('IDs', examples(sample));
  if (most((v) => /^[+-]?\d[\d.,]*$/.test(v))) return lookLike('numbers', examples(sample));
  return lookLike('text', examples(sample));
}
