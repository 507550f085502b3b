import { describe, expect, it } from 'vitest';
import { Mapping } from '../../../app/map/mapping.ts';
import { suggestColumn } from '../../../app/map/column-suggestion.ts';
import { normaliseHeader, traitKey } from '../../../app/map/header-words.ts';
import { suggestMapping } from '../../../app/map/suggest.ts';

describe('suggestions from headers', () => {
  it.each([
    ['Account External ID', { kind: 'field', field: 'accountId' }],
    ['Company ID', { kind: 'field', field: 'accountId' }],
    ['user_id', { kind: 'field', field: 'userId' }],
    ['Org-ID', { kind: 'field', field: 'organizationId' }],
    ['E-mail', { kind: 'trait', key: 'email', type: 'text' }],
    ['Full name', { kind: 'trait', key: 'name', type: 'text' }],
    ['Signup date', { kind: 'trait', key: 'createdAt', type: 'date' }],
  ])('“%s” is %o', (header, target) => {
    const suggestion = suggestColumn(header, []);
    expect(suggestion.target).toEqual(target);
    expect(suggestion.confidence).toBeGreaterThanOrEqual(0.9);
    expect(suggestion.reason).toContain(header);
  });

  it('ignores case, spacing, punctuation and accents', () => {
    expect(normaliseHeader(' Accoünt  External-ID ')).toBe('accountexternalid');
    expect(traitKey('Plan tier (2024)')).toBe('planTier2024');
  });
});

describe('suggestions from values', () => {
  it.each([
    [['ana@acme.io', 'bo@beta.io'], { key: 'email', type: 'text' }, 'email addresses'],
    [['12', '40', '7'], { key: 'seats', type: 'integer' }, 'whole numbers'],
    [['12.5', '40', '7.25'], { key: 'seats', type: 'number' }, 'numbers'],
    [['yes', 'No', 'TRUE'], { key: 'seats', type: 'boolean' }, 'true/false'],
    [['2024-03-04', '10/28/2022'], { key: 'seats', type: 'date', dateOrder: 'MDY' }, 'dates, month first'],
    [['2024-03-04', '28/10/2022', '03/04/2024'], { key: 'seats', type: 'date', dateOrder: 'DMY' }, 'day first'],
    [['05.06.2024', '01.02.2023'], { key: 'seats', type: 'date', dateOrder: 'DMY' }, 'day first'],
    [['03/04/2024', '01/02/2023'], { key: 'seats', type: 'date' }, 'choose the date order'],
    [['12,5', '1.234,56', '7'], { key: 'seats', type: 'number', decimal: ',' }, 'decimal comma'],
    [['ja', 'nein', 'Ja'], { key: 'seats', type: 'boolean' }, 'true/false'],
    [['oui', 'non'], { key: 'seats', type: 'boolean' }, 'true/false'],
    [['1,234', '5,678'], { key: 'seats', type: 'text' }, 'text'],
    [['1.2.3', '1.2.4'], { key: 'seats', type: 'text' }, 'text'],
    [['2024-03-04 09:30', '2024-03-05T10:00:00Z'], { key: 'seats', type: 'datetime' }, 'dates with times'],
    [['00123', '00124'], { key: 'seats', type: 'text' }, 'text'],
  ])('%j is %o', (values, target, reason) => {
    const suggestion = suggestColumn('Seats', values);
    expect(suggestion.target).toEqual({ kind: 'trait', ...target });
    expect(suggestion.reason).toContain(reason);
  });
});

describe('a suggested mapping', () => {
  it('makes an account and then a user from a users export, with traits on the user', () => {
    const columns = ['Account ID', 'Account Name', 'User ID', 'E-mail', 'Seats'];
    const mapping = suggestMapping(columns.map((column) => suggestColumn(column, column === 'Seats' ? ['3'] : [])));
    expect(Mapping.parse(mapping)).toEqual(mapping);
    expect(mapping.messages.map((m) => m.type)).toEqual(['account', 'user']);
    expect(mapping.messages[0]).toMatchObject({
      fields: { accountId: { column: 'Account ID' } },
      traits: [{ column: 'Account Name', key: 'name' }],
    });
    expect(mapping.messages[1]?.fields).toEqual({ accountId: { column: 'Account ID' }, userId: { column: 'User ID' } });
    expect(mapping.messages[1]?.traits.map((t) => t.key)).toEqual(['email', 'seats']);
  });

  it('takes every message’s time from a Timestamp column, and a messageId column only for one message per row', () => {
    const both = suggestMapping(['Account ID', 'User ID', 'Timestamp', 'Message ID'].map((c) => suggestColumn(c, [])));
    expect(both.messages.map((m) => m.fields)).toEqual([
      { accountId: { column: 'Account ID' }, timestamp: { column: 'Timestamp' } },
      { accountId: { column: 'Account ID' }, userId: { column: 'User ID' }, timestamp: { column: 'Timestamp' } },
    ]);
    const one = suggestMapping(['Account ID', 'Occurred at', 'Message ID'].map((c) => suggestColumn(c, [])));
    expect(one.messages[0]?.fields).toEqual({
      accountId: { column: 'Account ID' },
      timestamp: { column: 'Occurred at' },
      messageId: { column: 'Message ID' },
    });
  });
});

describe('suggestions that read the values', () => {
  it('keeps the date order a named date column’s values show', () => {
    const suggestion = suggestColumn('Signup date', ['03/04/2024', '28/10/2022']);
    expect(suggestion.target).toEqual({ kind: 'trait', key: 'createdAt', type: 'date', dateOrder: 'DMY' });
  });

  it('keeps headers that are keys already', () => {
    expect(traitKey('opponentId')).toBe('opponentId');
    expect(traitKey('vitally.custom.dealValue')).toBe('vitally.custom.dealValue');
  });

  it('never maps two columns to one trait key by default', () => {
    const columns = ['User ID', 'Email', 'Email (2)', 'Name', 'Full name'];
    const mapping = suggestMapping(columns.map((column) => suggestColumn(column, [])));
    const keys = mapping.messages.flatMap((m) => m.traits.map((t) => `${m.type}.${t.key}`));
    expect(new Set(keys).size).toBe(keys.length);
    expect(mapping.messages[0]?.traits.map((t) => [t.column, t.key])).toEqual([
      ['Email', 'email'],
      ['Email (2)', 'email2'],
      ['Name', 'name'],
      ['Full name', 'fullName'],
    ]);
  });
});

describe('a sheet whose type column says what each row is', () => {
  it('maps the Vitally documentation’s example so that its rows become the documented batch', async () => {
    const { DOC_EXAMPLE_CSV } = await import('../../support/doc-example.ts');
    const { readFileSync } = await import('node:fs');
    const { buildRow } = await import('../../../app/messages/builder.ts');
    const [header = '', ...lines] = DOC_EXAMPLE_CSV.split('\n');
    const columns = header.split(',');
    const rows = lines.map((line) => line.split(','));
    const values = new Map(columns.map((column, i) => [column, rows.map((row) => row[i] ?? '')]));
    const mapping = suggestMapping(
      columns.map((column) => suggestColumn(column, values.get(column) ?? [])),
      values,
    );
    expect(mapping.typeColumn).toBe('type');
    expect(mapping.messages.map((m) => m.type)).toEqual([
      'organization',
      'account',
      'user',
      'track',
      'customobjectinstance',
    ]);
    // One `name` column: the organization’s, the account’s and the user’s name trait, and the custom object’s name.
    expect(mapping.messages.map((m) => m.traits.some((t) => t.column === 'name'))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(mapping.messages[4]?.fields.name).toEqual({ column: 'name' });
    const context = { columns, runTimestamp: '2026-01-01T00:00:00.000Z' };
    const built = rows.flatMap((row, i) => {
      const result = buildRow(mapping, context, [i + 2, ...row]);
      expect(result.problems).toEqual([]);
      return result.messages.map((m) => JSON.parse(m.json) as unknown);
    });
    const expected = JSON.parse(
      readFileSync(new URL('../../fixtures/vitally-doc-batch.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(built).toEqual(expected);
  });
});
