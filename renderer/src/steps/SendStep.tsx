import { counted } from '../words.ts';
import { useState, type ReactElement } from 'react';
import { Icon } from '../components/Icon.tsx';
import { ProgressBar } from '../components/ProgressBar.tsx';
import { Stat } from '../components/Stat.tsx';
import { TOKEN_HELP } from '../connect/token-help.ts';
import { useApp } from '../stores/app.ts';
import { useConnect } from '../stores/connect.ts';
import { usePreview } from '../stores/preview.ts';
import { useSend } from '../stores/send.ts';
import { useUpload } from '../stores/upload.ts';
import { useWizard } from '../stores/wizard.ts';
import { RerunPlanCard } from '../history/RerunNotes.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

const numbers = new Intl.NumberFormat();
const TRIAL_ROWS = 10;

/** Send: a trial of the first rows, then everything, with honest live progress and Pause, Resume, Cancel. */
export function SendStep(): ReactElement {
  const fileId = useUpload((s) => s.file?.id ?? null);
  const summary = usePreview((s) => s.preview?.summary ?? null);
  const workspaceId = useApp((s) => s.settings?.workspaceId ?? null);
  const workspace = useConnect((s) => s.workspaces.find((w) => w.id === workspaceId));
  const { progress, rate, trial, error, starting, start, pause, resume, cancel, replaceToken, rerun } = useSend();
  const goTo = useWizard((s) => s.goTo);

  const running = progress !== null && (progress.state === 'sending' || progress.state === 'paused');
  // A finished send of this file to this workspace: another file's or workspace's result is never "Sent." here.
  const ours =
    progress !== null &&
    (progress.fileId === undefined || progress.fileId === fileId) &&
    (progress.workspaceId === undefined || progress.workspaceId === workspaceId);
  const done = ours && progress !== null && (progress.state === 'finished' || progress.state === 'cancelled');
  const rerunning =
    rerun !== null && fileId !== null && (rerun.fromFile ? rerun.fileId : rerun.parentFileId) === fileId;
  const isTrial = trial || progress?.kind === 'trial';
  const isRerun = progress?.kind === 'rerun';
  const percent =
    progress && progress.batchesTotal > 0 ? Math.round((progress.batchesDone / progress.batchesTotal) * 100) : 0;

  return (
    <div className="send-step" data-send-state={progress?.state ?? 'ready'}>
      {error ? <ErrorNotice message={error} /> : null}
      {!running && fileId && rerunning ? <RerunPlanCard fileId={fileId} /> : null}
      {!running && summary && fileId && !rerunning ? (
        <section className="card" aria-label="Ready to send">
          <p className="send-lead">
            {done ? (isTrial ? 'The trial is done. ' : isRerun ? 'The re-run is done. ' : 'Sent. ') : ''}
            {counted(summary.messages, 'message')} from {counted(summary.sendableRows, 'row')}, in{' '}
            {counted(summary.batches, 'batch', 'batches')}, to{' '}
            <strong>{workspace?.name ?? 'the chosen workspace'}</strong>.
            {summary.errorRows > 0
              ? ` ${summary.errorRows === 1 ? '1 row with errors is' : `${numbers.format(summary.errorRows)} rows with errors are`} left out.`
              : ''}
          </p>
          <p className="muted">
            Each message carries an id made from its content, so sending a row again never makes a duplicate in Vitally,
            and messages Vitally has already accepted from this file are not sent again.
          </p>
          <div className="send-actions">
            <button type="button" className="button" disabled={starting} onClick={() => void start(fileId, TRIAL_ROWS)}>
              Send a trial of the first {TRIAL_ROWS} rows
            </button>
            <button
              type="button"
              className="button button--primary"
              disabled={starting}
              onClick={() => void start(fileId)}
            >
              <Icon name="send" size={16} />{' '}
              {summary.sendableRows === 1 ? 'Send the 1 row' : `Send all ${numbers.format(summary.sendableRows)} rows`}
            </button>
          </div>
        </section>
      ) : null}
      {/* While a re-run is prepared, an earlier import's finished progress would only distract. */}
      {progress && (running || ours || !rerunning) ? (
        <section className="card send-progress" aria-label="Sending">
          <div className="read-progress__top">
            <strong>
              {progress.state === 'finished'
                ? isTrial
                  ? 'Trial finished'
                  : isRerun
                    ? 'Re-run finished'
                    : 'Finished'
                : progress.state === 'cancelled'
                  ? 'Cancelled'
                  : progress.state === 'paused'
                    ? 'Paused'
                    : isTrial
                      ? 'Sending the trial'
                      : isRerun
                        ? 'Re-running the failed rows'
                        : 'Sending'}
              {!ours && progress.fileName ? (
                <span className="muted" data-testid="other-run">
                  {' '}
                  · {progress.fileName} to {progress.workspaceName}
                </span>
              ) : null}
            </strong>
            <span className="muted">
              {numbers.format(progress.batchesDone)} of {counted(progress.batchesTotal, 'batch', 'batches')}
              {/* More batches than Preview planned: one Vitally refused was sent again in halves. */}
              {ours && !isTrial && !isRerun && summary && progress.batchesTotal > summary.batches
                ? ' (split to find the rows Vitally refused)'
                : ''}{' '}
              · {percent}%
            </span>
          </div>
          <ProgressBar label="Sending progress" percent={percent} />
          <dl className="stats">
            <Stat label="Accepted" testId="accepted" value={numbers.format(progress.accepted)} />
            <Stat
              label="Rejected"
              testId="rejected"
              value={numbers.format(progress.rejected)}
              error={progress.rejected > 0}
            />
            <Stat label="Waiting" testId="pending" value={numbers.format(progress.pending)}>
              {progress.unknown > 0 ? (
                <small className="muted" title="Vitally may have these: they are sent again with the same ids.">
                  {numbers.format(progress.unknown)} unconfirmed
                </small>
              ) : null}
            </Stat>
            <Stat label="Rate" testId="rate" value={rate ? `${numbers.format(Math.round(rate.perSecond))}/s` : '—'}>
              <small className="muted">{rate ? timeLeft(rate.secondsLeft) : ''}</small>
            </Stat>
          </dl>
          {progress.alreadyAccepted > 0 ? (
            <p className="muted send-note" data-testid="already-accepted">
              {numbers.format(progress.alreadyAccepted)}{' '}
              {progress.alreadyAccepted === 1 ? 'message was' : 'messages were'} already accepted by an earlier send of
              this file and {progress.alreadyAccepted === 1 ? 'is' : 'are'} not sent again.
            </p>
          ) : null}
          <p
            className={`send-status${progress.needsAttention ? ' send-status--attention' : ''}`}
            role="status"
            data-testid="send-status"
          >
            {progress.status}
          </p>
          {progress.needs === 'token' ? (
            <NewTokenForm workspace={workspace?.name ?? 'this workspace'} onSave={replaceToken} />
          ) : null}
          <div className="send-actions">
            {running ? (
              <>
                {/* Two buttons, never one relabelled: when the run goes on from another tab, a Resume pressed here
                    at that moment must not land on the same element as Pause and pause it again. */}
                {progress.needs === 'token' ? null : progress.state === 'paused' ? (
                  <button key="resume" type="button" className="button button--primary" onClick={() => void resume()}>
                    Resume
                  </button>
                ) : (
                  <button key="pause" type="button" className="button" onClick={() => void pause()}>
                    Pause
                  </button>
                )}
                <button type="button" className="button button--danger" onClick={() => void cancel()}>
                  Cancel
                </button>
              </>
            ) : null}
            {progress.state === 'finished' || progress.state === 'cancelled' ? (
              <button type="button" className="button button--primary" onClick={() => goTo('results')}>
                See the results
              </button>
            ) : null}
          </div>
        </section>
      ) : null}
    </div>
  );
}

/** Vitally refused the token mid-send: a new one, pasted here, is kept like the old one and the send goes on. */
function NewTokenForm(props: { workspace: string; onSave: (token: string) => Promise<boolean> }): ReactElement {
  const [token, setToken] = useState('');
  const [saving, setSaving] = useState(false);
  return (
    <form
      className="new-token"
      onSubmit={(event) => {
        event.preventDefault();
        setSaving(true);
        void props.onSave(token.trim()).then((saved) => {
          setSaving(false);
          if (saved) setToken('');
        });
      }}
    >
      <label htmlFor="new-token">New API token for {props.workspace}</label>
      <p className="muted">{TOKEN_HELP} It replaces the refused one where that was kept.</p>
      <div className="new-token__row">
        <input
          id="new-token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(event) => setToken(event.target.value)}
        />
        <button type="submit" className="button button--primary" disabled={saving || token.trim() === ''}>
          Save and go on
        </button>
      </div>
    </form>
  );
}

/** "About 3 min left", rounded the way a person would say it. */
function timeLeft(seconds: number): string {
  if (seconds < 10) return 'A few seconds left';
  if (seconds < 90) return `About ${Math.round(seconds / 10) * 10} s left`;
  if (seconds < 90 * 60) return `About ${Math.round(seconds / 60)} min left`;
  return `About ${Math.round(seconds / 3600)} h left`;
}
