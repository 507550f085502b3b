/** Why each message of a suggested mapping is there, in plain words, for the Map step to show. */
import type { ColumnSuggestion } from './column-suggestion.ts';
import { inContext, shapeOf } from './file-shape.ts';
import { TYPE_WORDS, type IdentityField, type Mapping, type MessageMapping, type MessageType } from './mapping.ts';
import { quoted } from './reasons.ts';

/** Why a suggested message is there, for the Map step to show while the message still has those fields. */
export interface MessageExplanation {
  type: MessageType;
  /** The fields it was suggested with: once they change, the explanation no longer applies. */
  fields: MessageMapping['fields'];
  text: string;
}

/** Each message of a suggested mapping (`suggestMapping`'s) with why it was suggested, in plain words. */
export function explainMapping(mapping: Mapping, given: readonly ColumnSuggestion[]): MessageExplanation[] {
  const suggestions = mapping.typeColumn === undefined ? inContext(given) : given;
  const shape = shapeOf(suggestions);
  const types = mapping.messages.map((m) => m.type);
  return mapping.messages.map((message) => {
    const { type, fields } = message;
    const column = (field: IdentityField) => {
      const source = fields[field];
      return source && 'column' in source ? source.column : null;
    };
    const explain = (text: string) => ({ type, fields, text });
    if (mapping.typeColumn !== undefined)
      return explain(
        `Suggested because the column “${mapping.typeColumn}” names each row’s type, and some rows are ${TYPE_WORDS[type]}s; each row makes only the message of its type.`,
      );
    const account = column('accountId');
    const user = column('userId');
    const name = message.traits.filter((t) => t.key === 'name').map((t) => t.column);
    if (type === 'user' && user) {
      const who =
        shape.user?.by === 'email'
          ? `“${user}” holds each person’s email address, which is their user ID since no column holds one`
          : `“${user}” is each row’s user ID`;
      const belongs = account
        ? ` and “${account}” the ID of the account (the company) they belong to`
        : column('organizationId')
          ? ` and “${column('organizationId') ?? ''}” the organization they belong to`
          : '';
      const named =
        name.length > 1
          ? `; ${quoted(name)} are joined into the user’s name`
          : name[0]
            ? `; “${name[0]}” is their name`
            : '';
      return explain(`Suggested because ${who}${belongs}${named}.`);
    }
    if (type === 'account' && account) {
      const named = name[0] ? `, named by “${name[0]}”` : '';
      return explain(
        types.includes('user')
          ? `Suggested because “${account}” is the ID of each user’s account (the company)${named}. It is sent before the user, so the user can belong to it.`
          : `Suggested because “${account}” is each row’s account ID${named}.`,
      );
    }
    if (type === 'organization' && column('organizationId'))
      return explain(`Suggested because “${column('organizationId') ?? ''}” is each row’s organization ID.`);
    return explain(
      'No column’s name says what identifies each row, so each row is suggested as an account: choose the column that holds its ID, or choose another message type.',
    );
  });
}
