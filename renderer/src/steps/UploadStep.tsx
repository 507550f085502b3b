import { useEffect, type ReactElement } from 'react';
import { Icon } from '../components/Icon.tsx';
import { DropZone } from '../upload/DropZone.tsx';
import { FileFacts } from '../upload/FileFacts.tsx';
import { ReadProgress } from '../upload/ReadProgress.tsx';
import { RowTable } from '../upload/RowTable.tsx';
import { formatBytes, useUpload } from '../stores/upload.ts';

const dates = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const numbers = new Intl.NumberFormat();

/** Upload: choose or drop a spreadsheet, watch it being read, then see exactly what was read. */
export function UploadStep(): ReactElement {
  const { phase, file, error, recent, loadRecent, openRecent } = useUpload();
  useEffect(() => void loadRecent(), [loadRecent]);
  const result = file?.result;

  return (
    <div className="upload-step" data-upload-phase={phase}>
      {error ? (
        <div className="notice notice--error" role="alert">
          <Icon name="alert" /> <span data-testid="upload-error">{error}</span>
        </div>
      ) : null}
      {phase === 'uploading' || phase === 'reading' ? <ReadProgress /> : null}
      {phase === 'failed' && file && result ? (
        // A re-read with other settings failed (say, a sheet with no data): keep the controls to choose again.
        <FileFacts file={file} result={result} />
      ) : null}
      {phase === 'ready' && file && result ? (
        <>
          <FileFacts file={file} result={result} />
          <RowTable
            key={`${file.id}:${JSON.stringify(file.settings)}`}
            fileId={file.id}
            columns={result.columns}
            rowCount={result.rowCount}
          />
        </>
      ) : null}
      {phase === 'empty' || phase === 'failed' ? (
        <>
          <DropZone />
          {recent.length > 0 ? (
            <section className="recent" aria-labelledby="recent-title">
              <h2 id="recent-title">Recently opened</h2>
              <ul>
                {recent.map((item) => (
                  <li key={item.id}>
                    <button type="button" className="recent__item" onClick={() => void openRecent(item.id)}>
                      <Icon name="file" size={16} />
                      <span className="recent__name">{item.name}</span>
                      <span className="muted">
                        {numbers.format(item.result?.rowCount ?? 0)} rows · {formatBytes(item.size)} ·{' '}
                        {dates.format(new Date(item.openedAt))}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
