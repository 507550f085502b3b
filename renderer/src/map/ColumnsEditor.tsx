import { useState, type ReactElement } from 'react';
import type { ColumnSuggestion } from '../../../app/contract.ts';
import { useMap } from '../stores/map.ts';
import { ColumnRow } from './ColumnRow.tsx';

/** A file wider than this shows its columns a page at a time, with a search: 20,000 rows of controls would freeze. */
const MANY_COLUMNS = 200;
const COLUMNS_PER_PAGE = 100;

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
          {shownColumns.map((column) => (
            <ColumnRow
              key={column}
              column={column}
              mapping={mapping}
              suggestion={suggestions.find((s) => s.column === column)}
              traitTargets={traitTargets}
              update={update}
            />
          ))}
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
