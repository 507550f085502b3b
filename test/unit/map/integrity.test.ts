import { describe, expect, it } from 'vitest';
import { buildRow } from '../../../app/build/builder.ts';
import { mappingProblems, zerosLost } from '../../../app/map/integrity.ts';
import { Mapping } from '../../../app/map/mapping.ts';

const columns = ['User ID', 'Account ID', 'Email', 'Email (2)', 'Umsatz (�)', 'Signed up', 'Zip'];

const twoEmails = Mapping.parse({
  version: 1,
  messages: [
    {
      type: 'user',
      fields: { userId: { column: 'User ID' }, accountId: { column: 'Account ID' } },
      traits: [
        { column: 'Email', key: 'email', type: 'text' },
        { column: 'Email (2)', key: 'email', type: 'text' },
      ],
    },
  ],
});

describe('mapping integrity', () => {
  it('says two columns feed one trait, naming both, and offers to keep one or combine them', () => {
    const [problem, ...others] = mappingProblems(twoEmails, columns);
    expect(others).toEqual([]);
    expect(problem).toMatchObject({ code: 'two-sources', severity: 'error', columns: ['Email', 'Email (2)'] });
    expect(problem?.message).toBe(
      'Two sources for one target: the columns “Email” and “Email (2)” are both sent as the user trait “email”, and a message can hold only one value for it. Choose one, or combine them (the first of them that is filled is sent).',
    );
    expect(problem?.fixes.map((f) => f.label)).toEqual([
      'Keep “Email” only',
      'Keep “Email (2)” only',
      'Combine: the first filled of “Email” and “Email (2)”',
    ]);
    for (const fix of problem?.fixes ?? []) expect(mappingProblems(fix.mapping, columns)).toEqual([]);
    expect(problem?.fixes[1]?.mapping.messages[0]?.traits.map((t) => t.column)).toEqual(['Email (2)']);
  });

  it('sends the first filled of combined columns', () => {
    const combined = mappingProblems(twoEmails, columns)[0]?.fixes[2]?.mapping;
    if (!combined) throw new Error('no combine fix');
    const context = { columns, runTimestamp: '2026-01-01T00:00:00.000Z' };
    const traitsOf = (cells: string[]) =>
      (JSON.parse(buildRow(combined, context, [2, ...cells]).messages[0]?.json ?? '{}') as { traits: unknown }).traits;
    expect(traitsOf(['U1', 'A1', 'a@x.io', 'b@x.io'])).toEqual({ email: 'a@x.io' });
    expect(traitsOf(['U1', 'A1', '', 'b@x.io'])).toEqual({ email: 'b@x.io' });
    expect(traitsOf(['U1', 'A1', '', ''])).toEqual({});
  });

  it('blocks a mapped column the file no longer has, naming it and where it was used, and offers the look-alike', () => {
    const mapping = Mapping.parse({
      version: 1,
      messages: [
        {
          type: 'account',
          fields: { accountId: { column: 'Account ID' } },
          traits: [{ column: 'Umsatz (€)', key: 'umsatz', type: 'text' }],
        },
      ],
    });
    const [problem] = mappingProblems(mapping, columns);
    expect(problem).toMatchObject({ code: 'missing-column', severity: 'error', columns: ['Umsatz (€)'] });
    expect(problem?.message).toContain('The file has no column “Umsatz (€)” any more');
    expect(problem?.message).toContain('the account trait “umsatz”');
    expect(problem?.fixes.map((f) => f.label)).toEqual([
      'Use “Umsatz (�)” instead',
      'Remove “Umsatz (€)” from the mapping',
    ]);
    expect(problem?.fixes[0]?.mapping.messages[0]?.traits[0]?.column).toBe('Umsatz (�)');
    expect(problem?.fixes[1]?.mapping.messages[0]?.traits).toEqual([]);
  });

  it('shows a column used as an ID and as a trait, with a one-click fix that keeps the ID', () => {
    const mapping = Mapping.parse({
      version: 1,
      messages: [
        {
          type: 'account',
          fields: { accountId: { column: 'Account ID' } },
          traits: [{ column: 'Account ID', key: 'accountId', type: 'text' }],
        },
      ],
    });
    const [problem] = mappingProblems(mapping, columns);
    expect(problem).toMatchObject({ code: 'id-and-trait', severity: 'warning', columns: ['Account ID'] });
    expect(problem?.message).toBe(
      'The column “Account ID” is the account’s account ID, and is also sent as the account trait “accountId”.',
    );
    const fixed = problem?.fixes[0]?.mapping;
    expect(fixed?.messages[0]).toEqual({
      type: 'account',
      fields: { accountId: { column: 'Account ID' } },
      traits: [],
    });
  });

  it('flags dates mapped as Text, and codes that lost their leading zeros', () => {
    const mapping = Mapping.parse({
      version: 1,
      messages: [
        {
          type: 'account',
          fields: { accountId: { column: 'Account ID' } },
          traits: [
            { column: 'Signed up', key: 'signedUp', type: 'text' },
            { column: 'Zip', key: 'zip', type: 'text' },
          ],
        },
      ],
    });
    const values = new Map([
      ['Signed up', ['28/10/2022', '2024-03-04', '']],
      ['Zip', ['01234', '02134', '1234', '80331']],
      ['Account ID', ['A1', 'A2', 'A3', 'A4']],
    ]);
    const problems = mappingProblems(mapping, columns, values);
    expect(problems.map((p) => [p.code, p.columns[0]])).toEqual([
      ['date-as-text', 'Signed up'],
      ['zeros-lost', 'Zip'],
    ]);
    expect(problems[0]?.fixes[0]?.mapping.messages[0]?.traits[0]?.type).toBe('date');
    expect(problems[1]?.message).toContain('such as “1234”');
    expect(zerosLost(['12', '345', '6789'])).toBeNull();
  });
});
