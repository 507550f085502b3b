import { useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { problemText, type Column, type PreviewRow, type Problem, type RowFilter } from '../../../app/contract.ts';
import { call, messageOf } from '../api/client.ts';
import { RowWindowPicker, windowSize } from '../components/RowWindow.tsx';
import { useColumnWindow, type ColumnWindow } from '../components/useColumnWindow.ts';
import { usePagedRows } from '../components/usePagedRows.ts';

const PAGE_ROWS = 100;
const ROW_HEIGHT = 36;
const SEND_WIDTH = 56;
const NUMBER_WIDTH = 64;
const COLUMN_WIDTH = 170;
const PROBLEMS_WIDTH = 320;
const SHOWN_CHARS = 200;

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

/** The cell that takes the focus when Tab comes to the grid. */
interface Cursor {
  list: string;
  /** The row's place in the list shown. */
  at: number;
  /** 0 for the Send box, then 1 for the first column. */
  col: number;
}

interface Editing {
  rowNumber: number;
  column: number;
  draft: string;
  /** What the cell showed when editing began. */
  original: string;
  /** The list (file and filter) it was opened in. */
  list: string;
  /** The row's place in the list shown. */
  index: number;
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
  // The cell being edited, in the list it was opened in: another list (file or filter) shows none.
  const list = `${fileId}:${failedOf ? `failed-of:${failedOf}` : filter}`;
  const [opened, setEditing] = useState<Editing | null>(null);
  const editing = opened?.list === list ? opened : null;
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

  // The cell being edited, as the handlers see it at once (Enter, then the blur of the closing input, are one edit).
  const open = useRef<Editing | null>(null);
  const commit = async (value: string | null, next = false) => {
    const edit = open.current;
    if (!edit) return;
    open.current = null;
    setEditing(null);
    if (next) {
      // The row below is rendered (rows around the view are); once the editor is gone, its cell takes the focus.
      const column = columns[edit.column]?.name ?? '';
      requestAnimationFrame(() =>
        scroller.current
          ?.querySelector<HTMLButtonElement>(
            `[aria-rowindex="${edit.index + 3}"] [data-column="${CSS.escape(column)}"] button`,
          )
          ?.focus(),
      );
    }
    // Nothing changed: nothing to record, and no check to run again.
    if (value !== null && value === edit.original) return;
    const row = await onEdit(edit.rowNumber, edit.column, value);
    if (row) replace(row);
  };

  // The grid is one stop for Tab: the cell last moved to (or the first row in view) takes the focus, and the
  // arrow keys, Page Up/Down and Home/End move between cells, as in a spreadsheet. Column 0 is the Send box.
  const [movedTo, setCursor] = useState<Cursor | null>(null);
  const rendered = (at: number) => items.some((item) => windowStart + item.index === at);
  const firstShown = items[0] ? windowStart + items[0].index : null;
  const cursor =
    movedTo !== null && movedTo.list === list && rendered(movedTo.at)
      ? movedTo
      : firstShown === null
        ? null
        : { list, at: firstShown, col: movedTo?.list === list ? movedTo.col : 0 };
  const lastAt = windowStart + windowSize(total ?? 0, windowStart) - 1;
  // Only the columns in view are rendered (a file can have 20,000), and the one holding the focus wherever it is.
  const shown = useColumnWindow({
    scroller,
    count: columns.length,
    columnWidth: COLUMN_WIDTH,
    leading: SEND_WIDTH + NUMBER_WIDTH,
    keep: cursor && cursor.col > 0 ? cursor.col - 1 : null,
  });
  const focusCell = (at: number, col: number, tries = 8) => {
    const cell = scroller.current?.querySelector<HTMLElement>(`[aria-rowindex="${at + 2}"] [data-col="${col}"]`);
    if (cell) cell.focus();
    else if (tries > 0) requestAnimationFrame(() => focusCell(at, col, tries - 1));
  };
  const onGridKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!cursor || (event.target as HTMLElement).dataset.col === undefined) return; // the editor has its own keys
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 360) / ROW_HEIGHT) - 1);
    const moves: Record<string, [number, number] | undefined> = {
      ArrowDown: [cursor.at + 1, cursor.col],
      ArrowUp: [cursor.at - 1, cursor.col],
      ArrowRight: [cursor.at, cursor.col + 1],
      ArrowLeft: [cursor.at, cursor.col - 1],
      PageDown: [cursor.at + page, cursor.col],
      PageUp: [cursor.at - page, cursor.col],
      Home: event.ctrlKey || event.metaKey ? [windowStart, cursor.col] : [cursor.at, 0],
      End: event.ctrlKey || event.metaKey ? [lastAt, cursor.col] : [cursor.at, columns.length],
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const at = Math.min(Math.max(move[0], windowStart), lastAt);
    const col = Math.min(Math.max(move[1], 0), columns.length);
    setCursor({ list, at, col });
    scrollToIndex(at - windowStart);
    if (col > 0) shown.scrollToColumn(col - 1);
    focusCell(at, col);
  };

  const width = SEND_WIDTH + NUMBER_WIDTH + columns.length * COLUMN_WIDTH + PROBLEMS_WIDTH;
  const loading = total === null && !failed;
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
          aria-busy={loading}
          aria-rowcount={(total ?? 0) + 1}
          aria-colcount={columns.length + 3}
          aria-describedby="review-grid-keys"
          onKeyDown={onGridKey}
        >
          <p id="review-grid-keys" className="visually-hidden">
            Arrow keys move between cells; Enter edits a cell; Space ticks or clears a row’s Send box.
          </p>
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
          <div className="review-grid__body" style={{ height: totalSize, width }}>
            {items.map((item) => {
              const at = windowStart + item.index;
              const row = rowAt(at);
              return (
                <div
                  key={item.key}
                  className={`review-grid__row${row?.excluded ? ' review-grid__row--excluded' : ''}${
                    row && editing?.rowNumber === row.rowNumber ? ' review-grid__row--editing' : ''
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
                      editing={editing?.rowNumber === row.rowNumber ? editing : null}
                      tabbableCol={cursor?.at === at ? cursor.col : null}
                      onFocusCell={(col) => {
                        if (movedTo?.list !== list || movedTo.at !== at || movedTo.col !== col)
                          setCursor({ list, at, col });
                      }}
                      onStartEdit={(column) => {
                        open.current = {
                          list,
                          rowNumber: row.rowNumber,
                          column,
                          draft: row.cells[column] ?? '',
                          original: row.cells[column] ?? '',
                          index: at,
                        };
                        setEditing(open.current);
                      }}
                      onDraft={(draft) => setEditing((current) => (current ? { ...current, draft } : current))}
                      onCommit={(value, next) => void commit(value, next)}
                      onCancel={() => {
                        open.current = null;
                        setEditing(null);
                      }}
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

function GridRow(props: {
  row: PreviewRow;
  columns: readonly Column[];
  /** The columns rendered. */
  shown: ColumnWindow;
  editing: Editing | null;
  /** The cell of this row that Tab stops at, if any: all others are reached with the arrow keys. */
  tabbableCol: number | null;
  onFocusCell: (col: number) => void;
  onStartEdit: (column: number) => void;
  onDraft: (draft: string) => void;
  /** `next`: then go to the same column of the row below, as Enter does in a spreadsheet. */
  onCommit: (value: string | null, next?: boolean) => void;
  onCancel: () => void;
  onExclude: (excluded: boolean) => Promise<void>;
}): ReactElement {
  const { row, columns, shown, editing, tabbableCol, onFocusCell, onStartEdit, onDraft, onCommit, onCancel } = props;
  const { onExclude } = props;
  const stop = (col: number) => ({
    'data-col': col,
    tabIndex: tabbableCol === col ? 0 : -1,
    onFocus: () => onFocusCell(col),
  });
  const byColumn = new Map<string, Problem[]>();
  for (const problem of row.problems) {
    if (problem.column === null) continue;
    byColumn.set(problem.column, [...(byColumn.get(problem.column) ?? []), problem]);
  }
  const severity = row.problems.some((p) => p.severity === 'error')
    ? 'error'
    : row.problems.length > 0
      ? 'warning'
      : null;
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') onCommit(event.currentTarget.value, true);
    else if (event.key === 'Escape') onCancel();
  };
  return (
    <>
      <div className="review-grid__send" role="gridcell">
        <input
          type="checkbox"
          checked={!row.excluded}
          aria-label={`Send row ${row.rowNumber}`}
          onChange={(event) => void onExclude(!event.currentTarget.checked)}
          {...stop(0)}
        />
      </div>
      <div className="review-grid__number" role="rowheader">
        {row.rowNumber}
      </div>
      {shown.indices.map((index, position) => {
        const column = columns[index];
        if (!column) return null;
        const gap = <ColumnSpacer key={`gap-${index}`} width={shown.gapBefore(position)} />;
        const text = row.cells[index] ?? '';
        const problems = byColumn.get(column.name) ?? [];
        const original = row.edited[String(index)];
        const tone = problems.some((p) => p.severity === 'error')
          ? ' review-grid__cell--error'
          : problems.length > 0
            ? ' review-grid__cell--warning'
            : '';
        const label = `Row ${row.rowNumber}, ${column.name}`;
        if (editing?.column === index) {
          return [
            gap,
            <div key={column.name} className="review-grid__cell review-grid__cell--editing" role="gridcell">
              <input
                autoFocus
                className="review-grid__input"
                aria-label={`New value for row ${row.rowNumber}, ${column.name}`}
                value={editing.draft}
                onChange={(event) => onDraft(event.currentTarget.value)}
                onKeyDown={onKey}
                onBlur={(event) => onCommit(event.currentTarget.value)}
              />
              {original !== undefined ? (
                <button
                  type="button"
                  className="review-grid__undo"
                  title={`Send the file’s value, “${original}”`}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => onCommit(null)}
                >
                  Undo edit
                </button>
              ) : null}
            </div>,
          ];
        }
        const notes = [
          ...problems.map((p) => p.message),
          ...(original !== undefined ? [`Edited. The file says “${original}”.`] : []),
        ];
        return [
          gap,
          <div
            key={column.name}
            className={`review-grid__cell${tone}${original !== undefined ? ' review-grid__cell--edited' : ''}`}
            role="gridcell"
            data-column={column.name}
          >
            <button
              type="button"
              className="review-grid__value"
              title={notes.length > 0 ? notes.join('\n') : text.length > 24 ? text.slice(0, 2000) : undefined}
              aria-label={`${label}: ${text || 'empty'}${notes.length > 0 ? `. ${notes.join(' ')}` : ''}. Edit`}
              aria-disabled={row.excluded}
              onClick={() => {
                if (!row.excluded) onStartEdit(index);
              }}
              {...stop(index + 1)}
            >
              {text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text}
            </button>
          </div>,
        ];
      })}
      <ColumnSpacer width={shown.after} />
      <div
        className={`review-grid__problems${severity ? ` review-grid__problems--${severity}` : ''}`}
        role="gridcell"
        title={row.problems.map((p) => p.message).join('\n') || undefined}
      >
        {row.excluded
          ? 'Left out of this import.'
          : row.problems.length > 0
            ? row.problems.map((p) => problemText(p, { withRow: false })).join(' · ')
            : editedNote(row, columns)}
      </div>
    </>
  );
}

/** A row without problems that the user corrected: which cells, so the change is seen beside the row. */
function editedNote(row: PreviewRow, columns: readonly Column[]): string {
  const names = Object.keys(row.edited).map((index) => columns[Number(index)]?.name ?? '');
  return names.length === 0 ? '' : `Edited: ${names.map((name) => `“${name}”`).join(', ')}.`;
}

/** Stands in for the columns out of view, so the row keeps its width and the cells in view their place. */
function ColumnSpacer(props: { width: number }): ReactElement | null {
  return props.width > 0 ? (
    <div className="row-table__spacer" aria-hidden="true" style={{ width: props.width }} />
  ) : null;
}
