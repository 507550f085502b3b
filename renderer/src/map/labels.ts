import type { Mapping } from '../../../app/contract.ts';

export type MessageType = Mapping['messages'][number]['type'];
export type IdentityField = keyof Mapping['messages'][number]['fields'];
export type TraitMapping = Mapping['messages'][number]['traits'][number];

export const TYPE_LABELS: Record<MessageType, string> = {
  organization: 'Organization',
  account: 'Account',
  user: 'User',
  track: 'Event (track)',
  customobjectinstance: 'Custom object',
  unlink: 'Unlink user from account',
};

export const FIELDS: Record<MessageType, { field: IdentityField; label: string; required: boolean }[]> = {
  organization: [{ field: 'organizationId', label: 'Organization ID', required: true }],
  account: [
    { field: 'accountId', label: 'Account ID', required: true },
    { field: 'organizationId', label: 'Organization ID', required: false },
  ],
  user: [
    { field: 'userId', label: 'User ID', required: true },
    { field: 'accountId', label: 'Account ID', required: false },
    { field: 'organizationId', label: 'Organization ID', required: false },
  ],
  track: [
    { field: 'event', label: 'Event name', required: true },
    { field: 'userId', label: 'User ID', required: false },
    { field: 'accountId', label: 'Account ID', required: false },
    { field: 'organizationId', label: 'Organization ID', required: false },
  ],
  customobjectinstance: [
    { field: 'externalId', label: 'External ID', required: true },
    { field: 'customObjectId', label: 'Custom object ID', required: true },
    { field: 'name', label: 'Name', required: false },
    { field: 'accountId', label: 'Account ID', required: false },
    { field: 'organizationId', label: 'Organization ID', required: false },
  ],
  unlink: [
    { field: 'userId', label: 'User ID', required: true },
    { field: 'accountId', label: 'Account ID', required: true },
  ],
};

export const COMMON_FIELDS: { field: IdentityField; label: string }[] = [
  { field: 'timestamp', label: 'Timestamp' },
  { field: 'messageId', label: 'Message ID' },
];

export const TRAIT_TYPE_LABELS: Record<TraitMapping['type'], string> = {
  text: 'Text',
  number: 'Number',
  integer: 'Whole number',
  boolean: 'True/false',
  date: 'Date',
  datetime: 'Date and time',
  multiselect: 'Multi-select',
  json: 'JSON',
};

/** Vitally's special traits, explained where they are chosen. */
export const RESERVED_TRAITS: Record<string, string> = {
  name: 'Shown as the name in Vitally.',
  email: 'Shown as the user’s email in Vitally.',
  avatar: 'An image address shown as the avatar.',
  createdAt: 'The user’s join date in Vitally (also used for NPS surveys).',
};
