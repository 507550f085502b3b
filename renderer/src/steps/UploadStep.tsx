import { counted } from '../words.ts';
import { useEffect, useRef, type ReactElement } from 'react';
import { Icon } from '../components/Icon.tsx';
import { DropZone } from '../upload/DropZone.tsx';
import { FileFacts } from '../upload/FileFacts.tsx';
import { ReadProgress } from '../upload/ReadProgress.tsx';
import { RowTable } from '../upload/RowTable.tsx';
import { formatBytes, useUpload } from '../stores/upload.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

const dates = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Upload: choose or drop a spreadsheet, watch it being read, then see exactly what was read. */
export function UploadStep(): ReactElement {
  const { phase, file, error, recent, loadRecent, openRecent, openSample } = useUpload();
  useEffect(() => void loadRecent(), [loadRecent]);
  const result = file?.result;
  // The button that opened a file (a recent one, the sample) is gone once it is read: focus goes to what was read.
  const read = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (phase === 'ready' && (document.activeElement === document.body || document.activeElement === null)) {
      read.current?.focus();
    }
  }, [phase]);

  return (
    <div className="upload-step" data-upload-phase={phase}>
      {error ? <ErrorNotice message={error} testId="upload-error" /> : null}
      {phase === 'uploading' || phase === 'reading' ? <ReadProgress /> : null}
      {phase === 'failed' && file && result ? (
        // A re-read with other settings failed (say, a sheet with no data): keep the controls to choose again.
        <FileFacts file={file} result={result} />
      ) : null}
      {phase === 'ready' && file && result ? (
        <div ref={read} tabIndex={-1} className="upload-step__read" aria-label={`What was read from ${file.name}`}>
          <FileFacts file={file} result={result} />
          <RowTable
            key={`${file.id}:${JSON.stringify(file.settings)}`}
            fileId={file.id}
            columns={result.columns}
            rowCount={result.rowCount}
          />
        </div>
      ) : null}
      {phase === 'empty' || phase === 'failed' ? (
        <>
          <DropZone />
          <p className="sample-offer muted">
            No spreadsheet at hand?{' '}
            <button type="button" className="link-button" onClick={() => void openSample()}>
              Open the sample contacts file
            </button>{' '}
            (24 made-up people in five companies) to see how an import goes.
          </p>
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
                        {counted(item.result?.rowCount ?? 0, 'row')} · {formatBytes(item.size)} ·{' '}
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
