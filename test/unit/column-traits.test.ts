import { describe, expect, it } from 'vitest';
import { othersSentAs, usage, withCombine, withTrait } from '../../renderer/src/map/column-traits.ts';
import { accountMessage, mappingOf, userMessage } from '../support/mapping.ts';

const mapping = mappingOf(
  accountMessage('ID', [
    { column: 'First', key: 'name', type: 'text', combine: 'join' },
    { column: 'Last', key: 'name', type: 'text', combine: 'join' },
  ]),
  userMessage([], { userId: { column: 'Email' }, accountId: { column: 'ID' } }),
);

describe("the Map step's column list, read from and written into the mapping", () => {
  it('says where a column is used: as fields (an ID among them) and as traits', () => {
    expect(usage(mapping, 'ID')).toEqual({ fields: ['account ID (account, user)'], ids: true, traits: [] });
    expect(usage(mapping, 'Last').traits).toEqual([{ message: 0, trait: mapping.messages[0]?.traits[1] }]);
    expect(othersSentAs(mapping, 'name', 'First')).toBe('“Last”');
  });

  it('sends a column as a trait of exactly the messages chosen, each keeping its own combine rule', () => {
    const seats = { column: 'Seats', key: 'seats', type: 'integer', blank: 'omit', decimal: '.' } as const;
    const both = withTrait(mapping, 'Seats', seats, [0, 1]);
    expect(both.messages.map((m) => m.traits.filter((t) => t.column === 'Seats'))).toEqual([[seats], [seats]]);
    const renamed = withTrait(mapping, 'First', { ...seats, column: 'First', key: 'given' }, [0]);
    expect(renamed.messages[0]?.traits[0]).toMatchObject({ key: 'given', combine: 'join' });
    expect(withTrait(both, 'Seats', null, []).messages.flatMap((m) => m.traits.map((t) => t.column))).toEqual([
      'First',
      'Last',
    ]);
  });

  it('combines every column of a trait by one rule, joined ones as text', () => {
    const dashed = withCombine(mapping, 'First', 'join: - ');
    expect(dashed.messages[0]?.traits.map((t) => [t.combine, t.joinWith, t.type])).toEqual([
      ['join', ' - ', 'text'],
      ['join', ' - ', 'text'],
    ]);
    const first = withCombine(dashed, 'Last', 'first-filled');
    expect(first.messages[0]?.traits.map((t) => [t.combine, t.joinWith])).toEqual([
      ['first-filled', undefined],
      ['first-filled', undefined],
    ]);
  });
});
