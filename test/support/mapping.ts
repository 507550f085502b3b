/**
 * Mappings for tests, as the Map step would save them: `mappingOf(accountMessage('ID', [trait]), userMessage())`
 * instead of the whole `Mapping.parse({ version: 1, messages: [...] })` literal in each test.
 */
import type { z } from 'zod';
import { Mapping, type MessageMapping, type TraitMapping } from '../../app/map/mapping.ts';

/** A trait as a mapping's JSON gives it (its defaults, such as `blank: 'omit'`, may be left out). */
export type TraitInput = z.input<typeof TraitMapping>;
/** A message as a mapping's JSON gives it. */
export type MessageInput = z.input<typeof MessageMapping>;

/** The fields of a user message in most test files: its ID from “User ID”, its account's from “Account ID”. */
export const USER_FIELDS: MessageInput['fields'] = {
  userId: { column: 'User ID' },
  accountId: { column: 'Account ID' },
};

/** A checked mapping (version 1, its defaults filled in) that makes these messages from each row, in this order. */
export function mappingOf(...messages: MessageInput[]): Mapping {
  return Mapping.parse({ version: 1, messages });
}

/** An account message: its ID from the column `idColumn` (and any `fields` more), with these traits. */
export function accountMessage(
  idColumn: string,
  traits: TraitInput[] = [],
  fields: MessageInput['fields'] = {},
): MessageInput {
  return { type: 'account', fields: { accountId: { column: idColumn }, ...fields }, traits };
}

/** A user message with these traits, its IDs from `fields` (“User ID” and “Account ID” unless said). */
export function userMessage(traits: TraitInput[] = [], fields: MessageInput['fields'] = USER_FIELDS): MessageInput {
  return { type: 'user', fields, traits };
}
