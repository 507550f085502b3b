import { useEffect, type ReactElement } from 'react';
import type { RunState, RunSummary } from '../../../app/contract.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { useHistory } from '../stores/history.ts';
import { useSend } from '../stores/send.ts';
import { useWizard } from '../stores/wizard.ts';

const STATE_LABELS: Record<RunState, string> = {
  planned: 'Not started',
  sending: 'Sending',
  paused: 'Paused',
  interrupted: 'Interrupted',
  finished: 'Finished',
  cancelled: 'Cancelled',
};

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const numberFormat = new Intl.NumberFormat();

/** Every past import, newest first, with what was accepted and rejected. */
export function HistoryView(): ReactElement {
  const { status, runs, error, load } = useHistory();
  const goTo = useWizard((s) => s.goTo);
  const resumeRun = useSend((s) => s.resumeRun);
  const follow = useSend((s) => s.follow);

  useEffect(() => void load(), [load]);

  return (
    <article className="step-page" aria-labelledby="history-title">
      <header className="step-page__header">
        <p className="step-page__eyebrow">History</p>
        <h1 id="history-title" tabIndex={-1}>
          Past imports
        </h1>
        <p className="step-page__summary">Every import you have sent from this computer</p>
      </header>
      <div className="step-page__body">
        {status === 'failed' ? (
          <div className="notice notice--error" role="alert">
            {error}{' '}
            <button type="button" className="link-button" onClick={() => void load()}>
              Try again
            </button>
          </div>
        ) : status === 'ready' && runs.length === 0 ? (
          <EmptyState
            icon="history"
            title="No imports yet"
            action={
              <button type="button" className="button button--primary" onClick={() => goTo('upload')}>
                Start an import
              </button>
            }
          >
            <p>
              Every import you send appears here, with what Vitally accepted, what it rejected and why, so you can come
              back to it, export the failed rows and run them again.
            </p>
          </EmptyState>
        ) : (
          <table className="data-table" aria-busy={status === 'loading'}>
            <caption className="visually-hidden">Past imports</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">File</th>
                <th scope="col">Workspace</th>
                <th scope="col">State</th>
                <th scope="col" className="numeric">
                  Rows
                </th>
                <th scope="col" className="numeric">
                  Accepted
                </th>
                <th scope="col" className="numeric">
                  Rejected
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <td>{dateFormat.format(new Date(run.createdAt))}</td>
                  <td>
                    {run.fileName}
                    {run.editedCells + run.excludedRows > 0 ? (
                      <small className="muted history-corrections">{corrections(run)}</small>
                    ) : null}
                  </td>
                  <td>{run.workspaceName}</td>
                  <td>{STATE_LABELS[run.state]}</td>
                  <td className="numeric">{numberFormat.format(run.rows)}</td>
                  <td className="numeric">{numberFormat.format(run.accepted)}</td>
                  <td className="numeric">{numberFormat.format(run.rejected)}</td>
                  <td>
                    {run.live ? (
                      <button
                        type="button"
                        className="button"
                        onClick={() => {
                          void follow(run.id);
                          goTo('send');
                        }}
                      >
                        Show
                      </button>
                    ) : run.state === 'interrupted' || run.state === 'paused' || run.state === 'cancelled' ? (
                      <button
                        type="button"
                        className="button"
                        onClick={() => {
                          void resumeRun(run.id);
                          goTo('send');
                        }}
                      >
                        Resume
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </article>
  );
}

/** The corrections an import was built with, in words: “2 cells edited · 1 row left out”. */
function corrections(run: RunSummary): string {
  const parts: string[] = [];
  if (run.editedCells > 0)
    parts.push(`${numberFormat.format(run.editedCells)} ${run.editedCells === 1 ? 'cell' : 'cells'} edited`);
  if (run.excludedRows > 0)
    parts.push(`${numberFormat.format(run.excludedRows)} ${run.excludedRows === 1 ? 'row' : 'rows'} left out`);
  return parts.join(' · ');
}
