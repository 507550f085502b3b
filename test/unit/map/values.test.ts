import { describe, expect, it } from 'vitest';
import {
  excelMangled,
  excelManglingText,
  isExcelScientific,
  looksLikeDate,
  parseValue,
  valueProblemText,
  zonedInstant,
} from '../../../app/map/values.ts';
import type { TraitMapping } from '../../../app/map/mapping.ts';

const as = (type: TraitMapping['type'], extra: Partial<TraitMapping> = {}) => ({
  type,
  decimal: '.' as const,
  ...extra,
});

describe('reading cells as typed values', () => {
  it.each([
    ['5500.00', as('number'), 5500],
    ['-1.5e3', as('number'), -1500],
    ['1.234,56', as('number', { decimal: ',' }), 1234.56],
    ['42', as('integer'), 42],
    ['Yes', as('boolean'), true],
    ['0', as('boolean'), false],
    ['2024-03-04', as('date'), '2024-03-04'],
    ['10/28/2022', as('date'), '2022-10-28'],
    ['28/10/2022', as('date'), '2022-10-28'],
    ['03/04/2024', as('date', { dateOrder: 'DMY' }), '2024-04-03'],
    ['03/04/2024', as('date', { dateOrder: 'MDY' }), '2024-03-04'],
    ['2024-03-04 09:30', as('datetime'), '2024-03-04T09:30:00.000Z'],
    ['2024-03-04T09:30:00+02:00', as('datetime'), '2024-03-04T07:30:00.000Z'],
    ['["green", "red"]', as('multiselect'), ['green', 'red']],
    ['green; red ;', as('multiselect', { separator: ';' }), ['green', 'red']],
    ['{"a":1}', as('json'), { a: 1 }],
    ['  as typed ', as('text'), '  as typed '],
  ])('%j as %o is %j', (raw, trait, value) => {
    expect(parseValue(raw, trait)).toEqual({ ok: true, value });
  });

  it.each([
    ['$5,500', as('number'), 'remove thousands separators, currency and % signs'],
    ['12 apples', as('number'), 'is not a number'],
    ['4.5', as('integer'), 'is not a whole number'],
    ['maybe', as('boolean'), 'is not true or false'],
    ['03/04/2024', as('date'), 'could be 3 April 2024 (day first) or 4 March 2024 (month first)'],
    ['05.06.2024', as('date'), 'could be 5 June 2024 (day first) or 6 May 2024 (month first)'],
    ['12/11/23', as('date'), 'could be 12 November 2023 (day first) or 11 December 2023 (month first)'],
    ['2023-02-29', as('date'), 'is not a real date'],
    ['next week', as('date'), 'is not a date'],
    ['green, red', as('multiselect'), 'is not a list like ["green", "red"]'],
    ['{oops', as('json'), 'is not valid JSON'],
  ])('%j as %o says it %s', (raw, trait, problem) => {
    const parsed = parseValue(raw, trait);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(valueProblemText(parsed.problem)).toContain(problem);
  });

  it('gives both readings of a date whose order is unclear as dates, for the words and for a screen', () => {
    expect(parseValue('05.06.2024', as('date'))).toEqual({
      ok: false,
      problem: {
        kind: 'ambiguous-date',
        dayFirst: { day: 5, month: 6, year: 2024 },
        monthFirst: { day: 6, month: 5, year: 2024 },
      },
    });
  });

  it('recognises IDs Excel has turned into scientific notation', () => {
    expect(isExcelScientific('1.23E+05')).toBe(true);
    expect(isExcelScientific('00123')).toBe(false);
    expect(isExcelScientific('12E45X')).toBe(false);
  });
});

describe('dates, times and time zones', () => {
  it('reads a date whose order is chosen, including a two-digit year first', () => {
    expect(parseValue('05.06.2024', as('date', { dateOrder: 'DMY' }))).toEqual({ ok: true, value: '2024-06-05' });
    expect(parseValue('05.06.2024', as('date', { dateOrder: 'MDY' }))).toEqual({ ok: true, value: '2024-05-06' });
    expect(parseValue('24/06/05', as('date', { dateOrder: 'YMD' }))).toEqual({ ok: true, value: '2024-06-05' });
  });

  it('reads a date-time without a zone in the chosen zone, and leaves one with a zone as written', () => {
    const berlin = { timeZone: 'Europe/Berlin' };
    // Winter (UTC+1) and summer (UTC+2).
    expect(parseValue('2024-01-15 09:30', as('datetime'), berlin)).toEqual({
      ok: true,
      value: '2024-01-15T08:30:00.000Z',
    });
    expect(parseValue('15/07/2024 09:30', as('datetime', { dateOrder: 'DMY' }), berlin)).toEqual({
      ok: true,
      value: '2024-07-15T07:30:00.000Z',
    });
    expect(parseValue('2024-07-15T09:30:00Z', as('datetime'), berlin)).toEqual({
      ok: true,
      value: '2024-07-15T09:30:00.000Z',
    });
    expect(parseValue('2024-07-15 09:30', as('datetime'), { timeZone: 'UTC' })).toEqual({
      ok: true,
      value: '2024-07-15T09:30:00.000Z',
    });
    expect(parseValue('2024-07-15 09:30', as('datetime'), { timeZone: 'America/New_York' })).toEqual({
      ok: true,
      value: '2024-07-15T13:30:00.000Z',
    });
    expect(parseValue('2024-01-15 09:30', as('datetime'), { timeZone: 'Asia/Kolkata' })).toEqual({
      ok: true,
      value: '2024-01-15T04:00:00.000Z',
    });
  });

  it('refuses a time the clocks skipped, and takes the first of a time that happened twice', () => {
    const skipped = parseValue('2024-03-31 02:30', as('datetime'), { timeZone: 'Europe/Berlin' });
    expect(skipped).toEqual({ ok: false, problem: { kind: 'skipped-time', timeZone: 'Europe/Berlin' } });
    if (!skipped.ok)
      expect(valueProblemText(skipped.problem)).toBe(
        'is a time that does not exist in Europe/Berlin (the clocks were put forward)',
      );
    // 27 October 2024, 02:30 in Berlin happened at 00:30 UTC (summer time) and again at 01:30 UTC.
    expect(zonedInstant('2024-10-27T02:30:00', 'Europe/Berlin')).toBe('2024-10-27T00:30:00.000Z');
  });

  it('knows a date when it sees one', () => {
    expect(looksLikeDate('2024-03-04')).toBe(true);
    expect(looksLikeDate('28/10/2022')).toBe(true);
    expect(looksLikeDate('05.06.2024')).toBe(true);
    expect(looksLikeDate('2024-03-04 10:00')).toBe(true);
    expect(looksLikeDate('1.2.3')).toBe(false);
    expect(looksLikeDate('Acme')).toBe(false);
  });
});

describe('booleans in several languages', () => {
  it.each([
    ['ja', true],
    ['Nein', false],
    ['oui', true],
    ['non', false],
    ['sí', true],
    ['Wahr', true],
    ['falso', false],
    ['Y', true],
  ])('%j is %j', (raw, value) => {
    expect(parseValue(raw, as('boolean'))).toEqual({ ok: true, value });
  });
});

describe('what Excel does to cells', () => {
  it.each([
    ['1.23E+15', 'scientific notation'],
    ['4.91E+11', 'scientific notation'],
    ['1-Mar', 'turned into a date'],
    ['Mar-12', 'turned into a date'],
    ['12-Okt', 'turned into a date'],
  ])('%j is flagged (%s)', (raw, what) => {
    const mangling = excelMangled(raw);
    expect(mangling).not.toBeNull();
    if (mangling) expect(excelManglingText(mangling)).toContain(what);
  });

  it.each(['1.5E+3', '12345', 'Acme', '1-800-FLOWERS', '2024-03-01', 'March'])('%j is left alone', (raw) => {
    expect(excelMangled(raw)).toBeNull();
  });
});
