/** An opened import's messages by spreadsheet row, under an outcome and type filter and a search. */
import type { ReactElement } from 'react';
import type { RunDetails } from '../../../app/contract.ts';
import { FilterTabs } from '../components/FilterTabs.tsx';
import { Pager } from '../components/Pager.tsx';
import { useRunView } from '../stores/history-run.ts';
import { FILTERS, ONE_TYPE, OUTCOME_LABELS, shorten, TYPE_NAMES } from './run-words.ts';

export function RowsCard({ details }: { details: RunDetails }): ReactElement {
  const { filter, type, search, rows, total, offset, loadingRows, setFilter, setType, setSearch, page } = useRunView();
  const types = Object.keys(details.byType);
  const counts = type ? (details.byType[type] ?? details.totals) : details.totals;
  return (
    <section className="card run-rows" aria-labelledby="rows-title">
      <div className="run-rows__head">
        <h2 id="rows-title" className="section-title">
          Rows
        </h2>
        <FilterTabs
          name="run-row-filter"
          label="Show messages"
          options={FILTERS.filter((f) => f.id === 'all' || f.id === 'failed' || f.count(counts) > 0)}
          count={(option) => option.count(counts)}
          errorTab="failed"
          chosen={filter}
          onChoose={setFilter}
        />
      </div>
      <div className="run-rows__tools">
        <label className="run-rows__search">
          <span className="visually-hidden">Search rows</span>
          <input
            type="search"
            placeholder="Search: row number, ID, e-mail, any value or reason"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </label>
        {types.length > 1 ? (
          <label>
            <span className="visually-hidden">Message type</span>
            <select value={type ?? ''} onChange={(event) => setType(event.target.value || null)}>
              <option value="">Every message type</option>
              {types.map((t) => (
                <option key={t} value={t}>
                  {TYPE_NAMES[t] ?? t}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {rows.length === 0 ? (
        <p className="muted" data-testid="no-rows">
          {loadingRows
            ? 'Loading…'
            : search.trim()
              ? `No row matches “${search.trim()}”.`
              : filter === 'failed'
                ? 'Nothing failed: Vitally accepted every message sent.'
                : 'No rows here.'}
        </p>
      ) : (
        <table className="data-table run-rows__table" aria-busy={loadingRows}>
          <thead>
            <tr>
              <th scope="col" className="numeric">
                Row
              </th>
              <th scope="col">Message</th>
              <th scope="col">Values sent</th>
              <th scope="col">What happened, and what to do</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.batchId}-${row.messageId}`} data-outcome={row.outcome}>
                <td className="numeric">{row.rowNumber}</td>
                <td>
                  {ONE_TYPE[row.type] ?? row.type}
                  <small className={`outcome outcome--${row.outcome}`}>{OUTCOME_LABELS[row.outcome]}</small>
                </td>
                <td>
                  <dl className="row-cells">
                    {row.cells.map((cell) => (
                      <div key={cell.column} className={cell.culprit ? 'row-cells__culprit' : ''}>
                        <dt>{cell.column}</dt>
                        <dd>{cell.value === '' ? <span className="muted">(empty)</span> : shorten(cell.value)}</dd>
                      </div>
                    ))}
                  </dl>
                </td>
                <td>
                  <p className="run-rows__why">{row.explanation}</p>
                  {row.nextStep ? <p className="run-rows__next">{row.nextStep}</p> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {total > rows.length ? (
        <Pager offset={offset} shown={rows.length} total={total} pageSize={50} onPage={(to) => void page(to)} />
      ) : null}
    </section>
  );
}
