import { describe, expect, it } from 'vitest';
import { buildRow } from '../../../app/messages/builder.ts';
import { mappingProblems, zerosLost } from '../../../app/map/integrity.ts';
import type { Mapping } from '../../../app/map/mapping.ts';
import { accountMessage, mappingOf, userMessage } from '../../support/mapping.ts';

const columns = ['User ID', 'Account ID', 'Email', 'Email (2)', 'Umsatz (�)', 'Signed up', 'Zip'];

const twoEmails = mappingOf(
  userMessage([
    { column: 'Email', key: 'email', type: 'text' },
    { column: 'Email (2)', key: 'email', type: 'text' },
  ]),
);

describe('mapping integrity', () => {
  it('says two columns feed one trait, naming both, and offers to keep one or combine them', () => {
    const [problem, ...others] = mappingProblems(twoEmails, columns);
    expect(others).toEqual([]);
    expect(problem).toMatchObject({ code: 'two-sources', severity: 'error', columns: ['Email', 'Email (2)'] });
    expect(problem?.message).toBe(
      'Two sources for one target: the columns “Email” and “Email (2)” are both sent as the user trait “email”, and a message can hold only one value for it. Choose one, or combine them: the first of them that is filled.',
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
    const mapping = mappingOf(accountMessage('Account ID', [{ column: 'Umsatz (€)', key: 'umsatz', type: 'text' }]));
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
    const mapping = mappingOf(accountMessage('Account ID', [{ column: 'Account ID', key: 'accountId', type: 'text' }]));
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
    const mapping = mappingOf(
      accountMessage('Account ID', [
        { column: 'Signed up', key: 'signedUp', type: 'text' },
        { column: 'Zip', key: 'zip', type: 'text' },
      ]),
    );
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

describe('columns joined into one trait', () => {
  const nameColumns = ['User ID', 'Account ID', 'First Name', 'Middle', 'Last Name', 'Score'];
  const names = (rule: Record<string, unknown> = {}, rest: Record<string, unknown> = rule) =>
    mappingOf(
      userMessage([
        { column: 'First Name', key: 'name', type: 'text', ...rule },
        { column: 'Middle', key: 'name', type: 'text', ...rest },
        { column: 'Last Name', key: 'name', type: 'text', ...rest },
      ]),
    );
  const context = { columns: nameColumns, runTimestamp: '2026-01-01T00:00:00.000Z' };
  const traitsOf = (mapping: Mapping, cells: string[]) => {
    const built = buildRow(mapping, context, [2, ...cells]);
    expect(built.problems).toEqual([]);
    return (JSON.parse(built.messages[0]?.json ?? '{}') as { traits: unknown }).traits;
  };

  it('offers to join two columns for a name, with a space, and sends their filled cells so joined', () => {
    const [problem] = mappingProblems(names(), nameColumns);
    expect(problem?.message).toContain('or all of them joined (First Name and Last Name into a name)');
    const join = problem?.fixes.find((f) => f.label === 'Join “First Name”, “Middle” and “Last Name” with a space');
    if (!join) throw new Error('no join fix');
    expect(mappingProblems(join.mapping, nameColumns)).toEqual([]);
    expect(traitsOf(join.mapping, ['U1', 'A1', 'Grace', 'Brewster', 'Hopper'])).toEqual({
      name: 'Grace Brewster Hopper',
    });
    // Blank cells are left out, with no doubled separator; cells are trimmed.
    expect(traitsOf(join.mapping, ['U1', 'A1', ' Ada ', '', 'Lovelace '])).toEqual({ name: 'Ada Lovelace' });
    expect(traitsOf(join.mapping, ['U1', 'A1', '', '', 'Turing'])).toEqual({ name: 'Turing' });
    expect(traitsOf(join.mapping, ['U1', 'A1', '', '', ''])).toEqual({});
  });

  it('joins with the separator chosen, keeps the trait’s place, and clears it when all are blank and one says so', () => {
    const mapping = mappingOf(
      userMessage([
        { column: 'Last Name', key: 'name', type: 'text', combine: 'join', joinWith: ', ', blank: 'null' },
        { column: 'Score', key: 'score', type: 'integer' },
        { column: 'First Name', key: 'name', type: 'text', combine: 'join', joinWith: ', ' },
      ]),
    );
    expect(mappingProblems(mapping, nameColumns)).toEqual([]);
    const built = buildRow(mapping, context, [2, 'U1', 'A1', 'Grace', '', 'Hopper', '7']);
    expect(built.messages[0]?.json).toContain('"traits":{"name":"Hopper, Grace","score":7}');
    expect(traitsOf(mapping, ['U1', 'A1', '', '', '', '7'])).toEqual({ name: null, score: 7 });
  });

  it('calls columns of one trait combined in different ways, or joined with different separators, an error', () => {
    const mixed = names({ combine: 'join', joinWith: ' ' }, { combine: 'first-filled' });
    const [problem] = mappingProblems(mixed, nameColumns);
    expect(problem).toMatchObject({ code: 'two-sources', severity: 'error' });
    expect(problem?.message).toContain('but not combined the same way');
    const separators = names({ combine: 'join', joinWith: ' ' }, { combine: 'join', joinWith: ', ' });
    expect(mappingProblems(separators, nameColumns)[0]?.code).toBe('two-sources');
    // A join with no separator named uses a space, as one naming a space does.
    expect(mappingProblems(names({ combine: 'join' }, { combine: 'join', joinWith: ' ' }), nameColumns)).toEqual([]);
  });

  it('warns that a joined column of another type is sent as text, and offers to say so', () => {
    const mapping = names({ combine: 'join', type: 'integer' }, { combine: 'join' });
    const [problem] = mappingProblems(mapping, nameColumns);
    expect(problem).toMatchObject({ code: 'joined-not-text', severity: 'warning', columns: ['First Name'] });
    expect(problem?.message).toBe(
      'The column “First Name” is joined with others into the user trait “name”, which is sent as text, so its type (integer) is not used.',
    );
    expect(mappingProblems(problem?.fixes[0]?.mapping ?? mapping, nameColumns)).toEqual([]);
  });
});
