import { describe, expect, it } from 'vitest';
import { isExcelScientific, parseValue } from '../../../app/build/values.ts';
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
    ['03/04/2024', as('date'), 'could be a date in March or April'],
    ['2023-02-29', as('date'), 'is not a real date'],
    ['next week', as('date'), 'is not a date'],
    ['green, red', as('multiselect'), 'is not a list like ["green", "red"]'],
    ['{oops', as('json'), 'is not valid JSON'],
  ])('%j as %o says it %s', (raw, trait, problem) => {
    const parsed = parseValue(raw, trait);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(problem);
  });

  it('recognises IDs Excel has turned into scientific notation', () => {
    expect(isExcelScientific('1.23E+05')).toBe(true);
    expect(isExcelScientific('00123')).toBe(false);
    expect(isExcelScientific('12E45X')).toBe(false);
  });
});
