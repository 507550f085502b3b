import { useEffect, useState, type ReactElement } from 'react';
import type { RunDetails, RunRow, RunRowFilter, TypeCounts } from '../../../app/contract.ts';
import { Icon } from '../components/Icon.tsx';
import { useRunView } from '../stores/history-run.ts';
import { usePreview } from '../stores/preview.ts';
import { useSend } from '../stores/send.ts';
import { useUpload } from '../stores/upload.ts';
import { useWizard } from '../stores/wizard.ts';

const numbers = new Intl.NumberFormat();
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const TYPE_NAMES: Record<string, string> = {
  organization: 'Organizations',
  account: 'Accounts',
  user: 'Users',
  track: 'Events',
  customobjectinstance: 'Custom objects',
  unlink: 'Unlinks',
};

const ONE_TYPE: Record<string, string> = {
  organization: 'organization',
  account: 'account',
  user: 'user',
  track: 'event',
  customobjectinstance: 'custom object',
  unlink: 'unlink',
};

const OUTCOME_LABELS: Record<RunRow['outcome'], string> = {
  accepted: 'Accepted',
  rejected: 'Refused',
  unknown: 'Unconfirmed',
  'not-sent': 'Not sent',
  'left-out': 'Already accepted',
};

const FILTERS: { id: RunRowFilter; label: string; count: (t: TypeCounts) => number }[] = [
  { id: 'failed', label: 'Failed', count: (t) => t.rejected + t.unknown },
  { id: 'rejected', label: 'Refused', count: (t) => t.rejected },
  { id: 'unknown', label: 'Unconfirmed', count: (t) => t.unknown },
  { id: 'accepted', label: 'Accepted', count: (t) => t.accepted },
  { id: 'not-sent', label: 'Not sent', count: (t) => t.notSent },
  { id: 'left-out', label: 'Already accepted', count: (t) => t.leftOut },
  { id: 'all', label: 'All', count: (t) => t.accepted + t.rejected + t.unknown + t.notSent + t.leftOut },
];

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
    return (
      <div className="notice notice--error" role="alert">
        <Icon name="alert" /> <span>{error}</span>
      </div>
    );
  }
  if (!details || details.id !== runId) return <p className="muted">Loading the import…</p>;
  const failed = details.totals.rejected + details.totals.unknown;
  return (
    <div className="run-view" data-run-id={runId}>
      {error ? (
        <div className="notice notice--error" role="alert">
          <Icon name="alert" /> <span>{error}</span>
        </div>
      ) : null}
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

/** Export the failed rows, and the three ways to re-run them. */
function RerunCard({ details }: { details: RunDetails }): ReactElement {
  const { exportRun, exporting, exported } = useRunView();
  const prepareRerun = useSend((s) => s.prepareRerun);
  const goTo = useWizard((s) => s.goTo);
  const [withUnknown, setWithUnknown] = useState(false);
  const failedRows = details.totals.rejected + (withUnknown ? details.totals.unknown : 0);
  // The import's own file, as it was read when sent: its failed rows can be found by their numbers.
  const ownFile = details.fileAvailable && !details.fileProblem;
  const target = (fromFile: boolean) => ({
    runId: details.id,
    parentFileId: details.fileId,
    parentFileName: details.fileName,
    parentCreatedAt: details.createdAt,
    fromFile,
    includeUnknown: withUnknown,
  });
  const openOwnFile = async (step: 'map' | 'preview') => {
    prepareRerun(target(false));
    const upload = useUpload.getState();
    if (details.fileId && upload.file?.id !== details.fileId) await upload.openRecent(details.fileId);
    usePreview.getState().showFailedOf(step === 'preview' ? details.id : null);
    goTo(step);
  };
  return (
    <section className="card rerun-card" aria-labelledby="rerun-title">
      <h2 id="rerun-title" className="section-title">
        Fix the failed rows and send them again
      </h2>
      <p>
        A re-run sends only the failed rows — {numbers.format(failedRows)} {failedRows === 1 ? 'message' : 'messages'}{' '}
        here — as a new import linked to this one. Rows Vitally accepted are never sent again, and the Send step says
        how many will go before anything is sent.
      </p>
      {details.totals.unknown > 0 ? (
        <label className="checkbox">
          <input type="checkbox" checked={withUnknown} onChange={(e) => setWithUnknown(e.target.checked)} /> Also the{' '}
          {details.totals.unknown === 1
            ? '1 unconfirmed one (Vitally keeps one copy of each message, so sending it again is safe)'
            : `${numbers.format(details.totals.unknown)} unconfirmed ones (Vitally keeps one copy of each, so sending them again is safe)`}
        </label>
      ) : null}
      <div className="rerun-card__ways">
        <div>
          <h3>In the app</h3>
          <p className="muted">Correct the cells in Preview, which shows just these rows, or change the mapping.</p>
          <div className="send-actions">
            <button
              type="button"
              className="button button--primary"
              disabled={!ownFile}
              onClick={() => void openOwnFile('preview')}
            >
              Fix them in Preview
            </button>
            <button type="button" className="button" disabled={!ownFile} onClick={() => void openOwnFile('map')}>
              Change the mapping
            </button>
          </div>
          {!details.fileAvailable ? (
            <p className="muted">The file of this import is no longer in the app: use a corrected file.</p>
          ) : null}
          {details.fileProblem ? (
            <p className="field-error" role="alert" data-testid="rerun-file-problem">
              {details.fileProblem}
            </p>
          ) : null}
        </div>
        <div>
          <h3>In a spreadsheet</h3>
          <p className="muted">
            Export them with their original columns plus Row and Error, fix them in Excel or another spreadsheet, and
            load the file again.
          </p>
          <div className="send-actions">
            <button
              type="button"
              className="button"
              disabled={exporting !== null || !ownFile}
              onClick={() => void exportRun('failed-csv', withUnknown)}
            >
              <Icon name="download" size={16} /> Export as CSV
            </button>
            <button
              type="button"
              className="button"
              disabled={exporting !== null || !ownFile}
              onClick={() => void exportRun('failed-xlsx', withUnknown)}
            >
              <Icon name="download" size={16} /> Export as Excel
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                prepareRerun(target(true));
                useUpload.getState().chooseAnother();
                goTo('upload');
              }}
            >
              <Icon name="upload" size={16} /> Load the corrected file
            </button>
          </div>
        </div>
      </div>
      {exported ? (
        <p className={exported.tone === 'error' ? 'field-error' : 'muted'} role="status" data-testid="export-status">
          {exported.text}
        </p>
      ) : null}
    </section>
  );
}

function RowsCard({ details }: { details: RunDetails }): ReactElement {
  const { filter, type, search, rows, total, offset, loadingRows, setFilter, setType, setSearch, page } = useRunView();
  const types = Object.keys(details.byType);
  const counts = type ? (details.byType[type] ?? details.totals) : details.totals;
  return (
    <section className="card run-rows" aria-labelledby="rows-title">
      <div className="run-rows__head">
        <h2 id="rows-title" className="section-title">
          Rows
        </h2>
        <div className="filter-tabs" role="radiogroup" aria-label="Show messages">
          {FILTERS.filter((f) => f.id === 'all' || f.id === 'failed' || f.count(counts) > 0).map((option) => (
            <label
              key={option.id}
              className={`filter-tabs__option${option.id === 'failed' && option.count(counts) > 0 ? ' filter-tabs__option--error' : ''}`}
            >
              <input
                type="radio"
                name="run-row-filter"
                value={option.id}
                checked={filter === option.id}
                onChange={() => setFilter(option.id)}
              />
              {option.label} <span className="filter-tabs__count">{numbers.format(option.count(counts))}</span>
            </label>
          ))}
        </div>
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
        <div className="pager">
          <button type="button" className="button" disabled={offset === 0} onClick={() => void page(offset - 50)}>
            Previous
          </button>
          <span className="muted">
            {numbers.format(offset + 1)}–{numbers.format(offset + rows.length)} of {numbers.format(total)}
          </span>
          <button
            type="button"
            className="button"
            disabled={offset + rows.length >= total}
            onClick={() => void page(offset + 50)}
          >
            Next
          </button>
        </div>
      ) : null}
    </section>
  );
}

function BatchesCard(): ReactElement {
  const { batches, batchTotal, batchOffset, selectedBatch, batchBody, batchResponse, loadBatches, selectBatch } =
    useRunView();
  useEffect(() => void loadBatches(0), [loadBatches]);
  return (
    <section className="card" aria-labelledby="batches-title">
      <h2 id="batches-title" className="section-title">
        Batches sent
      </h2>
      <p className="muted">Each request exactly as it went to Vitally, and what Vitally answered.</p>
      <div className="run-batches">
        <div className="run-batches__scroll">
          <table className="data-table run-batches__list">
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">Rows</th>
                <th scope="col" className="numeric">
                  Messages
                </th>
                <th scope="col">Outcome</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((batch) => (
                <tr
                  key={batch.id}
                  className={batch.id === selectedBatch ? 'is-selected' : ''}
                  onClick={() => void selectBatch(batch.id)}
                >
                  <td>
                    <button type="button" className="link-button" onClick={() => void selectBatch(batch.id)}>
                      {batchLabel(batch.id)}
                    </button>
                  </td>
                  <td>{batch.firstRow === batch.lastRow ? batch.firstRow : `${batch.firstRow}–${batch.lastRow}`}</td>
                  <td className="numeric">{batch.messages}</td>
                  <td>
                    {batch.state === 'accepted'
                      ? `${batch.status} Accepted`
                      : batch.state === 'rejected'
                        ? `${batch.status} Refused`
                        : batch.state === 'delivered'
                          ? 'Already accepted'
                          : batch.state === 'planned'
                            ? 'Not sent'
                            : 'Unconfirmed'}
                  </td>
                  <td>
                    {batch.sentAt ? timeFormat.format(new Date(batch.sentAt)) : '—'}
                    {batch.sends > 1 ? <small className="muted"> ×{batch.sends}</small> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="run-batches__body">
          {selectedBatch === null ? (
            <p className="muted">Choose a batch to see its JSON and Vitally’s answer.</p>
          ) : (
            <>
              <h3>Batch {batchLabel(selectedBatch)}: what was sent</h3>
              <pre className="json" data-testid="run-batch-json">
                {batchBody ? pretty(batchBody) : 'Loading…'}
              </pre>
              <h3>Vitally’s answer</h3>
              <p data-testid="run-batch-response">{batchResponse ?? '…'}</p>
            </>
          )}
        </div>
      </div>
      {batchTotal > batches.length ? (
        <div className="pager">
          <button
            type="button"
            className="button"
            disabled={batchOffset === 0}
            onClick={() => void loadBatches(batchOffset - 50)}
          >
            Previous
          </button>
          <span className="muted">
            {numbers.format(batchOffset + 1)}–{numbers.format(batchOffset + batches.length)} of{' '}
            {numbers.format(batchTotal)}
          </span>
          <button
            type="button"
            className="button"
            disabled={batchOffset + batches.length >= batchTotal}
            onClick={() => void loadBatches(batchOffset + 50)}
          >
            Next
          </button>
        </div>
      ) : null}
    </section>
  );
}

function RunActions({ details }: { details: RunDetails }): ReactElement {
  const { exportRun, exporting, exported, deleteRun } = useRunView();
  const resumeRun = useSend((s) => s.resumeRun);
  const follow = useSend((s) => s.follow);
  const goTo = useWizard((s) => s.goTo);
  const [confirming, setConfirming] = useState(false);
  const resumable = !details.live && ['interrupted', 'paused', 'cancelled'].includes(details.state);
  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title" className="section-title">
        This import
      </h2>
      <div className="send-actions">
        {details.live ? (
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              void follow(details.id);
              goTo('send');
            }}
          >
            Show its progress
          </button>
        ) : null}
        {resumable ? (
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              void resumeRun(details.id);
              goTo('send');
            }}
          >
            Resume
          </button>
        ) : null}
        <button
          type="button"
          className="button"
          disabled={exporting !== null}
          onClick={() => void exportRun('report-csv')}
        >
          <Icon name="download" size={16} /> Report as CSV
        </button>
        <button
          type="button"
          className="button"
          disabled={exporting !== null}
          onClick={() => void exportRun('report-json')}
        >
          <Icon name="download" size={16} /> Report as JSON
        </button>
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

function stateWords(details: RunDetails): string {
  if (details.live) return details.state === 'paused' ? 'paused' : 'being sent now';
  return (
    {
      planned: 'not started',
      sending: 'sending',
      paused: 'paused',
      interrupted: 'interrupted when the app closed',
      finished: 'finished',
      cancelled: 'cancelled',
    } as const
  )[details.state];
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** A batch's number as people count (1, not 0); a part after a refusal keeps its parent's number. */
function batchLabel(id: string): string {
  const [first, ...rest] = id.split('.');
  return [String(Number(first) + 1), ...rest].join('.');
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function shorten(value: string): string {
  return value.length > 120 ? `${value.slice(0, 117)}…` : value;
}
