import { describe, expect, it } from 'vitest';
import { Mapping } from '../../../app/map/mapping.ts';
import { normaliseHeader, suggestColumn, suggestMapping, traitKey } from '../../../app/map/suggest.ts';

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
    [['2024-03-04', '10/28/2022'], { key: 'seats', type: 'date' }, 'dates'],
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
