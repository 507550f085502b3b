import type { ReactElement } from 'react';

/** How far something has got, as a bar (reading a file, checking it, sending it); `null` when not yet known. */
export function ProgressBar({ label, percent }: { label: string; percent: number | null }): ReactElement {
  return (
    <div
      className={`progress${percent === null ? ' progress--unknown' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
    >
      <div className="progress__bar" style={{ width: `${percent ?? 30}%` }} />
    </div>
  );
}
