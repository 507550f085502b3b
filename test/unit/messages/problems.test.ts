import { describe, expect, it } from 'vitest';
import { Problem, problem, problemText, type ProblemFacts } from '../../../app/messages/problems.ts';

const at = { rowNumber: 5, column: 'Seats', value: 'many' };

describe('problems carried as data, worded from it', () => {
  it.each<[ProblemFacts, string]>([
    [
      { ...at, code: 'unreadable-value', params: { expected: 'number', reason: { kind: 'not-number' } } },
      'Row 5, column “Seats”: “many” is not a number.',
    ],
    [
      { ...at, column: 'Type', value: null, code: 'unknown-type', params: { types: ['account', 'track'] } },
      'Row 5, column “Type”: is empty; it must name the row’s message type (account, event).',
    ],
    [
      { ...at, column: 'Type', value: 'deal', code: 'unknown-type', params: { types: ['user'] } },
      'Row 5, column “Type”: “deal” is not a message type this mapping makes (user).',
    ],
    [
      {
        ...at,
        column: null,
        value: null,
        code: 'missing-field',
        params: { messageType: 'user', rule: 'one-of', fields: ['accountId', 'organizationId'] },
      },
      'Row 5: needs an account ID or an organization ID to belong to.',
    ],
    [
      {
        ...at,
        column: 'Account',
        value: null,
        code: 'missing-field',
        params: { messageType: 'account', rule: 'required', fields: ['accountId'] },
      },
      'Row 5, column “Account”: is empty, and every account message needs an account ID.',
    ],
    [
      {
        ...at,
        column: null,
        value: null,
        code: 'message-too-large',
        params: { messageType: 'account', bytes: 600_000 },
      },
      'Row 5: makes an account message of 586 KB, larger than one request may be (512 KB).',
    ],
    [
      { ...at, value: null, code: 'long-text', params: { characters: 70_000 } },
      'Row 5, column “Seats”: is 68 KB of text, more than Vitally is known to keep.',
    ],
    [
      {
        ...at,
        column: null,
        value: null,
        code: 'conflicting-entity',
        params: { entity: 'account:A1', keptRow: 2 },
      },
      'Row 5: account A1 has other values than on row 2; the values of row 2 are sent.',
    ],
    [
      { ...at, value: 'x'.repeat(80), code: 'empty-trait-key', params: {} },
      `Row 5, column “Seats”: “${'x'.repeat(57)}…” is mapped to a trait with no name.`,
    ],
  ])('%j reads as %j', (facts, words) => {
    expect(problemText(facts, { withRow: true })).toBe(words);
    expect(problem(facts).message).toBe(words);
  });

  it('leaves the row out for a screen that shows it beside the words, whatever the column is called', () => {
    const inCell = problem({ ...at, code: 'excel-number', params: {} });
    expect(problemText(inCell, { withRow: false })).toBe(
      '“Seats”: “many” looks like an ID Excel turned into a rounded number; re-export the column as text.',
    );
    const inRow = problem({ ...at, column: null, value: null, code: 'empty-trait-key', params: {} });
    expect(problemText(inRow, { withRow: false })).toBe('is mapped to a trait with no name.');
    const quoted = problem({ ...at, column: 'Size “XL”', code: 'excel-number', params: {} });
    expect(problemText(quoted, { withRow: false })).toMatch(/^“Size “XL””: “many” looks like/);
  });

  it('takes its severity from its code, and comes back whole from JSON through the contract’s schema', () => {
    const warning = problem({ ...at, code: 'excel-mangled', params: { mangling: 'date' } });
    const error = problem({ ...at, code: 'excel-number', params: {} });
    expect([warning.severity, error.severity]).toEqual(['warning', 'error']);
    expect(Problem.array().parse(JSON.parse(JSON.stringify([warning, error])))).toEqual([warning, error]);
  });

  it('refuses a problem without the values its words need', () => {
    expect(Problem.safeParse({ ...at, code: 'long-text', severity: 'warning', message: 'x', params: {} }).success).toBe(
      false,
    );
  });
});
