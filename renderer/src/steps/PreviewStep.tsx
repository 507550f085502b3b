import { counted } from '../words.ts';
import { useEffect, useState, type ReactElement } from 'react';
import type { PreviewSummary, RowFilter } from '../../../app/contract.ts';
import { copyText } from '../api/client.ts';
import { Icon } from '../components/Icon.tsx';
import { BatchMessages } from '../preview/BatchMessages.tsx';
import { ReviewGrid } from '../preview/ReviewGrid.tsx';
import { FailedRowsNote } from '../history/RerunNotes.tsx';
import { MappingProblems } from '../map/MappingProblems.tsx';
import { useWizard } from '../stores/wizard.ts';
import { useMap } from '../stores/map.ts';
import { usePreview } from '../stores/preview.ts';
import { formatBytes, useUpload } from '../stores/upload.ts';

const numbers = new Intl.NumberFormat();
const TYPE_NAMES: Record<string, [one: string, many: string]> = {
  organization: ['organization', 'organizations'],
  account: ['account', 'accounts'],
  user: ['user', 'users'],
  track: ['event', 'events'],
  customobjectinstance: ['custom object', 'custom objects'],
  unlink: ['unlink', 'unlinks'],
};

/** “1 account”, “3 users”. */
function countOf(type: string, count: number): string {
  const [one, many] = TYPE_NAMES[type] ?? [type, type];
  return `${numbers.format(count)} ${count === 1 ? one : many}`;
}

const FILTERS: { id: RowFilter; label: string; count: (s: PreviewSummary) => number; empty: string }[] = [
  { id: 'all', label: 'All rows', count: (s) => s.rows, empty: 'The file has no rows.' },
  { id: 'errors', label: 'With errors', count: (s) => s.errorRows, empty: 'No row has an error.' },
  { id: 'warnings', label: 'With warnings', count: (s) => s.warningRows, empty: 'No row has a warning.' },
  {
    id: 'excluded',
    label: 'Left out',
    count: (s) => s.excludedRows,
    empty: 'Every row is sent. Untick a row’s Send box to leave it out.',
  },
  { id: 'edited', label: 'Edited', count: (s) => s.editedRows, empty: 'No cell has been edited.' },
];

/** Preview: every row checked, problems cell by cell with fixes in place, and the exact batches. */
export function PreviewStep(): ReactElement {
  const fileId = useUpload((s) => s.file?.id ?? null);
  const columns = useUpload((s) => s.file?.result?.columns ?? null);
  const gaps = useMap((s) => s.gaps);
  const {
    preview,
    summary,
    progress,
    progressText,
    filter,
    failedOf,
    showFailedOf,
    rowsVersion,
    batches,
    selected,
    batchBody,
    batchRows,
    saved,
    saving,
    error,
    open,
    setFilter,
    editCell,
    setExcluded,
    selectBatch,
    saveBatches,
  } = usePreview();

  useEffect(() => {
    if (fileId && gaps.length === 0) void open(fileId);
  }, [fileId, gaps.length, open]);
  // Copy JSON says whether it worked: a refused clipboard must not look like a copy.
  const [copied, setCopied] = useState<{ body: string; note: string } | null>(null);
  const copyNote = copied && copied.body === batchBody ? copied.note : null;

  const checking = preview?.state === 'building';
  const percent = progress === null ? 0 : Math.round(progress * 100);
  const first = batchRows[0]?.rowNumber;
  const last = batchRows.at(-1)?.rowNumber;
  const current = FILTERS.find((f) => f.id === filter) ?? FILTERS[0];

  return (
    <div className="preview-step" data-preview-state={preview?.state ?? 'none'}>
      {error ? (
        <div className="notice notice--error" role="alert">
          <Icon name="alert" /> <span>{error}</span>
        </div>
      ) : null}
      <MappingProblems
        problems={preview?.mappingProblems ?? []}
        fixIn={
          preview?.mappingProblems?.some((p) => p.severity === 'error')
            ? { label: 'Fix the mapping in Map', go: () => useWizard.getState().goTo('map') }
            : undefined
        }
      />
      {checking && !summary ? (
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
      {summary ? (
        <>
          <section className="card preview-summary" aria-label="Summary">
            {checking ? (
              <p className="preview-summary__checking" role="status">
                <span className="spinner" aria-hidden="true" /> Checking every row again after your change… {percent}%
              </p>
            ) : null}
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
                <dt>Left out by you</dt>
                <dd data-testid="excluded-rows">
                  {numbers.format(summary.excludedRows)}
                  {summary.editedCells > 0 ? (
                    <small className="muted" data-testid="edited-cells">
                      {summary.editedCells === 1 ? '1 cell' : `${numbers.format(summary.editedCells)} cells`} edited
                    </small>
                  ) : null}
                </dd>
              </div>
              <div>
                <dt>Messages</dt>
                <dd data-testid="messages">
                  {numbers.format(summary.messages)}
                  <small className="muted">
                    {Object.entries(summary.messagesByType)
                      .map(([type, count]) => countOf(type, count))
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
          <section className="card preview-rows" aria-labelledby="rows-title">
            <div className="preview-rows__head">
              <h2 id="rows-title" className="section-title">
                Rows
              </h2>
              <div className="filter-tabs" role="radiogroup" aria-label="Show rows">
                {FILTERS.map((option) => (
                  <label
                    key={option.id}
                    className={`filter-tabs__option${option.id === 'errors' && summary.errorRows > 0 ? ' filter-tabs__option--error' : ''}`}
                  >
                    <input
                      type="radio"
                      name="row-filter"
                      value={option.id}
                      checked={filter === option.id && !failedOf}
                      onChange={() => setFilter(option.id)}
                    />
                    {option.label} <span className="filter-tabs__count">{numbers.format(option.count(summary))}</span>
                  </label>
                ))}
              </div>
            </div>
            <p className="muted preview-rows__hint">
              Click a cell to correct it for this import (Enter saves and moves down, Escape cancels); your file is not
              changed. Untick Send to leave a row out.
            </p>
            {failedOf ? <FailedRowsNote runId={failedOf} onShowAll={() => showFailedOf(null)} /> : null}
            {fileId && columns ? (
              <ReviewGrid
                fileId={fileId}
                columns={columns}
                filter={filter}
                failedOf={failedOf}
                version={rowsVersion}
                empty={current?.empty ?? ''}
                onEdit={editCell}
                onExclude={(rowNumber, excluded) => setExcluded([rowNumber], excluded)}
              />
            ) : null}
          </section>
          <section className="card preview-batches" aria-labelledby="batches-title">
            <div className="preview-batches__head">
              <h2 id="batches-title" className="section-title">
                Batches, exactly as they will be sent
              </h2>
              <button
                type="button"
                className="button"
                disabled={checking || saving || summary.batches === 0}
                onClick={() => void saveBatches()}
              >
                <Icon name="download" /> {saving ? 'Saving the batches…' : 'Save all batches as JSON Lines'}
              </button>
            </div>
            {saved ? (
              <p className={`notice notice--${saved.tone === 'ok' ? 'success' : 'error'}`} role="status">
                {saved.text}
              </p>
            ) : null}
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
                        {counted(batch.messages, 'message')} · {formatBytes(batch.bytes)}
                      </span>
                      <span className="muted batch-list__types">
                        {Object.entries(batch.types)
                          .map(([type, count]) => countOf(type, count))
                          .join(' · ')}
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
                      <span className="batch-view__copy">
                        <span className="muted" role="status">
                          {copyNote}
                        </span>
                        <button
                          type="button"
                          className="button"
                          onClick={() => void copyText(batchBody).then((note) => setCopied({ body: batchBody, note }))}
                        >
                          Copy JSON
                        </button>
                      </span>
                    </div>
                    <BatchMessages body={batchBody} rows={batchRows} />
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
