import { useEffect, type ReactElement } from 'react';
import { Icon } from '../components/Icon.tsx';
import { usePreview } from '../stores/preview.ts';
import { useSend, type RerunTarget } from '../stores/send.ts';
import { useUpload } from '../stores/upload.ts';
import { useWizard } from '../stores/wizard.ts';
import { TYPE_NAMES } from './RunView.tsx';

const numbers = new Intl.NumberFormat();
/** How many held rows and duplicates the plan lists by name. */
const SHOWN = 8;
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const importOf = (rerun: RerunTarget) =>
  `the import of ${rerun.parentFileName} (${dateFormat.format(new Date(rerun.parentCreatedAt))})`;

/** Preview, showing only an import's failed rows: what this is, and where to go next. */
export function FailedRowsNote(props: { runId: string; onShowAll: () => void }): ReactElement {
  const rerun = useSend((s) => s.rerun);
  const goTo = useWizard((s) => s.goTo);
  return (
    <div className="notice notice--offer" role="status" data-testid="failed-rows-note">
      <Icon name="info" />
      <span>
        Showing only the rows Vitally refused in{' '}
        {rerun && rerun.runId === props.runId ? importOf(rerun) : 'that import'}. Correct them here (your file is not
        changed), then re-run just these from Send.
      </span>
      <button type="button" className="button" onClick={props.onShowAll}>
        Show every row
      </button>
      <button type="button" className="button button--primary" onClick={() => goTo('send')}>
        Continue to re-run
      </button>
    </div>
  );
}

/**
 * While a re-run from a corrected file is prepared: says so on every step, and takes the file loaded in Upload as
 * the corrected one (its mapping, and the apostrophes the CSV export added, taken back).
 */
export function RerunBanner(): ReactElement | null {
  const rerun = useSend((s) => s.rerun);
  const adoptFile = useSend((s) => s.adoptFile);
  const cancelRerun = useSend((s) => s.cancelRerun);
  const view = useWizard((s) => s.view);
  const file = useUpload((s) => (s.phase === 'ready' ? s.file : null));

  useEffect(() => {
    if (rerun?.fromFile && file && file.id !== rerun.fileId && file.id !== rerun.parentFileId) {
      void adoptFile(file.id);
    }
  }, [rerun, file, adoptFile]);

  if (!rerun || view.kind !== 'step' || view.step === 'send' || view.step === 'results') return null;
  if (!rerun.fromFile) return null;
  return (
    <div className="notice notice--offer" role="status" data-testid="rerun-banner">
      <Icon name="send" />
      <span>
        {rerun.fileId
          ? `${rerun.note ?? ''} Check it in Preview, then re-run from Send: only the rows matching the refused ones of ${importOf(rerun)} are sent.`
          : `Re-running the refused rows of ${importOf(rerun)}: choose the corrected file (the exported failed rows, fixed).`}
      </span>
      <button type="button" className="button" onClick={cancelRerun}>
        Stop the re-run
      </button>
    </div>
  );
}

/** The Send step during a re-run: how many rows and messages will go, and what will not, before anything is sent. */
export function RerunPlanCard(props: { fileId: string }): ReactElement | null {
  const { rerun, plan, planning, starting, loadPlan, startRerun, cancelRerun, setSendChangedIds } = useSend();
  const summary = usePreview((s) => s.summary);
  const goTo = useWizard((s) => s.goTo);
  const source = rerun ? (rerun.fromFile ? rerun.fileId : rerun.parentFileId) : null;
  const applies = rerun !== null && source === props.fileId;

  useEffect(() => {
    if (applies) void loadPlan();
  }, [applies, loadPlan, summary]);

  if (!rerun || !applies) return null;
  const byType = plan
    ? Object.entries(plan.byType)
        .map(([type, n]) => `${numbers.format(n)} ${(TYPE_NAMES[type] ?? type).toLowerCase()}`)
        .join(', ')
    : '';
  return (
    <section className="card rerun-plan" aria-label="Re-run" data-testid="rerun-plan">
      <h2 className="section-title">Re-run the failed rows of {importOf(rerun)}</h2>
      {planning && !plan ? <p className="muted">Counting what will be sent…</p> : null}
      {plan?.problem ? (
        <div className="notice notice--warning" role="alert">
          <Icon name="alert" /> <span>{plan.problem}</span>
          {plan.problemStep === 'upload' ? (
            <button type="button" className="button" onClick={() => goTo('upload')}>
              Go to Upload
            </button>
          ) : (
            <button type="button" className="button" onClick={() => goTo('preview')}>
              Go to Preview
            </button>
          )}
        </div>
      ) : null}
      {plan && !plan.problem ? (
        <>
          <p className="send-lead" data-testid="rerun-count">
            {plan.messages === 0
              ? 'Nothing will be sent: no failed row is ready to go.'
              : `${numbers.format(plan.messages)} ${plan.messages === 1 ? 'message' : 'messages'} (${byType}) from ${numbers.format(plan.rows)} ${plan.rows === 1 ? 'row' : 'rows'} will be sent again.`}
          </p>
          <ul className="rerun-plan__facts">
            <li>
              {numbers.format(plan.failedRows)} {plan.failedRows === 1 ? 'row' : 'rows'} failed in that import.
            </li>
            {plan.rowsWithErrors.length > 0 ? (
              <li className="field-error">
                {numbers.format(plan.rowsWithErrors.length)} still {plan.rowsWithErrors.length === 1 ? 'has' : 'have'}{' '}
                errors and will not be sent ({plan.rowsWithErrors.length === 1 ? 'row' : 'rows'}{' '}
                {plan.rowsWithErrors.slice(0, 8).join(', ')}
                {plan.rowsWithErrors.length > 8 ? '…' : ''}): fix them in Preview.
              </li>
            ) : null}
            {plan.excludedRows > 0 ? (
              <li>
                {numbers.format(plan.excludedRows)} {plan.excludedRows === 1 ? 'is' : 'are'} left out in Preview.
              </li>
            ) : null}
            {plan.unmatchedRows > 0 ? (
              <li>
                {numbers.format(plan.unmatchedRows)} {plan.unmatchedRows === 1 ? 'row' : 'rows'} of this file match no
                failed row (by Row or by ID) and are not sent.
              </li>
            ) : null}
            <li>
              {plan.alreadyAccepted > 0
                ? `${numbers.format(plan.alreadyAccepted)} ${plan.alreadyAccepted === 1 ? 'message' : 'messages'} of these rows that Vitally already accepted ${plan.alreadyAccepted === 1 ? 'is' : 'are'} not sent again.`
                : 'Nothing Vitally accepted is sent again.'}
            </li>
          </ul>
          {plan.changedIdRows > 0 ? (
            <div className="rerun-plan__held" data-testid="rerun-changed-ids">
              <p>
                {numbers.format(plan.changedIdRows)} {plan.changedIdRows === 1 ? 'row names' : 'rows name'} a failed row
                but {plan.changedIdRows === 1 ? 'carries' : 'carry'} other IDs
                {rerun.sendChangedIds ? ', and will be sent as you chose:' : ', so not sent:'}
              </p>
              <ul>
                {plan.changedIds.slice(0, SHOWN).map((row) => (
                  <li key={row.row}>{row.text}</li>
                ))}
              </ul>
              {plan.changedIdRows > SHOWN ? (
                <p className="muted">…and {numbers.format(plan.changedIdRows - SHOWN)} more like these.</p>
              ) : null}
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={rerun.sendChangedIds === true}
                  onChange={(e) => setSendChangedIds(e.target.checked)}
                />{' '}
                Send {plan.changedIdRows === 1 ? 'this row' : `these ${numbers.format(plan.changedIdRows)} rows`} with
                {plan.changedIdRows === 1 ? ' its' : ' their'} new IDs anyway (I changed them on purpose)
              </label>
            </div>
          ) : null}
          {plan.duplicates.length > 0 ? (
            <div
              className={`rerun-plan__held${plan.duplicates.every((d) => d.sentRow !== null) ? ' rerun-plan__held--settled' : ''}`}
              data-testid="rerun-duplicates"
            >
              <p>Failed rows this file has more than once:</p>
              <ul>
                {plan.duplicates.slice(0, SHOWN).map((group) => (
                  <li key={group.earlierRow}>{group.text}</li>
                ))}
              </ul>
              {plan.duplicates.length > SHOWN ? (
                <p className="muted">…and {numbers.format(plan.duplicates.length - SHOWN)} more.</p>
              ) : null}
            </div>
          ) : null}
          <div className="send-actions">
            <button
              type="button"
              className="button button--primary"
              disabled={starting || plan.messages === 0}
              onClick={() => void startRerun()}
            >
              <Icon name="send" size={16} /> Re-run {numbers.format(plan.rows)} {plan.rows === 1 ? 'row' : 'rows'}
            </button>
            <button type="button" className="button" onClick={cancelRerun}>
              Not now: send the file normally
            </button>
          </div>
        </>
      ) : null}
    </section>
  );
}
