import { describe, expect, it } from 'vitest';
import {
  removalLoss,
  withField,
  withoutMessage,
  withType,
  withTypeColumn,
} from '../../renderer/src/map/message-edits.ts';
import { accountMessage, mappingOf, userMessage } from '../support/mapping.ts';

const mapping = mappingOf(
  accountMessage('ID', [{ column: 'Name', key: 'name', type: 'text' }], { organizationId: { column: 'Org' } }),
  userMessage([], { userId: { column: 'Email' } }),
);

describe("the Map step's messages, changed in the mapping", () => {
  it('hands a removed message’s traits to the message left, and says what is lost when none takes them', () => {
    expect(withoutMessage(mapping, 0).messages).toEqual([
      { type: 'user', fields: { userId: { column: 'Email' } }, traits: mapping.messages[0]?.traits },
    ]);
    expect(removalLoss(mapping, 0)).toBeNull();
    const both = withField(mapping, 1, 'accountId', { column: 'ID' });
    const withTraits = {
      ...both,
      messages: both.messages.map((m) => ({ ...m, traits: mapping.messages[0]?.traits ?? [] })),
    };
    expect(removalLoss(withTraits, 0)).toBe('Removed the Account message and its trait (name): they will not be sent.');
  });

  it('keeps only the fields the new type takes, and takes a type column out of the traits', () => {
    expect(withType(mapping, 0, 'organization').messages[0]).toEqual({
      type: 'organization',
      fields: { organizationId: { column: 'Org' } },
      traits: mapping.messages[0]?.traits,
    });
    const typed = withTypeColumn(mapping, 'Name');
    expect(typed.typeColumn).toBe('Name');
    expect(typed.messages[0]?.traits).toEqual([]);
    expect(withTypeColumn(typed, '')).not.toHaveProperty('typeColumn');
  });
});
