/**
 * Reading a cell as the type its column is mapped to, by the rules of Vitally's own CSV upload (API reference
 * §5.1 and decision 10): ISO 8601 dates preferred, month-first accepted, day-first only when the user says so;
 * numbers without thousands separators or currency unless a decimal comma is chosen; booleans
 * true/false/yes/no/1/0 (and their German, French, Spanish, Italian, Portuguese, Dutch and Polish words);
 * date-times without a zone in the mapping's time zone; multi-select as a JSON array or split on a separator. A value that cannot be read is a
 * problem worded for the person who typed it, never a guess.
 */
import { z } from 'zod';
import type { DateOrder, TraitMapping } from './mapping.ts';

export type TraitValue = string | number | boolean | null | string[] | unknown[] | Record<string, unknown>;

/** A date as read one way: its day, month (1–12) and year, as the cell gives them. */
const DateReading = z.object({ day: z.number().int(), month: z.number().int(), year: z.number().int() });

/** Why a cell cannot be read as its column's type: the reason, with the values its words show. */
export const ValueProblem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('not-plain-number') }),
  z.object({ kind: z.literal('not-number') }),
  z.object({ kind: z.literal('number-too-large') }),
  z.object({ kind: z.literal('not-whole-number') }),
  z.object({ kind: z.literal('not-boolean') }),
  z.object({ kind: z.literal('not-list') }),
  z.object({ kind: z.literal('not-json') }),
  z.object({ kind: z.literal('not-date') }),
  /** A date that reads both ways (05/06/2024): each reading, for the user to choose the column's date order. */
  z.object({ kind: z.literal('ambiguous-date'), dayFirst: DateReading, monthFirst: DateReading }),
  z.object({ kind: z.literal('not-real-date') }),
  z.object({ kind: z.literal('no-such-time') }),
  /** A wall-clock time the zone skipped when its clocks were put forward. */
  z.object({ kind: z.literal('skipped-time'), timeZone: z.string() }),
  z.object({ kind: z.literal('not-date-time') }),
]);
export type ValueProblem = z.infer<typeof ValueProblem>;

export type Parsed = { ok: true; value: TraitValue } | { ok: false; problem: ValueProblem };

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const SLASHED = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

const ok = (value: TraitValue): Parsed => ({ ok: true, value });
const fail = (problem: ValueProblem): Parsed => ({ ok: false, problem });

/** How a cell is read besides its column's own settings. */
export interface ReadOptions {
  /** The zone of date-times written without one (IANA name); UTC when unset. */
  timeZone?: string;
}

/** Booleans as spreadsheets write them, in the languages they are most often exported in. */
export const TRUE_WORDS = [
  'true',
  'yes',
  '1',
  'y',
  'ja',
  'oui',
  'si',
  'sí',
  'sim',
  'wahr',
  'vrai',
  'verdadero',
  'vero',
  'waar',
  'tak',
  'x',
  '✓',
];
export const FALSE_WORDS = [
  'false',
  'no',
  '0',
  'n',
  'nein',
  'nee',
  'non',
  'não',
  'nao',
  'falsch',
  'faux',
  'falso',
  'onwaar',
  'nie',
];

export function parseValue(
  raw: string,
  trait: Pick<TraitMapping, 'type' | 'dateOrder' | 'decimal' | 'separator'>,
  options: ReadOptions = {},
): Parsed {
  const text = raw.trim();
  switch (trait.type) {
    case 'text':
      return ok(raw);
    case 'number':
    case 'integer': {
      const normalised = trait.decimal === ',' ? text.replaceAll('.', '').replaceAll(' ', '').replace(',', '.') : text;
      if (!NUMBER.test(normalised)) {
        return fail({ kind: /[,$€£%]/.test(text) ? 'not-plain-number' : 'not-number' });
      }
      const value = Number(normalised);
      if (!Number.isFinite(value)) return fail({ kind: 'number-too-large' });
      if (trait.type === 'integer' && !Number.isInteger(value)) return fail({ kind: 'not-whole-number' });
      return ok(value);
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (TRUE_WORDS.includes(lower)) return ok(true);
      if (FALSE_WORDS.includes(lower)) return ok(false);
      return fail({ kind: 'not-boolean' });
    }
    case 'date':
    case 'datetime':
      return parseDate(text, trait.type, trait.dateOrder, options.timeZone);
    case 'multiselect': {
      if (trait.separator !== undefined) {
        return ok(
          text
            .split(trait.separator)
            .map((part) => part.trim())
            .filter((part) => part !== ''),
        );
      }
      try {
        const value = JSON.parse(text) as unknown;
        if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return ok(value);
      } catch {
        // Reported below.
      }
      return fail({ kind: 'not-list' });
    }
    case 'json':
      try {
        return ok(JSON.parse(text) as TraitValue);
      } catch {
        return fail({ kind: 'not-json' });
      }
  }
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** “5 June 2024”: one reading of a date. */
const dateWords = (date: z.infer<typeof DateReading>) => `${date.day} ${MONTHS[date.month - 1] ?? ''} ${date.year}`;

/** Why a cell cannot be read, in words completing “… “value” …”. */
export function valueProblemText(problem: ValueProblem): string {
  switch (problem.kind) {
    case 'not-plain-number':
      return 'is not a plain number (remove thousands separators, currency and % signs, or choose a decimal comma)';
    case 'not-number':
      return 'is not a number';
    case 'number-too-large':
      return 'is too large a number';
    case 'not-whole-number':
      return 'is not a whole number';
    case 'not-boolean':
      return 'is not true or false (use true/false, yes/no or 1/0, in English, German, French, Spanish…)';
    case 'not-list':
      return 'is not a list like ["green", "red"] (or choose a separator for this column)';
    case 'not-json':
      return 'is not valid JSON';
    case 'not-date':
      return 'is not a date (use 2024-03-04, or 03/04/2024 with the date order set)';
    case 'ambiguous-date':
      return (
        `could be ${dateWords(problem.dayFirst)} (day first) or ${dateWords(problem.monthFirst)} (month first): ` +
        'choose the date order (day first or month first) for this column'
      );
    case 'not-real-date':
      return 'is not a real date';
    case 'no-such-time':
      return 'has a time that does not exist';
    case 'skipped-time':
      return `is a time that does not exist in ${problem.timeZone} (the clocks were put forward)`;
    case 'not-date-time':
      return 'is not a date and time';
  }
}

function parseDate(text: string, type: 'date' | 'datetime', order: DateOrder | undefined, timeZone?: string): Parsed {
  let year: number;
  let month: number;
  let day: number;
  let time: [number, number, number, string] = [0, 0, 0, ''];
  let zone: string | null = null;
  const iso = ISO_DATE.exec(text) ?? ISO_DATETIME.exec(text);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    if (iso[4] !== undefined) time = [Number(iso[4]), Number(iso[5]), Number(iso[6] ?? 0), iso[7] ?? ''];
    if (iso[8])
      zone =
        iso[8].toUpperCase() === 'Z' ? 'Z' : iso[8].length === 5 ? `${iso[8].slice(0, 3)}:${iso[8].slice(3)}` : iso[8];
  } else {
    const slashed = SLASHED.exec(text);
    if (!slashed) return fail({ kind: 'not-date' });
    const [a, b, c] = [Number(slashed[1]), Number(slashed[2]), Number(slashed[3])];
    if ((slashed[1] ?? '').length === 4) [year, month, day] = [a, b, c];
    else if (order === 'YMD') [year, month, day] = [a < 100 ? 2000 + a : a, b, c];
    else {
      const resolved = order ?? (a > 12 ? 'DMY' : b > 12 ? 'MDY' : a === b ? 'MDY' : null);
      year = c < 100 ? 2000 + c : c;
      if (resolved === null) {
        return fail({
          kind: 'ambiguous-date',
          dayFirst: { day: a, month: b, year },
          monthFirst: { day: b, month: a, year },
        });
      }
      [month, day] = resolved === 'DMY' ? [b, a] : [a, b];
    }
    if (slashed[4] !== undefined) time = [Number(slashed[4]), Number(slashed[5]), Number(slashed[6] ?? 0), ''];
  }
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return fail({ kind: 'not-real-date' });
  }
  if (time[0] > 23 || time[1] > 59 || time[2] > 59) return fail({ kind: 'no-such-time' });
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (type === 'date') return ok(date);
  const local = `${date}T${pad(time[0])}:${pad(time[1])}:${pad(time[2])}${time[3].slice(0, 4)}`;
  if (zone === null && timeZone !== undefined && timeZone !== 'UTC') {
    const instant = zonedInstant(local, timeZone);
    if (instant === null) return fail({ kind: 'skipped-time', timeZone });
    return ok(instant);
  }
  const instant = new Date(`${local}${zone ?? 'Z'}`);
  if (Number.isNaN(instant.getTime())) return fail({ kind: 'not-date-time' });
  return ok(instant.toISOString());
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();
/** Offsets (minutes east of UTC) of a zone, by the quarter hour (UTC) they were found for: zones change on one. */
const zoneOffsets = new Map<string, number>();

/** How far `zone` is ahead of UTC at the instant `utcMs`, in minutes. */
function offsetAt(zone: string, utcMs: number): number {
  const quarter = Math.floor(utcMs / 900_000);
  const key = `${zone}@${quarter}`;
  const known = zoneOffsets.get(key);
  if (known !== undefined) return known;
  let format = zoneFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(quarter * 900_000))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  const offset = Math.round((wall - quarter * 900_000) / 60_000);
  if (zoneOffsets.size > 50_000) zoneOffsets.clear();
  zoneOffsets.set(key, offset);
  return offset;
}

/**
 * The instant a wall-clock time in `zone` names, as ISO 8601 in UTC; null for a time skipped when the clocks were
 * put forward. A time that happens twice (clocks put back) is the first of the two.
 */
export function zonedInstant(local: string, zone: string): string | null {
  const wall = Date.parse(`${local}Z`);
  if (Number.isNaN(wall)) return null;
  // The earlier of the two candidate offsets first, so a repeated hour is read as its first occurrence.
  const candidates = [offsetAt(zone, wall - 86_400_000), offsetAt(zone, wall + 86_400_000)].sort((x, y) => y - x);
  for (const offset of candidates) {
    const utc = wall - offset * 60_000;
    if (offsetAt(zone, utc) === offset) return new Date(utc).toISOString();
  }
  return null;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** A number Excel has turned into scientific notation (`1.23E+05`): the original digits are gone. */
export function isExcelScientific(text: string): boolean {
  return /^\d(?:\.\d+)?E\+\d+$/i.test(text.trim());
}

const MONTH_WORDS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|mrz|mär|mai|okt|dez';
const EXCEL_DAY_MONTH = new RegExp(`^(?:\\d{1,2}-(?:${MONTH_WORDS})|(?:${MONTH_WORDS})-\\d{1,2})$`, 'i');

/**
 * What Excel did to a cell that looks mangled: a long number shown in scientific notation (`1.23E+15`, its last
 * digits lost), or a code or phone number taken for a date (`1-Mar`, `Mar-12`).
 */
export const ExcelMangling = z.enum(['scientific-notation', 'date']);
export type ExcelMangling = z.infer<typeof ExcelMangling>;

/**
 * What Excel did to a cell, when it looks mangled; null for a cell that looks as typed. Cheap: most cells are ruled
 * out by their first character or their length.
 */
export function excelMangled(text: string): ExcelMangling | null {
  const value = text.trim();
  if (value.length < 5 || value.length > 24) return null;
  const first = value.charCodeAt(0);
  const digitFirst = first >= 48 && first <= 57;
  if (value.length > 6 && !(digitFirst && (value.includes('E') || value.includes('e')))) return null;
  const scientific = digitFirst ? /^\d(?:\.\d+)?E\+(\d+)$/i.exec(value) : null;
  if (scientific && Number(scientific[1]) >= 11) return 'scientific-notation';
  if (value.length <= 6 && EXCEL_DAY_MONTH.test(value)) return 'date';
  return null;
}

/** What Excel did, in words completing “… “value” …”. */
export function excelManglingText(mangling: ExcelMangling): string {
  return mangling === 'scientific-notation'
    ? 'looks like a long number Excel shortened to scientific notation: its last digits are lost; re-export the column as text'
    : 'looks like a number or code Excel turned into a date (such as 1-3 or 3/1); check the original value';
}

/** A cell that is a whole date (or date and time) by any of the orders: for text columns that are really dates. */
export function looksLikeDate(text: string): boolean {
  const value = text.trim();
  if (value.length < 8 || value.length > 30) return false;
  return (
    ISO_DATE.test(value) ||
    ISO_DATETIME.test(value) ||
    (SLASHED.test(value) && parseDate(value, 'date', 'DMY', undefined).ok) ||
    (SLASHED.test(value) && parseDate(value, 'date', 'MDY', undefined).ok)
  );
}
