import { useEffect, type ReactElement } from 'react';
import { Icon } from '../components/Icon.tsx';
import { useMap } from '../stores/map.ts';
import { usePreview } from '../stores/preview.ts';
import { formatBytes, useUpload } from '../stores/upload.ts';

const numbers = new Intl.NumberFormat();
const TYPE_NAMES: Record<string, string> = {
  organization: 'organizations',
  account: 'accounts',
  user: 'users',
  track: 'events',
  customobjectinstance: 'custom objects',
  unlink: 'unlinks',
};

/** Preview: every row checked, the rows that cannot be sent and why, and the exact batches. */
export function PreviewStep(): ReactElement {
  const fileId = useUpload((s) => s.file?.id ?? null);
  const gaps = useMap((s) => s.gaps);
  const {
    preview,
    progress,
    progressText,
    problems,
    problemsTotal,
    batches,
    selected,
    batchBody,
    batchRows,
    error,
    open,
    rebuild,
    selectBatch,
  } = usePreview();

  useEffect(() => {
    if (fileId && gaps.length === 0) void open(fileId);
  }, [fileId, gaps.length, open]);

  const summary = preview?.summary;
  const building = preview?.state === 'building';
  const percent = progress === null ? 0 : Math.round(progress * 100);
  const first = batchRows[0]?.rowNumber;
  const last = batchRows.at(-1)?.rowNumber;

  return (
    <div className="preview-step" data-preview-state={preview?.state ?? 'none'}>
      {error ? (
        <div className="notice notice--error" role="alert">
          <Icon name="alert" /> <span>{error}</span>
        </div>
      ) : null}
      {building ? (
        <section className="card read-progress" aria-live="polite" aria-label="Checking every row">
          <div className="read-progress__top">
            <strong>Checking every row</strong>
            <span className="muted">{percent}%</span>
          </div>
          <div
            className="progress"
            role="progressbar"
            aria-label="Checking progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
          >
            <div className="progress__bar" style={{ width: `${percent}%` }} />
          </div>
          <span className="muted">{progressText}</span>
        </section>
      ) : null}
      {preview?.state === 'stale' ? (
        <div className="notice notice--warning" role="status">
          <span>The mapping changed since this preview was made.</span>
          <button type="button" className="button" onClick={() => void rebuild()}>
            Check again
          </button>
        </div>
      ) : null}
      {summary ? (
        <>
          <section className="card preview-summary" aria-label="Summary">
            <dl className="stats">
              <div>
                <dt>Rows</dt>
                <dd data-testid="rows">{numbers.format(summary.rows)}</dd>
              </div>
              <div>
                <dt>Ready to send</dt>
                <dd data-testid="sendable-rows">{numbers.format(summary.sendableRows)}</dd>
              </div>
              <div className={summary.errorRows > 0 ? 'stat--error' : ''}>
                <dt>With errors (not sent)</dt>
                <dd data-testid="error-rows">{numbers.format(summary.errorRows)}</dd>
              </div>
              <div>
                <dt>With warnings</dt>
                <dd>{numbers.format(summary.warningRows)}</dd>
              </div>
              <div>
                <dt>Messages</dt>
                <dd data-testid="messages">
                  {numbers.format(summary.messages)}
                  <small className="muted">
                    {Object.entries(summary.messagesByType)
                      .map(([type, count]) => `${numbers.format(count)} ${TYPE_NAMES[type] ?? type}`)
                      .join(' · ')}
                  </small>
                  {summary.repeatsSkipped > 0 ? (
                    <small className="muted" data-testid="repeats">
                      {summary.repeatsSkipped === 1 ? '1 repeat' : `${numbers.format(summary.repeatsSkipped)} repeats`}{' '}
                      of the same record left out
                    </small>
                  ) : null}
                </dd>
              </div>
              <div>
                <dt>Batches</dt>
                <dd data-testid="batches">
                  {numbers.format(summary.batches)}
                  <small className="muted">{formatBytes(summary.bytes)} in all</small>
                </dd>
              </div>
            </dl>
          </section>
          {problemsTotal > 0 ? (
            <section className="card" aria-labelledby="problems-title">
              <h2 id="problems-title" className="section-title">
                Rows with problems <span className="muted">({numbers.format(problemsTotal)})</span>
              </h2>
              <ul className="problem-list">
                {problems.flatMap((row) =>
                  row.problems.map((problem, index) => (
                    <li key={`${row.rowNumber}-${index}`} className={`problem problem--${problem.severity}`}>
                      {problem.message}
                    </li>
                  )),
                )}
              </ul>
              {problemsTotal > problems.length ? (
                <p className="muted">The first {numbers.format(problems.length)} rows with problems are shown.</p>
              ) : null}
            </section>
          ) : null}
          <section className="card preview-batches" aria-labelledby="batches-title">
            <h2 id="batches-title" className="section-title">
              Batches, exactly as they will be sent
            </h2>
            <div className="preview-batches__body">
              <ol className="batch-list" aria-label="Batches">
                {batches.map((batch) => (
                  <li key={batch.batch}>
                    <button
                      type="button"
                      className={`list-button batch-list__item${selected === batch.batch ? ' list-button--current' : ''}`}
                      aria-current={selected === batch.batch ? 'true' : undefined}
                      onClick={() => void selectBatch(batch.batch)}
                    >
                      <strong>Batch {batch.batch + 1}</strong>
                      <span className="muted">
                        {batch.messages} messages · {formatBytes(batch.bytes)}
                      </span>
                    </button>
                  </li>
                ))}
              </ol>
              <div className="batch-view">
                {batchBody ? (
                  <>
                    <div className="batch-view__head">
                      <span className="muted">
                        Batch {(selected ?? 0) + 1}: rows {first}–{last}
                      </span>
                      <button
                        type="button"
                        className="button"
                        onClick={() => void navigator.clipboard.writeText(batchBody)}
                      >
                        Copy JSON
                      </button>
                    </div>
                    <pre className="json batch-view__json" data-testid="batch-json">
                      {JSON.stringify(JSON.parse(batchBody), null, 2)}
                    </pre>
                  </>
                ) : null}
              </div>
            </div>
          </section>
        </>
      ) : null}
    </div>
  );
}
