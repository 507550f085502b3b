import { useEffect, type ReactElement } from 'react';
import type { PreviewSummary, RowFilter } from '../../../app/contract.ts';
import { ProgressBar } from '../components/ProgressBar.tsx';
import { FilterTabs } from '../components/FilterTabs.tsx';
import { BatchesCard } from '../preview/BatchesCard.tsx';
import { ReviewGrid } from '../preview/ReviewGrid.tsx';
import { SummaryCard } from '../preview/SummaryCard.tsx';
import { FailedRowsNote } from '../history/RerunNotes.tsx';
import { MappingProblems } from '../map/MappingProblems.tsx';
import { useWizard } from '../stores/wizard.ts';
import { useMap } from '../stores/map.ts';
import { usePreview } from '../stores/preview.ts';
import { useUpload } from '../stores/upload.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

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
  const gaps = useMap((s) => s.gaps);
  const { preview, summary, progress, progressText, error, open } = usePreview();

  useEffect(() => {
    if (fileId && gaps.length === 0) void open(fileId);
  }, [fileId, gaps.length, open]);

  const checking = preview?.state === 'building';
  const percent = progress === null ? 0 : Math.round(progress * 100);

  return (
    <div className="preview-step" data-preview-state={preview?.state ?? 'none'}>
      {error ? <ErrorNotice message={error} /> : null}
      <MappingProblems
        problems={preview?.mappingProblems ?? []}
        fixIn={
          preview?.mappingProblems?.some((p) => p.severity === 'error')
            ? { label: 'Fix the mapping in Map', go: () => useWizard.getState().goTo('map') }
            : undefined
        }
      />
      {checking && !summary ? <CheckProgress percent={percent} text={progressText} /> : null}
      {summary ? (
        <>
          <SummaryCard summary={summary} checking={checking} percent={percent} />
          <RowsCard summary={summary} />
          <BatchesCard checking={checking} batchCount={summary.batches} />
        </>
      ) : null}
    </div>
  );
}

/** The first check of a file, as it goes. */
function CheckProgress({ percent, text }: { percent: number; text: string }): ReactElement {
  return (
    <section className="card read-progress" aria-live="polite" aria-label="Checking every row">
      <div className="read-progress__top">
        <strong>Checking every row</strong>
        <span className="muted">{percent}%</span>
      </div>
      <ProgressBar label="Checking progress" percent={percent} />
      <span className="muted">{text}</span>
    </section>
  );
}

/** The rows under the filter chosen (or an import's failed rows), to correct in place or leave out. */
function RowsCard({ summary }: { summary: PreviewSummary }): ReactElement {
  const fileId = useUpload((s) => s.file?.id ?? null);
  const columns = useUpload((s) => s.file?.result?.columns ?? null);
  const { filter, failedOf, showFailedOf, rowsVersion, setFilter, editCell, setExcluded } = usePreview();
  const current = FILTERS.find((f) => f.id === filter) ?? FILTERS[0];
  return (
    <section className="card preview-rows" aria-labelledby="rows-title">
      <div className="preview-rows__head">
        <h2 id="rows-title" className="section-title">
          Rows
        </h2>
        <FilterTabs
          name="row-filter"
          label="Show rows"
          options={FILTERS}
          count={(option) => option.count(summary)}
          errorTab="errors"
          chosen={failedOf ? null : filter}
          onChoose={setFilter}
        />
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
  );
}
