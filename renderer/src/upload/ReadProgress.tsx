import type { ReactElement } from 'react';
import { ProgressBar } from '../components/ProgressBar.tsx';
import { useUpload } from '../stores/upload.ts';

/** Uploading and reading: how far it has got, and a way to stop. */
export function ReadProgress(): ReactElement {
  const { phase, pendingName, progress, progressText, cancel } = useUpload();
  const verb = phase === 'uploading' ? 'Uploading' : 'Reading';
  const percent = progress === null ? null : Math.round(progress * 100);
  return (
    <section className="card read-progress" aria-live="polite" aria-label={`${verb} ${pendingName ?? 'the file'}`}>
      <div className="read-progress__top">
        <strong>
          {verb} {pendingName ? `“${pendingName}”` : 'the file'}
        </strong>
        <span className="muted">{percent === null ? '' : `${percent}%`}</span>
      </div>
      <ProgressBar label={`${verb} progress`} percent={percent} />
      <div className="read-progress__bottom">
        <span className="muted">{progressText || ' '}</span>
        {phase === 'reading' ? (
          <button type="button" className="button" onClick={() => void cancel()}>
            Cancel
          </button>
        ) : null}
      </div>
    </section>
  );
}
