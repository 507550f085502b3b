import { describe, expect, it } from 'vitest';
import { buildRow } from '../../../app/messages/builder.ts';
import { Mapping } from '../../../app/map/mapping.ts';
import { suggestColumns, suggestMapping } from '../../../app/map/suggest.ts';
import { sheet } from '../../support/sheet.ts';

/** The messages the suggested mapping makes of each row, as sent. */
function sent(text: string) {
  const { columns, rows, values } = sheet(text);
  const mapping = suggestMapping(suggestColumns(columns, values), values);
  expect(Mapping.parse(mapping)).toEqual(mapping);
  const context = { columns, runTimestamp: '2026-01-01T00:00:00.000Z' };
  return rows.flatMap((row, i) =>
    buildRow(mapping, context, [i + 2, ...row]).messages.map((m) => JSON.parse(m.json) as Record<string, unknown>),
  );
}

describe('someone else’s email address is never taken for the user’s', () => {
  it('a contacts export with its owner’s email before the contact’s: the contact’s own is the user’s email and ID', () => {
    const messages = sent(`
Contact owner,First Name,Last Name,Email,Account ID
bob@acme.example,Ada,Lovelace,ada@acme.example,A-1
bob@acme.example,Alan,Turing,alan@acme.example,A-1`);
    const users = messages.filter((m) => m.type === 'user');
    // Not two users both called “bob@acme.example”, the second overwriting the first.
    expect(users.map((u) => u.userId)).toEqual(['ada@acme.example', 'alan@acme.example']);
    expect(users[0]).toMatchObject({
      traits: { email: 'ada@acme.example', name: 'Ada Lovelace', contactOwner: 'bob@acme.example' },
    });
  });

  it('a HubSpot contacts export with IDs: the owner’s address is kept under the owner, not as the user’s email', () => {
    const [, user] = sent(`
Record ID,Contact owner,First Name,Last Name,Email,Associated Company ID
101,bob@acme.example,Ada,Lovelace,ada@acme.example,A-1`);
    expect(user).toMatchObject({
      type: 'user',
      userId: '101',
      traits: { email: 'ada@acme.example', contactOwner: 'bob@acme.example' },
    });
    expect(user?.traits).not.toHaveProperty('email2');
  });

  it('a manager’s email column before the user’s own', () => {
    const [, user] = sent(`
Manager Email,Email,Name,User ID,Account ID
boss@acme.example,ada@acme.example,Ada,U-1,A-1`);
    expect(user).toMatchObject({ traits: { email: 'ada@acme.example', managerEmail: 'boss@acme.example' } });
  });

  it('an accounts export with its owner’s email: the account gets no “email” of its owner', () => {
    const [account] = sent(`
Account ID,Account Name,Account Owner Email,Plan
A-1,Acme,bob@acme.example,pro`);
    expect(account).toMatchObject({ type: 'account', traits: { name: 'Acme', accountOwnerEmail: 'bob@acme.example' } });
    expect(account?.traits).not.toHaveProperty('email');
  });

  it('an accounts export with a record ID and its owner’s email: the ID is the account’s, not a user’s', () => {
    const messages = sent(`
ID,Name,Owner Email,Domain
42,Acme,bob@acme.example,acme.example`);
    expect(messages).toEqual([
      expect.objectContaining({
        type: 'account',
        accountId: '42',
        traits: { name: 'Acme', ownerEmail: 'bob@acme.example', domain: 'acme.example' },
      }),
    ]);
  });
});

describe('a file with both “Name” and “Company Name”: “Name” is the person’s', () => {
  it('with a company ID: the account is named by the company, the person is a user named by “Name”', () => {
    const messages = sent(`
Name,Email,Company Name,Company ID
Ada Lovelace,ada@acme.example,Acme,C-1`);
    expect(messages).toMatchObject([
      { type: 'account', accountId: 'C-1', traits: { name: 'Acme' } },
      { type: 'user', userId: 'ada@acme.example', accountId: 'C-1', traits: { name: 'Ada Lovelace' } },
    ]);
  });

  it('with a record ID: the ID is the person’s, never an account named after the person', () => {
    const { columns, values } = sheet('ID,Name,Company Name,Email\nU-1,Ada Lovelace,Acme,ada@acme.example');
    const mapping = suggestMapping(suggestColumns(columns, values), values);
    // A user, who still needs the account they belong to (the Map step asks for it), named by “Name”.
    expect(mapping.messages).toMatchObject([
      {
        type: 'user',
        fields: { userId: { column: 'ID' } },
        traits: [
          { column: 'Name', key: 'name' },
          { column: 'Company Name', key: 'companyName' },
          { column: 'Email', key: 'email' },
        ],
      },
    ]);
  });
});
