import type { ReactElement } from 'react';

const numbers = new Intl.NumberFormat();

/** Previous and Next through a list shown a page at a time, and which of its items are shown: “51–100 of 240”. */
export function Pager(props: {
  /** Where the page shown starts, how many it shows, and how many there are in all. */
  offset: number;
  shown: number;
  total: number;
  pageSize: number;
  onPage: (offset: number) => void;
}): ReactElement {
  const { offset, shown, total, pageSize, onPage } = props;
  return (
    <div className="pager">
      <button type="button" className="button" disabled={offset === 0} onClick={() => onPage(offset - pageSize)}>
        Previous
      </button>
      <span className="muted">
        {numbers.format(offset + 1)}–{numbers.format(offset + shown)} of {numbers.format(total)}
      </span>
      <button
        type="button"
        className="button"
        disabled={offset + shown >= total}
        onClick={() => onPage(offset + pageSize)}
      >
        Next
      </button>
    </div>
  );
}
