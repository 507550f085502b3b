/** What can be done with an opened import in History: resume, reports, deleting its stored data. */
import { useState, type ReactElement } from 'react';
import type { RunDetails, RunExportFormat } from '../../../app/contract.ts';
import { ExportButtons } from './ExportButtons.tsx';
import { useRunView } from '../stores/history-run.ts';
import { canResume, resumeAndShow, showSending } from '../stores/send.ts';
import { useWizard } from '../stores/wizard.ts';

/** The run reports offered, in order. */
const REPORTS: readonly (readonly [RunExportFormat, string])[] = [
  ['report-csv', 'Report as CSV'],
  ['report-json', 'Report as JSON'],
];

export function RunActions({ details }: { details: RunDetails }): ReactElement {
  const { exportRun, exporting, exported, deleteRun } = useRunView();
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title" className="section-title">
        This import
      </h2>
      <div className="send-actions">
        {details.live ? (
          <button type="button" className="button button--primary" onClick={() => showSending(details.id)}>
            Show its progress
          </button>
        ) : null}
        {canResume(details) ? (
          <button type="button" className="button button--primary" onClick={() => resumeAndShow(details.id)}>
            Resume
          </button>
        ) : null}
        <ExportButtons exports={REPORTS} disabled={exporting !== null} onExport={(format) => void exportRun(format)} />
        {confirming ? (
          <span className="confirm">
            Forget this import’s batches and outcomes? Sending the file again would then send its rows again.{' '}
            <button
              type="button"
              className="button button--danger"
              onClick={() => void deleteRun().then((deleted) => deleted && useWizard.getState().showHistory())}
            >
              Delete
            </button>{' '}
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </span>
        ) : (
          <button
            type="button"
            className="button button--danger"
            disabled={details.live}
            onClick={() => setConfirming(true)}
          >
            Delete its stored data
          </button>
        )}
      </div>
      <p className="muted">The report lists every message: its row, what was sent when, and Vitally’s answer.</p>
      {exported ? (
        <p className={exported.tone === 'error' ? 'field-error' : 'muted'} role="status">
          {exported.text}
        </p>
      ) : null}
    </section>
  );
}
