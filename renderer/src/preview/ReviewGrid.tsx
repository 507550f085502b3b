import type { KeyboardEvent, ReactElement } from 'react';
import type { Column, PreviewRow, RowFilter } from '../../../app/contract.ts';
import { call, messageOf } from '../api/client.ts';
import { RowWindowPicker, windowSize } from '../components/RowWindow.tsx';
import { useColumnWindow, type ColumnWindow } from '../components/useColumnWindow.ts';
import { usePagedRows } from '../components/usePagedRows.ts';
import { gridMove } from './grid-keys.ts';
import { ColumnSpacer, GridRow } from './GridRow.tsx';
import { useCellEditor } from './useCellEditor.ts';
import { useGridCursor } from './useGridCursor.ts';

const PAGE_ROWS = 100;
const ROW_HEIGHT = 36;
const SEND_WIDTH = 56;
const NUMBER_WIDTH = 64;
const COLUMN_WIDTH = 170;
const PROBLEMS_WIDTH = 320;

interface Props {
  fileId: string;
  columns: readonly Column[];
  filter: RowFilter;
  /** Only the rows this import failed to send, whatever the filter. */
  failedOf?: string | null;
  /** Changes when the rows may have changed (a new check): the grid fetches them again. */
  version: number;
  /** What to say when the filter shows no rows. */
  empty: string;
  onEdit: (rowNumber: number, column: number, value: string | null) => Promise<PreviewRow | null>;
  onExclude: (rowNumber: number, excluded: boolean) => Promise<boolean>;
}

/**
 * The rows of a checked file under a filter, however many: each cell as it will be sent, with its problems
 * highlighted (red for errors, amber for warnings), edited cells marked with the file's own value, and a Send box
 * per row. Clicking a cell edits it for this import only; the file is never changed. Rows are fetched from main a
 * page at a time as the user scrolls; only the rows in view are rendered.
 */
export function ReviewGrid(props: Props): ReactElement {
  const { fileId, columns, filter, version, empty, onEdit, onExclude } = props;
  const failedOf = props.failedOf ?? null;
  // The list shown (file and filter): an edit or a keyboard cell belongs to the list it was made in.
  const list = `${fileId}:${failedOf ? `failed-of:${failedOf}` : filter}`;
  const { scroller, items, totalSize, rowAt, total, windowStart, chooseWindow, failed, updatePages, scrollToIndex } =
    usePagedRows<PreviewRow>({
      fetchPage: (offset, limit) =>
        call('listPreviewRows', { fileId, filter, offset, limit, ...(failedOf ? { failedOf } : {}) }),
      describeError: messageOf,
      pageRows: PAGE_ROWS,
      rowHeight: ROW_HEIGHT,
      overscan: 10,
      // Other rows start again from the top; rows checked again (after a correction) are fetched anew where the
      // user is, and an open editor is left alone.
      listKey: list,
      refreshKey: version,
    });

  /** Puts a row main sent back (after an edit) in place of the one shown. */
  const replace = (row: PreviewRow) =>
    updatePages((current) => {
      const next = new Map(current);
      for (const [page, rows] of next) {
        const at = rows.findIndex((r) => r.rowNumber === row.rowNumber);
        if (at !== -1) next.set(page, rows.with(at, row));
      }
      return next;
    });
  const editor = useCellEditor({ list, columns, scroller, onEdit, replace });

  // The grid is one stop for Tab: the cell last moved to (or the first row in view) takes the focus, and the
  // arrow keys, Page Up/Down and Home/End move between cells, as in a spreadsheet. Column 0 is the Send box.
  const { cursor, moveTo, focused, focusCell } = useGridCursor({ list, scroller, items, windowStart });
  const lastAt = windowStart + windowSize(total ?? 0, windowStart) - 1;
  // Only the columns in view are rendered (a file can have 20,000), and the one holding the focus wherever it is.
  const shown = useColumnWindow({
    scroller,
    count: columns.length,
    columnWidth: COLUMN_WIDTH,
    leading: SEND_WIDTH + NUMBER_WIDTH,
    keep: cursor && cursor.col > 0 ? cursor.col - 1 : null,
  });
  const onGridKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!cursor || (event.target as HTMLElement).dataset.col === undefined) return; // the editor has its own keys
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 360) / ROW_HEIGHT) - 1);
    const bounds = { first: windowStart, last: lastAt, columns: columns.length, page };
    const to = gridMove(event.key, { toEdge: event.ctrlKey || event.metaKey }, cursor, bounds);
    if (!to) return;
    event.preventDefault();
    moveTo(to);
    scrollToIndex(to.at - windowStart);
    if (to.col > 0) shown.scrollToColumn(to.col - 1);
    focusCell(to);
  };

  const width = SEND_WIDTH + NUMBER_WIDTH + columns.length * COLUMN_WIDTH + PROBLEMS_WIDTH;
  const { editing } = editor;
  return (
    <div className="review-grid">
      {failed ? (
        <p className="notice notice--error" role="alert">
          {failed}
        </p>
      ) : null}
      <RowWindowPicker id="review-window" total={total ?? 0} start={windowStart} onChange={chooseWindow} />
      {total === 0 ? (
        <p className="review-grid__empty muted">{empty}</p>
      ) : (
        <div
          ref={scroller}
          className="review-grid__scroller"
          role="grid"
          aria-label="Rows to send"
          aria-busy={total === null && !failed}
          aria-rowcount={(total ?? 0) + 1}
          aria-colcount={columns.length + 3}
          aria-describedby="review-grid-keys"
          onKeyDown={onGridKey}
        >
          <p id="review-grid-keys" className="visually-hidden">
            Arrow keys move between cells; Enter edits a cell; Space ticks or clears a row’s Send box.
          </p>
          <GridHeader columns={columns} shown={shown} width={width} />
          <div className="review-grid__body" style={{ height: totalSize, width }}>
            {items.map((item) => {
              const at = windowStart + item.index;
              const row = rowAt(at);
              const editingRow = row !== undefined && editing?.rowNumber === row.rowNumber;
              return (
                <div
                  key={item.key}
                  className={`review-grid__row${row?.excluded ? ' review-grid__row--excluded' : ''}${
                    editingRow ? ' review-grid__row--editing' : ''
                  }`}
                  role="row"
                  aria-rowindex={at + 2}
                  data-row={row?.rowNumber}
                  style={{ transform: `translateY(${item.start}px)`, width }}
                >
                  {row ? (
                    <GridRow
                      row={row}
                      columns={columns}
                      shown={shown}
                      editing={editingRow ? editing : null}
                      tabbableCol={cursor?.at === at ? cursor.col : null}
                      onFocusCell={(col) => focused({ at, col })}
                      onStartEdit={(column) => editor.start(row, column, at)}
                      onDraft={editor.draft}
                      onCommit={(value, next) => void editor.commit(value, next)}
                      onCancel={editor.cancel}
                      onExclude={async (excluded) => {
                        // The box follows the click at once, and goes back if main could not record it.
                        replace({ ...row, excluded });
                        if (!(await onExclude(row.rowNumber, excluded))) replace(row);
                      }}
                    />
                  ) : null}
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}

/** The grid's column headers: Send, Row, the file's columns in view, and Problems. */
function GridHeader(props: { columns: readonly Column[]; shown: ColumnWindow; width: number }): ReactElement {
  const { columns, shown, width } = props;
  return (
    <div className="review-grid__header" role="row" aria-rowindex={1} style={{ width }}>
      <div className="review-grid__send" role="columnheader">
        Send
      </div>
      <div className="review-grid__number" role="columnheader">
        Row
      </div>
      {shown.indices.map((index, position) => {
        const name = columns[index]?.name ?? '';
        return [
          <ColumnSpacer key={`gap-${index}`} width={shown.gapBefore(position)} />,
          <div key={name} className="review-grid__cell" role="columnheader" title={name}>
            {name}
          </div>,
        ];
      })}
      <ColumnSpacer width={shown.after} />
      <div className="review-grid__problems" role="columnheader">
        Problems
      </div>
    </div>
  );
}
