import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { Column, Row } from '../../../app/contract.ts';
import { call } from '../api/client.ts';

const PAGE_ROWS = 200;
const ROW_HEIGHT = 34;
const NUMBER_WIDTH = 76;
const COLUMN_WIDTH = 180;
/** Characters of a cell shown in the table; the rest is in its tooltip (up to a limit) and in the data. */
const SHOWN_CHARS = 300;

/**
 * Every row of the file, however many: only the rows in view are rendered, and they are fetched from main a page
 * at a time as the user scrolls. The first column is the row number in the spreadsheet.
 */
export function RowTable(props: { fileId: string; columns: Column[]; rowCount: number }): ReactElement {
  const { fileId, columns, rowCount } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [pages, setPages] = useState<ReadonlyMap<number, Row[]>>(new Map());
  const requested = useRef(new Set<number>());
  const [failed, setFailed] = useState<string | null>(null);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design.
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const firstPage = Math.floor((items[0]?.index ?? 0) / PAGE_ROWS);
  const lastPage = Math.floor((items.at(-1)?.index ?? 0) / PAGE_ROWS);

  useEffect(() => {
    for (let page = firstPage; page <= lastPage; page++) {
      if (requested.current.has(page)) continue;
      requested.current.add(page);
      call('getRows', { fileId, offset: page * PAGE_ROWS, limit: PAGE_ROWS })
        .then(({ rows }) => setPages((current) => new Map(current).set(page, rows)))
        .catch((error: unknown) => {
          requested.current.delete(page);
          setFailed(error instanceof Error ? error.message : 'Rows could not be loaded.');
        });
    }
  }, [fileId, firstPage, lastPage]);

  const width = NUMBER_WIDTH + columns.length * COLUMN_WIDTH;
  return (
    <div className="row-table">
      {failed ? (
        <p className="notice notice--error" role="alert">
          {failed}
        </p>
      ) : null}
      <div
        ref={scroller}
        className="row-table__scroller"
        role="grid"
        aria-label="Rows read from the file"
        aria-rowcount={rowCount + 1}
        aria-colcount={columns.length + 1}
        tabIndex={0}
      >
        <div className="row-table__header" role="row" aria-rowindex={1} style={{ width }}>
          <div className="row-table__number" role="columnheader">
            Row
          </div>
          {columns.map((column, index) => (
            <div
              key={index}
              className="row-table__cell"
              role="columnheader"
              title={
                column.original === column.name ? column.name : `${column.name} (in the file: “${column.original}”)`
              }
            >
              {column.name}
            </div>
          ))}
        </div>
        <div className="row-table__body" style={{ height: virtualizer.getTotalSize(), width }}>
          {items.map((item) => {
            const row = pages.get(Math.floor(item.index / PAGE_ROWS))?.[item.index % PAGE_ROWS];
            return (
              <div
                key={item.key}
                className={`row-table__row${item.index % 2 ? ' row-table__row--odd' : ''}`}
                role="row"
                aria-rowindex={item.index + 2}
                style={{ transform: `translateY(${item.start}px)`, width }}
              >
                <div className="row-table__number" role="rowheader">
                  {row?.rowNumber ?? ''}
                </div>
                {columns.map((_, index) => {
                  const text = row?.cells[index] ?? '';
                  return (
                    <div
                      key={index}
                      className="row-table__cell"
                      role="gridcell"
                      title={text.length > 30 ? text.slice(0, 2000) : undefined}
                    >
                      {text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
