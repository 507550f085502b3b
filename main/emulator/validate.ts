/**
 * The Vitally emulator's own reading of the Analytics API's message rules (the shared API reference, §3), kept
 * apart from the app's validator on purpose: the emulator is the other side of the wire.
 */

export const MESSAGE_TYPES = ['organization', 'account', 'user', 'track', 'unlink', 'customobjectinstance'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export type Message = Record<string, unknown>;

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && (MESSAGE_TYPES as readonly string[]).includes(value);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown) => (typeof value === 'string' && value !== '') || typeof value === 'number';
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Why a message of `type` is invalid, or null when it is valid. */
export function messageProblem(type: MessageType, message: unknown): string | null {
  if (!isObject(message)) return 'each message must be a JSON object';
  const has = (field: string) => message[field] !== undefined && message[field] !== null;
  if (!has('timestamp') && !has('messageId')) return 'timestamp or messageId is required';
  if (has('timestamp') && (typeof message.timestamp !== 'string' || !ISO_8601.test(message.timestamp))) {
    return 'timestamp must be an ISO 8601 date string';
  }
  if (has('messageId') && !isId(message.messageId)) return 'messageId must be a string';
  const needId = (field: string) => (isId(message[field]) ? null : `${field} is required`);
  const traitsObject = (required: boolean) => {
    if (!has('traits')) return required ? 'traits is required (it may be an empty object)' : null;
    return isObject(message.traits) ? null : 'traits must be an object';
  };
  switch (type) {
    case 'organization':
      return needId('organizationId') ?? traitsObject(false);
    case 'account':
      return needId('accountId') ?? traitsObject(false);
    case 'user':
      return (
        needId('userId') ??
        (isId(message.accountId) || isId(message.organizationId) ? null : 'accountId or organizationId is required') ??
        traitsObject(true)
      );
    case 'track':
      if (typeof message.event !== 'string' || message.event === '') return 'event is required';
      if (!isObject(message.properties)) return 'properties is required (it may be an empty object)';
      return isId(message.userId) || isId(message.accountId) || isId(message.organizationId)
        ? null
        : 'userId, accountId or organizationId is required';
    case 'unlink':
      return needId('userId') ?? needId('accountId');
    case 'customobjectinstance':
      return (
        needId('externalId') ??
        needId('customObjectId') ??
        (isId(message.accountId) || isId(message.organizationId) ? null : 'accountId or organizationId is required') ??
        traitsObject(true)
      );
  }
}
