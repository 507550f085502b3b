import type { ReactElement } from 'react';
import type { ColumnSuggestion, Mapping } from '../../../app/contract.ts';
import { useMap } from '../stores/map.ts';
import { RESERVED_TRAITS, TRAIT_TYPE_LABELS, TYPE_LABELS, type TraitMapping } from './labels.ts';

/** Where a column is used: as a field of some message, as a trait of one, or not at all. */
function usage(
  mapping: Mapping,
  column: string,
): { field: string | null; message: number | null; trait: TraitMapping | null } {
  for (const message of mapping.messages) {
    for (const [field, source] of Object.entries(message.fields)) {
      if (source && 'column' in source && source.column === column) return { field, message: null, trait: null };
    }
  }
  for (const [index, message] of mapping.messages.entries()) {
    const trait = message.traits.find((t) => t.column === column);
    if (trait) return { field: null, message: index, trait };
  }
  return { field: null, message: null, trait: null };
}

/** Every other column as a trait (or event property): its key, type, blank rule and format, or skipped. */
export function ColumnsEditor({
  columns,
  suggestions,
}: {
  columns: readonly string[];
  suggestions: readonly ColumnSuggestion[];
}): ReactElement {
  const mapping = useMap((s) => s.mapping);
  const update = useMap((s) => s.update);
  if (!mapping) return <></>;
  const traitTargets = mapping.messages.map((m, i) => ({ index: i, type: m.type })).filter((m) => m.type !== 'unlink');

  const setTrait = (column: string, trait: TraitMapping | null, messageIndex: number | null) =>
    update((m) => ({
      ...m,
      messages: m.messages.map((message, i) => {
        const others = message.traits.filter((t) => t.column !== column);
        if (trait && i === messageIndex) {
          const position = message.traits.findIndex((t) => t.column === column);
          const traits = [...others];
          traits.splice(position === -1 ? others.length : position, 0, trait);
          return { ...message, traits };
        }
        return { ...message, traits: others };
      }),
    }));

  return (
    <section className="card map-columns" aria-labelledby="columns-title">
      <h2 id="columns-title">Columns as traits</h2>
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
            <th scope="col">Suggestion</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((column) => {
            const use = usage(mapping, column);
            const suggestion = suggestions.find((s) => s.column === column);
            const trait = use.trait;
            const fallbackTarget = traitTargets.at(-1)?.index ?? 0;
            const defaults: TraitMapping = trait ?? {
              column,
              key: suggestion?.target.kind === 'trait' ? suggestion.target.key : column,
              type: suggestion?.target.kind === 'trait' ? (suggestion.target.type as TraitMapping['type']) : 'text',
              blank: 'omit',
              decimal: '.',
            };
            const change = (patch: Partial<TraitMapping>) =>
              setTrait(column, { ...defaults, ...patch }, use.message ?? fallbackTarget);
            const suggestedMatches =
              suggestion?.target.kind === 'trait' &&
              trait !== null &&
              trait.key === suggestion.target.key &&
              trait.type === suggestion.target.type;
            return (
              <tr key={column} data-column={column}>
                <th scope="row">{column}</th>
                <td>
                  {use.field ? (
                    <span className="muted">Used as {use.field}</span>
                  ) : (
                    <select
                      aria-label={`Send “${column}” as`}
                      value={use.message === null ? 'skip' : String(use.message)}
                      onChange={(event) =>
                        event.target.value === 'skip'
                          ? setTrait(column, null, null)
                          : setTrait(column, defaults, Number(event.target.value))
                      }
                    >
                      <option value="skip">Skip this column</option>
                      {traitTargets.map(({ index, type }) => (
                        <option key={index} value={index}>
                          {type === 'track' ? 'Event property' : `${TYPE_LABELS[type]} trait`}
                        </option>
                      ))}
                    </select>
                  )}
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
                          value={trait.dateOrder ?? ''}
                          onChange={(event) =>
                            change({ dateOrder: (event.target.value || undefined) as TraitMapping['dateOrder'] })
                          }
                        >
                          <option value="">Month first when unclear</option>
                          <option value="MDY">Month/day/year</option>
                          <option value="DMY">Day/month/year</option>
                          <option value="YMD">Year-month-day</option>
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
                <td className="map-suggestion">
                  {suggestion ? (
                    <>
                      <span title={suggestion.reason}>
                        {suggestion.target.kind === 'field'
                          ? suggestion.target.field
                          : `${suggestion.target.key} · ${suggestion.target.type}`}
                        <span className="muted"> {Math.round(suggestion.confidence * 100)}%</span>
                      </span>
                      {suggestion.target.kind === 'trait' && !suggestedMatches && !use.field ? (
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => {
                            const target = suggestion.target as { key: string; type: TraitMapping['type'] };
                            change({ key: target.key, type: target.type });
                          }}
                        >
                          Use
                        </button>
                      ) : null}
                    </>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
