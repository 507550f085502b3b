import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRow } from '../../../app/messages/builder.ts';
import { mappingProblems } from '../../../app/map/integrity.ts';
import { Mapping, mappingGaps } from '../../../app/map/mapping.ts';
import { explainMapping } from '../../../app/map/explain-mapping.ts';
import { suggestColumns, suggestMapping } from '../../../app/map/suggest.ts';
import { sheet } from '../../support/sheet.ts';

/** What the suggestions make of a file, and the messages its first row becomes. */
function suggested(text: string) {
  const { columns, rows, values } = sheet(text);
  const suggestions = suggestColumns(columns, values);
  const mapping = suggestMapping(suggestions, values);
  expect(Mapping.parse(mapping)).toEqual(mapping);
  const context = { columns, runTimestamp: '2026-01-01T00:00:00.000Z' };
  const built = buildRow(mapping, context, [2, ...(rows[0] ?? [])]);
  expect(built.problems).toEqual([]);
  const messages = built.messages.map((m) => JSON.parse(m.json) as Record<string, unknown>);
  const user = messages.find((m) => m.type === 'user');
  const account = messages.find((m) => m.type === 'account');
  return { columns, values, suggestions, mapping, messages, user, account };
}

const reasonOf = (suggestions: { column: string; reason: string }[], column: string) =>
  suggestions.find((s) => s.column === column)?.reason ?? '';

describe('a contacts export is mapped right on the first try', () => {
  it('the sample spreadsheet: an account named by its company, then its user with accountId and a joined name', () => {
    const text = readFileSync(
      join(import.meta.dirname, '..', '..', '..', 'assets', 'sample', 'contacts-sample.csv'),
      'utf8',
    );
    const { mapping, messages, columns, values } = suggested(text);
    expect(mapping.messages.map((m) => m.type)).toEqual(['account', 'user']);
    expect(mappingGaps(mapping)).toEqual([]);
    expect(mappingProblems(mapping, columns, values)).toEqual([]);
    expect(messages).toMatchObject([
      { type: 'account', accountId: 'C-100', traits: { name: 'Northwind Traders' } },
      {
        type: 'user',
        userId: 'U-1001',
        accountId: 'C-100',
        traits: {
          name: 'Ada Lovelace',
          email: 'ada.lovelace@northwind.example',
          role: 'Admin',
          createdAt: '2025-01-01',
          newsletter: false,
        },
      },
    ]);
    // The user's traits say nothing of the company: its name is the account's.
    expect(Object.keys(messages[1]?.traits as object)).not.toContain('company');
  });

  it('a HubSpot-like export: Contact ID, First Name, Last Name, Email, Company Name, Company ID, Phone, Lifecycle Stage', () => {
    const { mapping, user, account, suggestions } = suggested(
      [
        'Contact ID,First Name,Last Name,Email,Company Name,Company ID,Phone,Lifecycle Stage',
        '5101,Ada,Lovelace,ada@northwind.example,Northwind Traders,880,+44 20 7946 0000,customer',
        '5102,Grace,Hopper,grace@globex.example,Globex,881,0049 30 1234,lead',
      ].join('\n'),
    );
    expect(mapping.messages.map((m) => m.type)).toEqual(['account', 'user']);
    expect(mapping.messages[1]?.fields).toEqual({
      userId: { column: 'Contact ID' },
      accountId: { column: 'Company ID' },
    });
    expect(mapping.messages[1]?.traits.filter((t) => t.key === 'name')).toEqual([
      { column: 'First Name', key: 'name', type: 'text', blank: 'omit', decimal: '.', combine: 'join', joinWith: ' ' },
      { column: 'Last Name', key: 'name', type: 'text', blank: 'omit', decimal: '.', combine: 'join', joinWith: ' ' },
    ]);
    expect(account).toEqual(expect.objectContaining({ accountId: '880', traits: { name: 'Northwind Traders' } }));
    expect(user).toEqual(
      expect.objectContaining({
        userId: '5101',
        accountId: '880',
        traits: {
          name: 'Ada Lovelace',
          email: 'ada@northwind.example',
          phone: '+44 20 7946 0000',
          lifecycleStage: 'customer',
        },
      }),
    );
    // Each suggestion says why, from the header and from the values.
    expect(reasonOf(suggestions, 'Contact ID')).toBe(
      'Because the column is called “Contact ID” (a user ID) and its values look like IDs (“5101”, “5102”).',
    );
    expect(reasonOf(suggestions, 'Company Name')).toContain(
      'the name of the account (the company), not the user’s own name',
    );
    expect(reasonOf(suggestions, 'First Name')).toContain(
      'Joined with “Last Name”, a space between, it is the user’s name',
    );
  });

  it('a HubSpot export: its Record ID is the contact’s, its associated company the account', () => {
    const { mapping, user, account, suggestions } = suggested(
      [
        'Record ID,First Name,Last Name,Email,Phone Number,Lifecycle Stage,Associated Company,Associated Company ID',
        '101,Ada,Lovelace,ada@northwind.example,020 7946 0000,Customer,Northwind Traders,9001',
      ].join('\n'),
    );
    expect(mapping.messages.map((m) => m.type)).toEqual(['account', 'user']);
    expect(user).toMatchObject({
      userId: '101',
      accountId: '9001',
      traits: { name: 'Ada Lovelace', phone: '020 7946 0000' },
    });
    expect(account).toMatchObject({ accountId: '9001', traits: { name: 'Northwind Traders' } });
    expect(reasonOf(suggestions, 'Record ID')).toContain('describe people');
  });

  it('a Salesforce contacts report: 18-character IDs, the account’s name and its other columns', () => {
    const { mapping, user, account } = suggested(
      [
        'Contact ID,Account ID,First Name,Last Name,Account Name,Title,Email,Mailing City,Account Owner',
        '0035e00000AbCdEAAZ,0015e00000XyZwVAA1,Ada,Lovelace,Northwind Traders,CTO,ada@northwind.example,London,Sam Seller',
      ].join('\n'),
    );
    expect(mapping.messages.map((m) => m.type)).toEqual(['account', 'user']);
    expect(account).toMatchObject({
      accountId: '0015e00000XyZwVAA1',
      traits: { name: 'Northwind Traders', owner: 'Sam Seller' },
    });
    expect(user).toMatchObject({
      userId: '0035e00000AbCdEAAZ',
      accountId: '0015e00000XyZwVAA1',
      traits: { name: 'Ada Lovelace', title: 'CTO', email: 'ada@northwind.example', mailingCity: 'London' },
    });
  });

  it('an Intercom users export: a whole name, and the company’s name for the account', () => {
    const { user, account } = suggested(
      [
        'Name,Email,User ID,Phone,Company name,Company ID,Signed up',
        'Ada Lovelace,ada@northwind.example,u_1,,Northwind Traders,c_1,2024-05-01',
      ].join('\n'),
    );
    expect(account).toMatchObject({ accountId: 'c_1', traits: { name: 'Northwind Traders' } });
    expect(user).toMatchObject({
      userId: 'u_1',
      accountId: 'c_1',
      traits: { name: 'Ada Lovelace', email: 'ada@northwind.example', createdAt: '2024-05-01' },
    });
  });

  it('a contacts file with only email addresses to tell people apart: the email is the user ID, and still the email', () => {
    const { mapping, user, columns, values, suggestions } = suggested(
      ['Email,First Name,Last Name,Company ID', 'ada@northwind.example,Ada,Lovelace,C-1'].join('\n'),
    );
    expect(mapping.messages.map((m) => m.type)).toEqual(['account', 'user']);
    expect(user).toMatchObject({
      userId: 'ada@northwind.example',
      accountId: 'C-1',
      traits: { email: 'ada@northwind.example', name: 'Ada Lovelace' },
    });
    // Sent as the ID and as the email on purpose: no warning.
    expect(mappingProblems(mapping, columns, values)).toEqual([]);
    expect(reasonOf(suggestions, 'Email')).toContain('the email address is each user’s ID too');
  });

  it('a contacts file without company IDs: users that still need an account, and the company is not their name', () => {
    const { columns, values } = sheet(
      ['Email,First Name,Last Name,Company', 'ada@northwind.example,Ada,Lovelace,Northwind'].join('\n'),
    );
    const suggestions = suggestColumns(columns, values);
    const mapping = suggestMapping(suggestions, values);
    expect(mapping.messages.map((m) => m.type)).toEqual(['user']);
    expect(mapping.messages[0]?.traits.map((t) => [t.column, t.key])).toEqual([
      ['Email', 'email'],
      ['First Name', 'name'],
      ['Last Name', 'name'],
      ['Company', 'company'],
    ]);
    expect(mappingGaps(mapping)).toEqual(['User messages need an account ID or an organization ID.']);
    expect(reasonOf(suggestions, 'Company')).toContain('not the user’s name');
  });

  it('a companies export: its Record ID is the account’s, and nothing becomes a user', () => {
    const { mapping, account } = suggested(
      [
        'Record ID,Company name,Company Domain Name,Industry,Billing Email',
        '9001,Northwind Traders,northwind.example,Retail,ap@northwind.example',
      ].join('\n'),
    );
    expect(mapping.messages.map((m) => m.type)).toEqual(['account']);
    expect(account).toMatchObject({
      accountId: '9001',
      traits: {
        name: 'Northwind Traders',
        companyDomainName: 'northwind.example',
        industry: 'Retail',
        email: 'ap@northwind.example',
      },
    });
  });

  it('a first name with no last name is its own trait, and columns of a file without users keep their keys', () => {
    const users = suggestMapping(
      ...(() => {
        const { columns, values } = sheet('User ID,Account ID,First Name\nU1,A1,Ada');
        return [suggestColumns(columns, values), values] as const;
      })(),
    );
    expect(users.messages[1]?.traits.map((t) => t.key)).toEqual(['firstName']);
    const accounts = suggestMapping(
      ...(() => {
        const { columns, values } = sheet(
          'Account ID,Account Name,Contact First Name,Contact Last Name\nA1,Acme,Ada,Lovelace',
        );
        return [suggestColumns(columns, values), values] as const;
      })(),
    );
    expect(accounts.messages.map((m) => m.type)).toEqual(['account']);
    expect(accounts.messages[0]?.traits.map((t) => [t.key, t.combine])).toEqual([
      ['name', undefined],
      ['contactFirstName', undefined],
      ['contactLastName', undefined],
    ]);
  });

  it('joins names in first-middle-last order whatever the columns’ order', () => {
    const { user } = suggested('Last Name,Middle Name,First Name,User ID,Account ID\nHopper,Murray,Grace,U1,A1');
    expect(user).toMatchObject({ traits: { name: 'Grace Murray Hopper' } });
  });

  it('explains each suggested message while it keeps its fields', () => {
    const { mapping, suggestions } = suggested(
      'Contact ID,First Name,Last Name,Email,Company Name,Company ID\n5101,Ada,Lovelace,ada@northwind.example,Northwind,880',
    );
    expect(explainMapping(mapping, suggestions).map((e) => [e.type, e.text])).toEqual([
      [
        'account',
        'Suggested because “Company ID” is the ID of each user’s account (the company), named by “Company Name”. It is sent before the user, so the user can belong to it.',
      ],
      [
        'user',
        'Suggested because “Contact ID” is each row’s user ID and “Company ID” the ID of the account (the company) they belong to; “First Name” and “Last Name” are joined into the user’s name.',
      ],
    ]);
  });
});
