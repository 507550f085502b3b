/** A column as traits, read from and written into a mapping: what the Map step's column list shows and changes. */
import type { Mapping } from '../../../app/contract.ts';
import { FIELD_WORDS, ID_FIELDS, TYPE_LABELS, type IdentityField, type TraitMapping } from './labels.ts';

const ID_FIELD_SET: ReadonlySet<string> = new Set(ID_FIELDS);

/** Where a column is used: as fields of some messages, as traits of others (possibly several), or not at all. */
export interface ColumnUse {
  /** Each field it feeds, with the messages it feeds it in: “account ID (account, user)”. */
  fields: string[];
  /** Whether one of those fields is an ID. */
  ids: boolean;
  /** The traits it is, by the message's place in the mapping. */
  traits: { message: number; trait: TraitMapping }[];
}

export function usage(mapping: Mapping, column: string): ColumnUse {
  const fields = new Map<string, string[]>();
  const traits: { message: number; trait: TraitMapping }[] = [];
  let ids = false;
  mapping.messages.forEach((message, index) => {
    for (const [field, source] of Object.entries(message.fields)) {
      if (!source || !('column' in source) || source.column !== column) continue;
      if (ID_FIELD_SET.has(field)) ids = true;
      const words = FIELD_WORDS[field as IdentityField] ?? field;
      fields.set(words, [...(fields.get(words) ?? []), TYPE_LABELS[message.type].toLowerCase()]);
    }
    for (const trait of message.traits) if (trait.column === column) traits.push({ message: index, trait });
  });
  return { fields: [...fields].map(([words, types]) => `${words} (${types.join(', ')})`), ids, traits };
}

/** The other columns sent as `key` alongside `column`, quoted: “Last Name”, or “A” and “B”. */
export function othersSentAs(mapping: Mapping, key: string, column: string): string {
  const names = [
    ...new Set(
      mapping.messages.flatMap((m) =>
        m.traits.some((t) => t.column === column)
          ? m.traits.filter((t) => t.key === key && t.column !== column).map((t) => `“${t.column}”`)
          : [],
      ),
    ),
  ];
  return names.length < 2
    ? (names[0] ?? 'no other column')
    : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

/** The mapping with the column as `trait` in exactly the messages `targets` (its settings shared), and in no other. */
export function withTrait(
  mapping: Mapping,
  column: string,
  trait: TraitMapping | null,
  targets: readonly number[],
): Mapping {
  return {
    ...mapping,
    messages: mapping.messages.map((message, i) => {
      const position = message.traits.findIndex((t) => t.column === column);
      if (trait && targets.includes(i)) {
        if (position === -1) return { ...message, traits: [...message.traits, trait] };
        // Each message keeps its own combine rule; the key and the reading settings are the column's.
        const own = message.traits[position];
        const traits = [...message.traits];
        const settings = { ...trait };
        delete settings.combine;
        delete settings.joinWith;
        traits[position] = own?.combine
          ? { ...settings, combine: own.combine, ...(own.joinWith === undefined ? {} : { joinWith: own.joinWith }) }
          : settings;
        return { ...message, traits };
      }
      return position === -1 ? message : { ...message, traits: message.traits.filter((t) => t.column !== column) };
    }),
  };
}

/**
 * The mapping with the columns sent as the same trait as `column` combined by `rule`, in every message where it is
 * combined: all of them, so they never disagree (`join:<text>` joins with that text between, `first-filled` sends
 * the first filled).
 */
export function withCombine(mapping: Mapping, column: string, rule: string): Mapping {
  return {
    ...mapping,
    messages: mapping.messages.map((message) => {
      const mine = message.traits.find((t) => t.column === column);
      if (!mine) return message;
      return {
        ...message,
        traits: message.traits.map((t) => {
          if (t.key !== mine.key) return t;
          const next: TraitMapping = { ...t };
          delete next.joinWith;
          if (rule === 'first-filled') return { ...next, combine: 'first-filled' };
          return { ...next, type: 'text', combine: 'join', joinWith: rule.slice('join:'.length) };
        }),
      };
    }),
  };
}
