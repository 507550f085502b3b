/**
 * What one column probably is, read on its own: from its header (case, spacing and punctuation ignored, with
 * synonyms: `header-words.ts`) and else from its values (`sample-types.ts`), with a confidence and a reason the
 * user can read before accepting it.
 */
import { FIELD_SYNONYMS, TRAIT_SYNONYMS, normaliseHeader, someoneElses, traitKey } from './header-words.ts';
import {
  FIELD_LABELS,
  withArticle,
  type DateOrder,
  type IdentityField,
  type MessageType,
  type TraitType,
} from './mapping.ts';
import { because, examples, lookLike } from './reasons.ts';
import {
  DECIMAL_COMMA,
  EMAIL,
  TYPE_CHECKS,
  URL_TEXT,
  UUID,
  commaIsDecimal,
  dateSuggestion,
  share,
  valuesWords,
} from './sample-types.ts';

export type SuggestionTarget =
  | { kind: 'field'; field: IdentityField }
  | {
      kind: 'trait';
      key: string;
      type: TraitType;
      dateOrder?: DateOrder;
      decimal?: '.' | ',';
      /** The message it is suggested for, when the file says (a company's name is the account's, not the user's). */
      message?: MessageType;
      /** Joined with the other columns suggested for the same key, with this between (First + Last Name → name). */
      joinWith?: string;
    };

export interface ColumnSuggestion {
  column: string;
  target: SuggestionTarget;
  /** 0–1: how sure the suggestion is. */
  confidence: number;
  /** Why, in words a user can check: “Because the column is called … and its values look like …”. */
  reason: string;
}

/** What one column probably is, from its header and up to a few hundred of its values. */
export function suggestColumn(column: string, values: readonly string[]): ColumnSuggestion {
  const sample = values.map((value) => value.trim()).filter((value) => value !== '');
  return byHeader(column, sample) ?? byValues(column, sample);
}

/** A column whose header names one of Vitally's fields or reserved traits (or a synonym of one). */
function byHeader(column: string, sample: readonly string[]): ColumnSuggestion | null {
  const normalised = normaliseHeader(column);
  const called = `the column is called “${column}”`;
  const field = FIELD_SYNONYMS[normalised];
  if (field)
    return {
      column,
      target: { kind: 'field', field },
      confidence: 0.95,
      reason: because(`${called} (${withArticle(FIELD_LABELS[field])})`, valuesWords(sample)),
    };
  const trait = TRAIT_SYNONYMS[normalised];
  if (trait) {
    // A date column named as one still says by its values which order its dates are in.
    const dates = trait.type === 'date' || trait.type === 'datetime' ? dateSuggestion(sample) : null;
    const reserved = ['name', 'email', 'avatar', 'createdAt'].includes(trait.key);
    return {
      column,
      target: { kind: 'trait', ...trait, ...(dates?.target ?? {}) },
      confidence: 0.9,
      reason:
        because(
          `${called}${reserved ? ` (Vitally’s own “${trait.key}” trait)` : ''}`,
          dates?.words ?? valuesWords(sample),
        ) + (dates?.after ?? ''),
    };
  }
  return null;
}

/** A column its header says nothing about: a trait under the header's key, typed by what its values look like. */
function byValues(column: string, sample: readonly string[]): ColumnSuggestion {
  const key = traitKey(column) || 'value';
  if (sample.length === 0)
    return {
      column,
      target: { kind: 'trait', key, type: 'text' },
      confidence: 0.3,
      reason: 'Because the column is empty in the first rows, it is sent as text.',
    };
  const dates = dateSuggestion(sample);
  if (dates)
    return {
      column,
      target: { kind: 'trait', key, ...dates.target },
      confidence: 0.85,
      reason: because(dates.words) + (dates.after ?? ''),
    };
  for (const [type, test, what] of TYPE_CHECKS) {
    const fraction = share(sample, test);
    if (fraction >= 0.95) {
      return {
        column,
        target: { kind: 'trait', key, type },
        confidence: 0.6 + 0.3 * fraction,
        reason: because(lookLike(what, examples(sample))),
      };
    }
  }
  if (share(sample, (v) => DECIMAL_COMMA.test(v)) >= 0.95 && sample.some((v) => commaIsDecimal(v))) {
    return {
      column,
      target: { kind: 'trait', key, type: 'number', decimal: ',' },
      confidence: 0.8,
      reason: because(lookLike('numbers written with a decimal comma', examples(sample, commaIsDecimal))),
    };
  }
  if (share(sample, (v) => EMAIL.test(v)) >= 0.95) {
    // The owner's or a manager's address is theirs, not the row's own email (nor, in a file without IDs, its ID).
    if (someoneElses(column))
      return {
        column,
        target: { kind: 'trait', key, type: 'text' },
        confidence: 0.7,
        reason: `${because(lookLike('email addresses', examples(sample)))} Its name says they are someone else’s (“${column}”), so it is sent as “${key}”, not as the “email” trait.`,
      };
    return {
      column,
      target: { kind: 'trait', key: 'email', type: 'text' },
      confidence: 0.8,
      reason: because(lookLike('email addresses', examples(sample))),
    };
  }
  if (share(sample, (v) => UUID.test(v)) >= 0.95) {
    return {
      column,
      target: { kind: 'trait', key, type: 'text' },
      confidence: 0.5,
      reason: `${because(lookLike('IDs (UUIDs)', examples(sample)))} Map it to an ID field if it is one.`,
    };
  }
  if (share(sample, (v) => URL_TEXT.test(v)) >= 0.95) {
    return {
      column,
      target: { kind: 'trait', key, type: 'text' },
      confidence: 0.6,
      reason: because(lookLike('web addresses', examples(sample))),
    };
  }
  return {
    column,
    target: { kind: 'trait', key, type: 'text' },
    confidence: 0.5,
    reason: because(lookLike('text', examples(sample))),
  };
}
