import type { ReactElement } from 'react';

/**
 * A scrolling list this long stays below the tallest element browsers lay out (about 33.5 million pixels): a
 * longer list is shown a window of this many rows at a time, chosen with `RowWindowPicker`.
 */
export const ROWS_PER_WINDOW = 500_000;

const numbers = new Intl.NumberFormat();

/** The rows of the window that starts at `start`, out of `total`. */
export function windowSize(total: number, start: number): number {
  return Math.max(0, Math.min(ROWS_PER_WINDOW, total - start));
}

/** Chooses which part of a very long list to show; nothing when the whole list fits. */
export function RowWindowPicker(props: {
  total: number;
  start: number;
  onChange: (start: number) => void;
  id: string;
}): ReactElement | null {
  const { total, start, onChange, id } = props;
  if (total <= ROWS_PER_WINDOW) return null;
  const starts = Array.from({ length: Math.ceil(total / ROWS_PER_WINDOW) }, (_, i) => i * ROWS_PER_WINDOW);
  return (
    <div className="row-window">
      <label htmlFor={id}>Showing</label>
      <select id={id} value={start} onChange={(event) => onChange(Number(event.target.value))}>
        {starts.map((first) => (
          <option key={first} value={first}>
            rows {numbers.format(first + 1)}–{numbers.format(first + windowSize(total, first))} of{' '}
            {numbers.format(total)}
          </option>
        ))}
      </select>
    </div>
  );
}
