import { useState, type ReactElement } from 'react';
import type { ColumnSuggestion, Mapping } from '../../../app/contract.ts';
import { useMap } from '../stores/map.ts';
import {
  FIELD_WORDS,
  ID_FIELDS,
  RESERVED_TRAITS,
  TRAIT_TYPE_LABELS,
  TYPE_LABELS,
  type IdentityField,
  type MessageType,
  type TraitMapping,
} from './labels.ts';

/** A file wider than this shows its columns a page at a time, with a search: 20,000 rows of controls would freeze. */
const MANY_COLUMNS = 200;
const COLUMNS_PER_PAGE = 100;

const ORDER_WORDS = { DMY: 'day first', MDY: 'month first', YMD: 'year first' } as const;

const ID_FIELD_SET: ReadonlySet<string> = new Set(ID_FIELDS);

/** Where a column is used: as fields of some messages, as traits of others (possibly several), or not at all. */
function usage(
  mapping: Mapping,
  column: string,
): { fields: string[]; ids: boolean; traits: { message: number; trait: TraitMapping }[] } {
  // Each field the column feeds, with the messages it feeds it in: “account ID (account, user)”.
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

/** What can go between joined values. */
const JOINS: { value: string; label: string }[] = [
  { value: 'join: ', label: 'Joined by a space' },
  { value: 'join:, ', label: 'Joined by a comma' },
  { value: 'join: - ', label: 'Joined by a dash' },
  { value: 'join:', label: 'Joined, no space' },
];

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

const SEPARATORS: { value: string; label: string }[] = [
  { value: '', label: 'JSON list ["a","b"]' },
  { value: ';', label: 'Split on ; (beta;vip)' },
  { value: ',', label: 'Split on , (beta,vip)' },
  { value: '|', label: 'Split on | (beta|vip)' },
  { value: '/', label: 'Split on / (beta/vip)' },
];

/**
 * Every column as a trait (or event property) of one message or several: its key, type, blank rule and format,
 * or skipped. A column that is an ID can be a trait too; the mapping's problems say so, with a one-click fix.
 */
export function ColumnsEditor({
  columns,
  suggestions,
}: {
  columns: readonly string[];
  suggestions: readonly ColumnSuggestion[];
}): ReactElement {
  const mapping = useMap((s) => s.mapping);
  const update = useMap((s) => s.update);
  const [find, setFind] = useState('');
  const [limit, setLimit] = useState(COLUMNS_PER_PAGE);
  if (!mapping) return <></>;
  const many = columns.length > MANY_COLUMNS;
  const wanted = find.trim().toLowerCase();
  const matching = many && wanted ? columns.filter((column) => column.toLowerCase().includes(wanted)) : columns;
  const shownColumns = many ? matching.slice(0, limit) : matching;
  const traitTargets = mapping.messages.map((m, i) => ({ index: i, type: m.type })).filter((m) => m.type !== 'unlink');
  /** The other columns sent as `key` alongside `column`, quoted: “Last Name”. */
  const others = (key: string, column: string) => {
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
  };
  const targetWords = (type: MessageType) => (type === 'track' ? 'Event property' : `${TYPE_LABELS[type]} trait`);

  /** The column as `trait` in exactly the messages `targets` (its settings shared), and in no other. */
  const setTrait = (column: string, trait: TraitMapping | null, targets: readonly number[]) =>
    update((m) => ({
      ...m,
      messages: m.messages.map((message, i) => {
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
    }));

  /**
   * How the columns sent as the same trait as `column` are combined, in every message where it is combined: all of
   * them, so they never disagree (`join:<text>` joins with that text between, `first-filled` sends the first filled).
   */
  const setCombine = (column: string, rule: string) =>
    update((m) => ({
      ...m,
      messages: m.messages.map((message) => {
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
    }));

  return (
    <section className="card map-columns" aria-labelledby="columns-title">
      <h2 id="columns-title">Columns as traits</h2>
      {many ? (
        <div className="map-columns__find">
          <label>
            Find a column{' '}
            <input
              type="search"
              value={find}
              onChange={(event) => {
                setFind(event.target.value);
                setLimit(COLUMNS_PER_PAGE);
              }}
            />
          </label>
          <p className="muted" role="status">
            {wanted
              ? `${matching.length.toLocaleString('en-US')} of ${columns.length.toLocaleString('en-US')} columns ` +
                `match; showing ${shownColumns.length.toLocaleString('en-US')}.`
              : `This file has ${columns.length.toLocaleString('en-US')} columns: showing the first ` +
                `${shownColumns.length.toLocaleString('en-US')}. Find one by name, or show more below.`}
          </p>
        </div>
      ) : null}
      <table className="data-table map-table">
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Send as</th>
            <th scope="col">Trait name</th>
            <th scope="col">Type</th>
            <th
              scope="col"
              title="Blank cells leave the trait as it is in Vitally, or clear it by sending null (not documented for this API)."
            >
              Blank cells
            </th>
          </tr>
        </thead>
        <tbody>
          {shownColumns.map((column) => {
            const use = usage(mapping, column);
            const suggestion = suggestions.find((s) => s.column === column);
            const trait = use.traits[0]?.trait ?? null;
            const used = use.traits.map((t) => t.message);
            const fallbackTarget = traitTargets.at(-1)?.index ?? 0;
            const suggested = suggestion?.target.kind === 'trait' ? suggestion.target : null;
            const defaults: TraitMapping = trait ?? {
              column,
              key: suggested ? suggested.key : column,
              type: suggested ? suggested.type : 'text',
              blank: 'omit',
              decimal: suggested?.decimal ?? '.',
              ...(suggested?.dateOrder ? { dateOrder: suggested.dateOrder } : {}),
            };
            const change = (patch: Partial<TraitMapping>) => {
              const next = { ...defaults, ...patch };
              // A setting taken back (the JSON list, the unclear-dates rule) leaves the mapping.
              for (const key of ['dateOrder', 'separator'] as const) if (next[key] === undefined) delete next[key];
              setTrait(column, next, used.length > 0 ? used : [fallbackTarget]);
            };
            const suggestedMatches =
              suggested !== null &&
              trait !== null &&
              trait.key === suggested.key &&
              trait.type === suggested.type &&
              (suggested.dateOrder === undefined || trait.dateOrder === suggested.dateOrder) &&
              (suggested.decimal === undefined || trait.decimal === suggested.decimal);
            const isTypeColumn = mapping.typeColumn === column;
            // An ID column is offered as a trait only once it is one (then shown, with a way to stop it).
            const idOnly = use.ids && used.length === 0;
            return (
              <tr key={column} data-column={column}>
                <th scope="row" aria-label={column}>
                  {column}
                  <div className="map-suggestion">
                    {suggestion ? (
                      <>
                        <span className="map-suggestion__what">
                          Suggested: {describeTarget(suggestion)}
                          <span className="muted"> {Math.round(suggestion.confidence * 100)}%</span>
                          {suggested && !suggestedMatches && use.fields.length === 0 ? (
                            <button
                              type="button"
                              className="link-button"
                              aria-label={`Use the suggestion for “${column}”`}
                              onClick={() => {
                                change({
                                  key: suggested.key,
                                  type: suggested.type,
                                  ...(suggested.decimal ? { decimal: suggested.decimal } : {}),
                                  ...(suggested.dateOrder ? { dateOrder: suggested.dateOrder } : {}),
                                });
                                if (suggested.joinWith !== undefined) setCombine(column, `join:${suggested.joinWith}`);
                              }}
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
                <td className="map-send-as">
                  {use.fields.length > 0 ? (
                    <span className="muted map-used-as">Used as {use.fields.join(', ')}</span>
                  ) : null}
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
                              const next = event.target.checked
                                ? [...used, index]
                                : used.filter((message) => message !== index);
                              setTrait(column, next.length > 0 ? defaults : null, next);
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
                        event.target.value === 'skip'
                          ? setTrait(column, null, [])
                          : setTrait(column, defaults, [Number(event.target.value)])
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
                    <button type="button" className="link-button" onClick={() => setTrait(column, null, [])}>
                      Stop sending as a trait
                    </button>
                  ) : null}
                </td>
                <td>
                  {trait ? (
                    <>
                      <input
                        aria-label={`Trait name for “${column}”`}
                        value={trait.key}
                        onChange={(event) => change({ key: event.target.value })}
                      />
                      {RESERVED_TRAITS[trait.key] ? (
                        <small className="muted reserved">{RESERVED_TRAITS[trait.key]}</small>
                      ) : null}
                      {trait.key.startsWith('vitally.custom.') ? (
                        <small className="muted reserved">A custom trait defined in Vitally.</small>
                      ) : null}
                      {trait.combine ? (
                        <label className="map-combine">
                          <small className="muted">Combined with {others(trait.key, column)}:</small>
                          <select
                            aria-label={`How “${column}” is combined into “${trait.key}”`}
                            value={trait.combine === 'join' ? `join:${trait.joinWith ?? ' '}` : 'first-filled'}
                            onChange={(event) => setCombine(column, event.target.value)}
                          >
                            {[
                              ...JOINS,
                              ...(trait.combine === 'join' &&
                              !JOINS.some((j) => j.value === `join:${trait.joinWith ?? ' '}`)
                                ? [
                                    {
                                      value: `join:${trait.joinWith ?? ' '}`,
                                      label: `Joined, “${trait.joinWith ?? ''}” between`,
                                    },
                                  ]
                                : []),
                            ].map(({ value, label }) => (
                              <option key={value} value={value}>
                                {label}
                              </option>
                            ))}
                            <option value="first-filled">First filled only</option>
                          </select>
                        </label>
                      ) : null}
                    </>
                  ) : null}
                </td>
                <td>
                  {trait ? (
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
                          onChange={(event) =>
                            change({ dateOrder: (event.target.value || undefined) as TraitMapping['dateOrder'] })
                          }
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
                          onChange={(event) => change({ decimal: event.target.value as '.' | ',' })}
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
                          {[
                            ...SEPARATORS,
                            ...(trait.separator && !SEPARATORS.some((s) => s.value === trait.separator)
                              ? [{ value: trait.separator, label: `Split on ${trait.separator}` }]
                              : []),
                          ].map(({ value, label }) => (
                            <option key={value} value={value}>
                              {label}
                            </option>
                          ))}
                        </select>
                      ) : null}
                    </div>
                  ) : null}
                </td>
                <td>
                  {trait ? (
                    <select
                      aria-label={`Blank cells of “${column}”`}
                      value={trait.blank}
                      onChange={(event) => change({ blank: event.target.value as 'omit' | 'null' })}
                    >
                      <option value="omit">Leave as is</option>
                      <option value="null">Clear (null)</option>
                    </select>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {many && shownColumns.length < matching.length ? (
        <button type="button" onClick={() => setLimit((shown) => shown + COLUMNS_PER_PAGE)}>
          Show {Math.min(COLUMNS_PER_PAGE, matching.length - shownColumns.length)} more columns
        </button>
      ) : null}
    </section>
  );
}
