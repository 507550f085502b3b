import { useEffect, type ReactElement } from 'react';
import type { RunDetails } from '../../../app/contract.ts';
import { useRunView } from '../stores/history-run.ts';
import { useSend } from '../stores/send.ts';
import { dateFormat, duration, numbers, stateWords, TYPE_NAMES } from './run-words.ts';
import { RerunCard } from './RerunCard.tsx';
import { RunActions } from './RunActions.tsx';
import { BatchesCard } from './RunBatchesCard.tsx';
import { RowsCard } from './RunRowsCard.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

export { TYPE_NAMES } from './run-words.ts';

/**
 * An import, opened: what Vitally accepted and refused per message type; the rows by outcome, searchable, each
 * with its cells and its reason in plain words; exporting the failed rows and re-running them (fixed in Preview,
 * under a changed mapping, or from a corrected file). History adds the batches and the import's own actions.
 */
export function RunView(props: { runId: string; inHistory?: boolean }): ReactElement {
  const { runId, inHistory = false } = props;
  const view = useRunView();
  const { open, details, error } = view;

  useEffect(() => void open(runId), [open, runId]);
  // The import shown is still being sent: its counts follow.
  const liveState = useSend((s) =>
    s.progress?.runId === runId ? `${s.progress.state}:${s.progress.batchesDone}` : null,
  );
  const refresh = view.refresh;
  useEffect(() => {
    if (liveState) void refresh();
  }, [liveState, refresh]);

  if (error && !details) {
    return <ErrorNotice message={error} />;
  }
  if (!details || details.id !== runId) return <p className="muted">Loading the import…</p>;
  const failed = details.totals.rejected + details.totals.unknown;
  return (
    <div className="run-view" data-run-id={runId}>
      {error ? <ErrorNotice message={error} /> : null}
      <RunFacts details={details} />
      <TypeTable details={details} />
      {failed > 0 ? <RerunCard details={details} /> : null}
      <RowsCard details={details} />
      {inHistory ? <BatchesCard /> : null}
      {inHistory ? <RunActions details={details} /> : null}
    </div>
  );
}

function RunFacts({ details }: { details: RunDetails }): ReactElement {
  const openRun = useRunView((s) => s.open);
  return (
    <section className="card run-facts" aria-label="About this import">
      <p className="run-facts__title">
        <strong>{details.fileName}</strong> to <strong>{details.workspaceName}</strong>
        {details.kind === 'trial' ? (
          <span className="badge">Trial{details.rowLimit ? ` of the first ${details.rowLimit} rows` : ''}</span>
        ) : null}
        {details.kind === 'rerun' ? <span className="badge">Re-run</span> : null}
      </p>
      <p className="muted">
        Started {dateFormat.format(new Date(details.createdAt))}
        {details.durationMs !== null ? ` · took ${duration(details.durationMs)}` : ''} · {stateWords(details)} ·{' '}
        {numbers.format(details.rows)} {details.rows === 1 ? 'row' : 'rows'} · {details.baseUrl}
      </p>
      {details.parent ? (
        <p className="muted">
          Re-ran the failed rows of{' '}
          <button type="button" className="link-button" onClick={() => void openRun(details.parent?.id ?? '')}>
            {details.parent.fileName}, {dateFormat.format(new Date(details.parent.createdAt))}
          </button>
          .
        </p>
      ) : null}
      {details.reruns.length > 0 ? (
        <p className="muted" data-testid="reruns">
          Re-run {details.reruns.length === 1 ? 'once' : `${details.reruns.length} times`}:{' '}
          {details.reruns.map((rerun, i) => (
            <span key={rerun.id}>
              {i > 0 ? ', ' : ''}
              <button type="button" className="link-button" onClick={() => void openRun(rerun.id)}>
                {dateFormat.format(new Date(rerun.createdAt))} ({numbers.format(rerun.accepted)} accepted,{' '}
                {numbers.format(rerun.rejected)} refused)
              </button>
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}

function TypeTable({ details }: { details: RunDetails }): ReactElement {
  const types = Object.keys(details.byType);
  const cell = (n: number, tone = '') => (
    <td className={`numeric${n > 0 && tone ? ` ${tone}` : ''}`}>{numbers.format(n)}</td>
  );
  return (
    <section className="card" aria-labelledby="outcome-title">
      <h2 id="outcome-title" className="section-title">
        What Vitally accepted
      </h2>
      <table className="data-table" data-testid="outcome-by-type">
        <thead>
          <tr>
            <th scope="col">Messages</th>
            <th scope="col" className="numeric">
              Accepted
            </th>
            <th scope="col" className="numeric">
              Refused
            </th>
            <th scope="col" className="numeric" title="Vitally did not answer: it may have them.">
              Unconfirmed
            </th>
            <th scope="col" className="numeric" title="An earlier send of this file delivered them.">
              Already accepted
            </th>
            <th scope="col" className="numeric">
              Not sent
            </th>
          </tr>
        </thead>
        <tbody>
          {types.map((type) => {
            const t = details.byType[type] ?? details.totals;
            return (
              <tr key={type}>
                <th scope="row">{TYPE_NAMES[type] ?? type}</th>
                {cell(t.accepted)}
                {cell(t.rejected, 'cell--error')}
                {cell(t.unknown, 'cell--warning')}
                {cell(t.leftOut)}
                {cell(t.notSent, 'cell--warning')}
              </tr>
            );
          })}
          {types.length > 1 ? (
            <tr className="data-table__total">
              <th scope="row">All</th>
              {cell(details.totals.accepted)}
              {cell(details.totals.rejected, 'cell--error')}
              {cell(details.totals.unknown, 'cell--warning')}
              {cell(details.totals.leftOut)}
              {cell(details.totals.notSent, 'cell--warning')}
            </tr>
          ) : null}
        </tbody>
      </table>
      <p className="muted">Vitally takes from a few seconds to a few minutes to show what it accepted.</p>
    </section>
  );
}
