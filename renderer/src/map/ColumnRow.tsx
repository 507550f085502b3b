import type { ReactElement } from 'react';
import type { ColumnSuggestion, DateOrder, Mapping } from '../../../app/contract.ts';
import { othersSentAs, usage, withCombine, withTrait, type ColumnUse } from './column-traits.ts';
import {
  FIELD_WORDS,
  RESERVED_TRAITS,
  TRAIT_TYPE_LABELS,
  TYPE_LABELS,
  type MessageType,
  type TraitMapping,
} from './labels.ts';

const ORDER_WORDS: Record<DateOrder, string> = { DMY: 'day first', MDY: 'month first', YMD: 'year first' };

/** What can go between joined values. */
const JOINS: { value: string; label: string }[] = [
  { value: 'join: ', label: 'Joined by a space' },
  { value: 'join:, ', label: 'Joined by a comma' },
  { value: 'join: - ', label: 'Joined by a dash' },
  { value: 'join:', label: 'Joined, no space' },
];

const SEPARATORS: { value: string; label: string }[] = [
  { value: '', label: 'JSON list ["a","b"]' },
  { value: ';', label: 'Split on ; (beta;vip)' },
  { value: ',', label: 'Split on , (beta,vip)' },
  { value: '|', label: 'Split on | (beta|vip)' },
  { value: '/', label: 'Split on / (beta/vip)' },
];

/** A message a column can be a trait of: its place in the mapping and its type. */
export interface TraitTarget {
  index: number;
  type: MessageType;
}

type TraitSuggestion = Extract<ColumnSuggestion['target'], { kind: 'trait' }>;

/** A suggestion in a few words: “user ID”, “name · text, joined”, “createdAt · date · day first”. */
function describeTarget(suggestion: ColumnSuggestion): string {
  const { target } = suggestion;
  if (target.kind === 'field') return FIELD_WORDS[target.field] ?? target.field;
  const parts = [
    target.message && target.message !== 'track'
      ? `${TYPE_LABELS[target.message]} trait “${target.key}”`
      : `“${target.key}”`,
    TRAIT_TYPE_LABELS[target.type],
  ];
  if (target.dateOrder) parts.push(ORDER_WORDS[target.dateOrder]);
  if (target.decimal === ',') parts.push('decimal comma');
  if (target.joinWith !== undefined) parts.push('joined');
  return parts.join(' · ');
}

const targetWords = (type: MessageType) => (type === 'track' ? 'Event property' : `${TYPE_LABELS[type]} trait`);

/** Whether the column's trait is already what was suggested for it. */
function isSuggested(trait: TraitMapping | null, suggested: TraitSuggestion | null): boolean {
  return (
    suggested !== null &&
    trait !== null &&
    trait.key === suggested.key &&
    trait.type === suggested.type &&
    (suggested.dateOrder === undefined || trait.dateOrder === suggested.dateOrder) &&
    (suggested.decimal === undefined || trait.decimal === suggested.decimal)
  );
}

/**
 * One column of the sheet as traits: what it was suggested as (with a way to take the suggestion), which
 * messages it is sent in, and its trait's name, type and format, and blank rule.
 */
export function ColumnRow(props: {
  column: string;
  mapping: Mapping;
  suggestion: ColumnSuggestion | undefined;
  traitTargets: readonly TraitTarget[];
  update: (change: (mapping: Mapping) => Mapping) => void;
}): ReactElement {
  const { column, mapping, suggestion, traitTargets, update } = props;
  const use = usage(mapping, column);
  const trait = use.traits[0]?.trait ?? null;
  const used = use.traits.map((t) => t.message);
  const suggested = suggestion?.target.kind === 'trait' ? suggestion.target : null;
  const defaults: TraitMapping = trait ?? {
    column,
    key: suggested ? suggested.key : column,
    type: suggested ? suggested.type : 'text',
    blank: 'omit',
    decimal: suggested?.decimal ?? '.',
    ...(suggested?.dateOrder ? { dateOrder: suggested.dateOrder } : {}),
  };
  const setTrait = (next: TraitMapping | null, targets: readonly number[]) =>
    update((m) => withTrait(m, column, next, targets));
  const setCombine = (rule: string) => update((m) => withCombine(m, column, rule));
  const change = (patch: Partial<TraitMapping>) => {
    const next = { ...defaults, ...patch };
    // A setting taken back (the JSON list, the unclear-dates rule) leaves the mapping.
    for (const key of ['dateOrder', 'separator'] as const) if (next[key] === undefined) delete next[key];
    setTrait(next, used.length > 0 ? used : [traitTargets.at(-1)?.index ?? 0]);
  };
  const takeSuggestion = (target: TraitSuggestion) => {
    change({
      key: target.key,
      type: target.type,
      ...(target.decimal ? { decimal: target.decimal } : {}),
      ...(target.dateOrder ? { dateOrder: target.dateOrder } : {}),
    });
    if (target.joinWith !== undefined) setCombine(`join:${target.joinWith}`);
  };
  const offered = suggested && !isSuggested(trait, suggested) && use.fields.length === 0 ? suggested : null;
  return (
    <tr data-column={column}>
      <th scope="row" aria-label={column}>
        {column}
        <div className="map-suggestion">
          {suggestion ? (
            <>
              <span className="map-suggestion__what">
                Suggested: {describeTarget(suggestion)}
                <span className="muted"> {Math.round(suggestion.confidence * 100)}%</span>
                {offered ? (
                  <button
                    type="button"
                    className="link-button"
                    aria-label={`Use the suggestion for “${column}”`}
                    onClick={() => takeSuggestion(offered)}
                  >
                    Use
                  </button>
                ) : null}
              </span>
              <small className="muted map-suggestion__why">{suggestion.reason}</small>
            </>
          ) : null}
        </div>
      </th>
      <SendAs
        column={column}
        use={use}
        isTypeColumn={mapping.typeColumn === column}
        traitTargets={traitTargets}
        defaults={defaults}
        setTrait={setTrait}
      />
      <td>
        {trait ? (
          <TraitName
            column={column}
            trait={trait}
            others={othersSentAs(mapping, trait.key, column)}
            change={change}
            setCombine={setCombine}
          />
        ) : null}
      </td>
      <td>{trait ? <TraitFormat column={column} trait={trait} change={change} /> : null}</td>
      <td>
        {trait ? (
          <select
            aria-label={`Blank cells of “${column}”`}
            value={trait.blank}
            onChange={(event) => change({ blank: event.target.value as TraitMapping['blank'] })}
          >
            <option value="omit">Leave as is</option>
            <option value="null">Clear (null)</option>
          </select>
        ) : null}
      </td>
    </tr>
  );
}

/** Which messages the column is sent in: the fields it already is, and the messages it is a trait of, or none. */
function SendAs(props: {
  column: string;
  use: ColumnUse;
  isTypeColumn: boolean;
  traitTargets: readonly TraitTarget[];
  defaults: TraitMapping;
  setTrait: (trait: TraitMapping | null, targets: readonly number[]) => void;
}): ReactElement {
  const { column, use, isTypeColumn, traitTargets, defaults, setTrait } = props;
  const used = use.traits.map((t) => t.message);
  // An ID column is offered as a trait only once it is one (then shown, with a way to stop it).
  const idOnly = use.ids && used.length === 0;
  return (
    <td className="map-send-as">
      {use.fields.length > 0 ? <span className="muted map-used-as">Used as {use.fields.join(', ')}</span> : null}
      {isTypeColumn ? (
        <span className="muted">Names each row’s message type</span>
      ) : idOnly ? null : traitTargets.length > 1 ? (
        <fieldset className="map-targets" aria-label={`Send “${column}” as`}>
          {traitTargets.map(({ index, type }) => (
            <label key={index} className="map-target">
              <input
                type="checkbox"
                aria-label={`Send “${column}” as ${targetWords(type).toLowerCase()}`}
                checked={used.includes(index)}
                onChange={(event) => {
                  const next = event.target.checked ? [...used, index] : used.filter((message) => message !== index);
                  setTrait(next.length > 0 ? defaults : null, next);
                }}
              />
              {targetWords(type)}
            </label>
          ))}
        </fieldset>
      ) : (
        <select
          aria-label={`Send “${column}” as`}
          value={used[0] === undefined ? 'skip' : String(used[0])}
          onChange={(event) =>
            event.target.value === 'skip' ? setTrait(null, []) : setTrait(defaults, [Number(event.target.value)])
          }
        >
          <option value="skip">Skip this column</option>
          {traitTargets.map(({ index, type }) => (
            <option key={index} value={index}>
              {targetWords(type)}
            </option>
          ))}
        </select>
      )}
      {use.fields.length > 0 && used.length > 0 ? (
        <button type="button" className="link-button" onClick={() => setTrait(null, [])}>
          Stop sending as a trait
        </button>
      ) : null}
    </td>
  );
}

/** The trait's name, what Vitally makes of it, and how it is combined with the other columns sent as it. */
function TraitName(props: {
  column: string;
  trait: TraitMapping;
  /** The other columns sent as the same trait, in words. */
  others: string;
  change: (patch: Partial<TraitMapping>) => void;
  setCombine: (rule: string) => void;
}): ReactElement {
  const { column, trait, others, change, setCombine } = props;
  const joined = `join:${trait.joinWith ?? ' '}`;
  const joins =
    trait.combine === 'join' && !JOINS.some((j) => j.value === joined)
      ? [...JOINS, { value: joined, label: `Joined, “${trait.joinWith ?? ''}” between` }]
      : JOINS;
  return (
    <>
      <input
        aria-label={`Trait name for “${column}”`}
        value={trait.key}
        onChange={(event) => change({ key: event.target.value })}
      />
      {RESERVED_TRAITS[trait.key] ? <small className="muted reserved">{RESERVED_TRAITS[trait.key]}</small> : null}
      {trait.key.startsWith('vitally.custom.') ? (
        <small className="muted reserved">A custom trait defined in Vitally.</small>
      ) : null}
      {trait.combine ? (
        <label className="map-combine">
          <small className="muted">Combined with {others}:</small>
          <select
            aria-label={`How “${column}” is combined into “${trait.key}”`}
            value={trait.combine === 'join' ? joined : 'first-filled'}
            onChange={(event) => setCombine(event.target.value)}
          >
            {joins.map(({ value, label }) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
            <option value="first-filled">First filled only</option>
          </select>
        </label>
      ) : null}
    </>
  );
}

/** The trait's type, and how its cells are read: the date order, the decimal separator, the list separator. */
function TraitFormat(props: {
  column: string;
  trait: TraitMapping;
  change: (patch: Partial<TraitMapping>) => void;
}): ReactElement {
  const { column, trait, change } = props;
  const separators =
    trait.separator && !SEPARATORS.some((s) => s.value === trait.separator)
      ? [...SEPARATORS, { value: trait.separator, label: `Split on ${trait.separator}` }]
      : SEPARATORS;
  return (
    <div className="map-type">
      <select
        aria-label={`Type of “${column}”`}
        value={trait.type}
        onChange={(event) => change({ type: event.target.value as TraitMapping['type'] })}
      >
        {Object.entries(TRAIT_TYPE_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      {trait.type === 'date' || trait.type === 'datetime' ? (
        <select
          aria-label={`Date order of “${column}”`}
          title="How a date like 05/06/2024 is read: day first is 5 June, month first is May 6. Unset, a date that reads both ways is an error on its row."
          value={trait.dateOrder ?? ''}
          onChange={(event) => change({ dateOrder: (event.target.value || undefined) as DateOrder | undefined })}
        >
          <option value="">Unclear dates: error</option>
          <option value="DMY">Day first: 31/12</option>
          <option value="MDY">Month first: 12/31</option>
          <option value="YMD">Year first: 24/12/31</option>
        </select>
      ) : null}
      {trait.type === 'number' ? (
        <select
          aria-label={`Decimal separator of “${column}”`}
          value={trait.decimal}
          onChange={(event) => change({ decimal: event.target.value as TraitMapping['decimal'] })}
        >
          <option value=".">1234.56</option>
          <option value=",">1.234,56</option>
        </select>
      ) : null}
      {trait.type === 'multiselect' ? (
        <select
          aria-label={`Separator of “${column}”`}
          value={trait.separator ?? ''}
          onChange={(event) => change({ separator: event.target.value || undefined })}
        >
          {separators.map(({ value, label }) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      ) : null}
    </div>
  );
}
