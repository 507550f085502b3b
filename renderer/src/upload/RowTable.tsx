import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { useMemo, type ReactElement } from 'react';
import type { Column, Row } from '../../../app/contract.ts';
import { call } from '../api/client.ts';
import { RowWindowPicker } from '../components/RowWindow.tsx';
import { useColumnWindow } from '../components/useColumnWindow.ts';
import { usePagedRows } from '../components/usePagedRows.ts';

/** Rows fetched at a time: 200, fewer for a very wide file, so that a page stays near 200,000 cells. */
const PAGE_CELLS = 200_000;
const PAGE_ROWS = 200;
const ROW_HEIGHT = 34;
const NUMBER_WIDTH = 76;
const COLUMN_WIDTH = 180;
/** Characters of a cell shown in the table; the rest is in its tooltip (up to a limit) and in the data. */
const SHOWN_CHARS = 300;

/** A row in view: its cells once its page has arrived from main, or a blank placeholder until then. */
interface GridRow {
  rowNumber: number | null;
  cells: readonly string[];
}

const features = tableFeatures({});
const columnHelper = createColumnHelper<typeof features, GridRow>();

/**
 * Every row of the file, however many: only the rows in view are rendered, and they are fetched from main a page
 * at a time as the user scrolls. The first column is the row number in the spreadsheet. TanStack Table holds the
 * column model (built from the file's columns) over just the rows in view; react-virtual decides which those are.
 */
export function RowTable(props: { fileId: string; columns: Column[]; rowCount: number }): ReactElement {
  const { fileId, columns, rowCount } = props;
  const pageRows = Math.max(10, Math.min(PAGE_ROWS, Math.floor(PAGE_CELLS / Math.max(1, columns.length))));
  const { scroller, items, totalSize, rowAt, windowStart, chooseWindow, failed } = usePagedRows<Row>({
    fetchPage: (offset, limit) => call('getRows', { fileId, offset, limit }),
    describeError: (error) => (error instanceof Error ? error.message : 'Rows could not be loaded.'),
    count: rowCount,
    pageRows,
    rowHeight: ROW_HEIGHT,
    overscan: 12,
    listKey: fileId,
  });

  // Only the columns in view are rendered (and given to the table model): a file can have 20,000 of them.
  const shown = useColumnWindow({
    scroller,
    count: columns.length,
    columnWidth: COLUMN_WIDTH,
    leading: NUMBER_WIDTH,
  });
  const shownKey = shown.indices.join(',');
  const tableColumns = useMemo(
    () =>
      columnHelper.columns([
        columnHelper.accessor((row) => (row.rowNumber === null ? '' : String(row.rowNumber)), {
          id: 'row',
          header: 'Row',
        }),
        ...shownKey
          .split(',')
          .filter((key) => key !== '')
          .map(Number)
          .map((index) =>
            columnHelper.accessor((row) => row.cells[index] ?? '', {
              id: `column-${index}`,
              header: columns[index]?.name ?? '',
            }),
          ),
      ]),
    [columns, shownKey],
  );
  const visibleRows = items.map((item): GridRow => {
    return rowAt(windowStart + item.index) ?? { rowNumber: null, cells: [] };
  });
  const table = useTable({ features, columns: tableColumns, data: visibleRows });
  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const rows = table.getRowModel().rows;

  const width = NUMBER_WIDTH + columns.length * COLUMN_WIDTH;
  return (
    <div className="row-table">
      {failed ? (
        <p className="notice notice--error" role="alert">
          {failed}
        </p>
      ) : null}
      <RowWindowPicker id="row-table-window" total={rowCount} start={windowStart} onChange={chooseWindow} />
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
          {headers.map((header, index) => {
            const name = String(header.column.columnDef.header ?? '');
            const column = index === 0 ? 0 : (shown.indices[index - 1] ?? 0) + 1;
            const original = index === 0 ? undefined : columns[column - 1]?.original;
            const cell = (
              <div
                key={header.id}
                className={index === 0 ? 'row-table__number' : 'row-table__cell'}
                role="columnheader"
                aria-colindex={column + 1}
                title={original === undefined || original === name ? name : `${name} (in the file: “${original}”)`}
              >
                {name}
              </div>
            );
            return index === 0
              ? cell
              : [<ColumnSpacer key={`gap-${column}`} width={shown.gapBefore(index - 1)} />, cell];
          })}
          <ColumnSpacer width={shown.after} />
        </div>
        <div className="row-table__body" style={{ height: totalSize, width }}>
          {rows.map((row, position) => {
            const item = items[position];
            if (!item) return null;
            return (
              <div
                key={item.key}
                className={`row-table__row${item.index % 2 ? ' row-table__row--odd' : ''}`}
                role="row"
                aria-rowindex={windowStart + item.index + 2}
                style={{ transform: `translateY(${item.start}px)`, width }}
              >
                {row.getAllCells().map((cell, index) => {
                  const value = cell.getValue();
                  const text = typeof value === 'string' ? value : '';
                  return index === 0 ? (
                    <div key={cell.id} className="row-table__number" role="rowheader" aria-colindex={1}>
                      {text}
                    </div>
                  ) : (
                    [
                      <ColumnSpacer key={`gap-${cell.id}`} width={shown.gapBefore(index - 1)} />,
                      <div
                        key={cell.id}
                        className="row-table__cell"
                        role="gridcell"
                        aria-colindex={(shown.indices[index - 1] ?? 0) + 2}
                        title={text.length > 30 ? text.slice(0, 2000) : undefined}
                      >
                        {text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text}
                      </div>,
                    ]
                  );
                })}
                <ColumnSpacer width={shown.after} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** Stands in for the columns out of view, so the row keeps its width and the cells in view their place. */
function ColumnSpacer(props: { width: number }): ReactElement | null {
  return props.width > 0 ? (
    <div className="row-table__spacer" aria-hidden="true" style={{ width: props.width }} />
  ) : null;
}
