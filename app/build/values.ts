/**
 * Reading a cell as the type its column is mapped to, by the rules of Vitally's own CSV upload (API reference
 * §5.1 and decision 10): ISO 8601 dates preferred, month-first accepted, day-first only when the user says so;
 * numbers without thousands separators or currency unless a decimal comma is chosen; booleans
 * true/false/yes/no/1/0; multi-select as a JSON array or split on a separator. A value that cannot be read is a
 * problem worded for the person who typed it, never a guess.
 */
import type { DateOrder, TraitMapping } from '../map/mapping.ts';

export type TraitValue = string | number | boolean | null | string[] | unknown[] | Record<string, unknown>;

export type Parsed = { ok: true; value: TraitValue } | { ok: false; problem: string };

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const SLASHED = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

const ok = (value: TraitValue): Parsed => ({ ok: true, value });
const fail = (problem: string): Parsed => ({ ok: false, problem });

export function parseValue(
  raw: string,
  trait: Pick<TraitMapping, 'type' | 'dateOrder' | 'decimal' | 'separator'>,
): Parsed {
  const text = raw.trim();
  switch (trait.type) {
    case 'text':
      return ok(raw);
    case 'number':
    case 'integer': {
      const normalised = trait.decimal === ',' ? text.replaceAll('.', '').replaceAll(' ', '').replace(',', '.') : text;
      if (!NUMBER.test(normalised)) {
        return fail(
          /[,$€£%]/.test(text)
            ? 'is not a plain number (remove thousands separators, currency and % signs, or choose a decimal comma)'
            : 'is not a number',
        );
      }
      const value = Number(normalised);
      if (!Number.isFinite(value)) return fail('is too large a number');
      if (trait.type === 'integer' && !Number.isInteger(value)) return fail('is not a whole number');
      return ok(value);
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (['true', 'yes', '1'].includes(lower)) return ok(true);
      if (['false', 'no', '0'].includes(lower)) return ok(false);
      return fail('is not true or false (use true/false, yes/no or 1/0)');
    }
    case 'date':
    case 'datetime':
      return parseDate(text, trait.type, trait.dateOrder);
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
      return fail('is not a list like ["green", "red"] (or choose a separator for this column)');
    }
    case 'json':
      try {
        return ok(JSON.parse(text) as TraitValue);
      } catch {
        return fail('is not valid JSON');
      }
  }
}

function parseDate(text: string, type: 'date' | 'datetime', order: DateOrder | undefined): Parsed {
  let year: number;
  let month: number;
  let day: number;
  let time: [number, number, number, string] = [0, 0, 0, ''];
  let zone = 'Z';
  const iso = ISO_DATE.exec(text) ?? ISO_DATETIME.exec(text);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    if (iso[4] !== undefined) time = [Number(iso[4]), Number(iso[5]), Number(iso[6] ?? 0), iso[7] ?? ''];
    if (iso[8])
      zone =
        iso[8].toUpperCase() === 'Z' ? 'Z' : iso[8].length === 5 ? `${iso[8].slice(0, 3)}:${iso[8].slice(3)}` : iso[8];
  } else {
    const slashed = SLASHED.exec(text);
    if (!slashed) return fail('is not a date (use 2024-03-04, or 03/04/2024 with the date order set)');
    const [a, b, c] = [Number(slashed[1]), Number(slashed[2]), Number(slashed[3])];
    if ((slashed[1] ?? '').length === 4) [year, month, day] = [a, b, c];
    else {
      const resolved = order ?? (a > 12 ? 'DMY' : b > 12 ? 'MDY' : a === b ? 'MDY' : null);
      if (resolved === null) {
        return fail('could be a date in March or April: set the date order (month/day or day/month) for this column');
      }
      year = c < 100 ? 2000 + c : c;
      [month, day] = resolved === 'DMY' ? [b, a] : [a, b];
    }
    if (slashed[4] !== undefined) time = [Number(slashed[4]), Number(slashed[5]), Number(slashed[6] ?? 0), ''];
  }
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return fail('is not a real date');
  }
  if (time[0] > 23 || time[1] > 59 || time[2] > 59) return fail('has a time that does not exist');
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (type === 'date') return ok(date);
  const local = `${date}T${pad(time[0])}:${pad(time[1])}:${pad(time[2])}${time[3].slice(0, 4)}`;
  const instant = new Date(`${local}${zone}`);
  if (Number.isNaN(instant.getTime())) return fail('is not a date and time');
  return ok(instant.toISOString());
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** A number Excel has turned into scientific notation (`1.23E+05`): the original digits are gone. */
export function isExcelScientific(text: string): boolean {
  return /^\d(?:\.\d+)?E\+\d+$/i.test(text.trim());
}
