import { useEffect, type ReactElement } from 'react';
import type { RunState, RunSummary } from '../../../app/contract.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { Icon } from '../components/Icon.tsx';
import { RunView, TYPE_NAMES } from './RunView.tsx';
import { useHistory } from '../stores/history.ts';
import { canResume, resumeAndShow, showSending } from '../stores/send.ts';
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

const RETENTION_CHOICES: { days: number | null; label: string }[] = [
  { days: null, label: 'for ever' },
  { days: 30, label: 'for 30 days' },
  { days: 90, label: 'for 90 days' },
  { days: 365, label: 'for a year' },
];

/** Every past import, newest first, with what was accepted and rejected; one opened, with all about it. */
export function HistoryView(): ReactElement {
  const { status, runs, error, load, openRunId, openRun, retentionDays, retentionNote, setRetention } = useHistory();
  const goTo = useWizard((s) => s.goTo);

  useEffect(() => void load(), [load]);

  if (openRunId) {
    return (
      <article className="step-page" aria-labelledby="history-title">
        <header className="step-page__header">
          <p className="step-page__eyebrow">
            <button type="button" className="link-button" onClick={() => openRun(null)}>
              <Icon name="arrowLeft" size={14} /> History
            </button>
          </p>
          <h1 id="history-title" tabIndex={-1}>
            An import
          </h1>
          <p className="step-page__summary">What was sent, when, and what became of each row</p>
        </header>
        <div className="step-page__body">
          <RunView runId={openRunId} inHistory />
        </div>
      </article>
    );
  }

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
                <th scope="col">Message types</th>
                <th scope="col">State</th>
                <th scope="col" className="numeric">
                  Rows
                </th>
                <th scope="col" className="numeric">
                  Messages accepted
                </th>
                <th scope="col" className="numeric">
                  Messages rejected
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} data-run-kind={run.kind}>
                  <td>
                    {dateFormat.format(new Date(run.createdAt))}
                    {run.endedAt ? <small className="muted history-took">took {took(run)}</small> : null}
                  </td>
                  <td>
                    {run.fileName}
                    {run.kind === 'trial' ? <span className="badge">Trial</span> : null}
                    {run.kind === 'rerun' ? <span className="badge">Re-run</span> : null}
                    {run.editedCells + run.excludedRows > 0 ? (
                      <small className="muted history-corrections">{corrections(run)}</small>
                    ) : null}
                  </td>
                  <td>{run.workspaceName}</td>
                  <td>{run.messageTypes.map((t) => TYPE_NAMES[t] ?? t).join(', ')}</td>
                  <td>{STATE_LABELS[run.state]}</td>
                  <td className="numeric">{numberFormat.format(run.rows)}</td>
                  <td className="numeric">{numberFormat.format(run.accepted)}</td>
                  <td className="numeric">{numberFormat.format(run.rejected)}</td>
                  <td className="history-actions">
                    <button type="button" className="button" onClick={() => openRun(run.id)}>
                      Open
                    </button>
                    {/* Keys of their own: a click meant for Show, as the run stops, must not land on the same
                        element become Resume and send again. */}
                    {run.live ? (
                      <button key="show" type="button" className="button" onClick={() => showSending(run.id)}>
                        Show
                      </button>
                    ) : canResume(run) ? (
                      <button key="resume" type="button" className="button" onClick={() => resumeAndShow(run.id)}>
                        Resume
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {status === 'ready' && runs.length > 0 ? (
          <p className="history-retention muted">
            <label>
              Keep finished imports{' '}
              <select
                value={retentionDays === null ? '' : String(retentionDays)}
                onChange={(event) => void setRetention(event.target.value === '' ? null : Number(event.target.value))}
              >
                {RETENTION_CHOICES.map((choice) => (
                  <option key={choice.label} value={choice.days === null ? '' : String(choice.days)}>
                    {choice.label}
                  </option>
                ))}
              </select>
            </label>{' '}
            (their batches and outcomes; imports that can still be resumed are always kept).{' '}
            {retentionNote ? <span role="status">{retentionNote}</span> : null}
          </p>
        ) : null}
      </div>
    </article>
  );
}

/** How long an import took, in words. */
function took(run: RunSummary): string {
  const seconds = Math.round((Date.parse(run.endedAt ?? run.createdAt) - Date.parse(run.createdAt)) / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
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
