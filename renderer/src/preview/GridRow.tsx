import type { KeyboardEvent, ReactElement } from 'react';
import { problemText, type Column, type PreviewRow, type Problem } from '../../../app/contract.ts';
import type { ColumnWindow } from '../components/useColumnWindow.ts';

const SHOWN_CHARS = 200;

/** The cell being edited. */
export interface Editing {
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

/** What a row of the grid does when the user acts on it. */
export interface RowActions {
  onFocusCell: (col: number) => void;
  onStartEdit: (column: number) => void;
  onDraft: (draft: string) => void;
  /** `next`: then go to the same column of the row below, as Enter does in a spreadsheet. */
  onCommit: (value: string | null, next?: boolean) => void;
  onCancel: () => void;
  onExclude: (excluded: boolean) => Promise<void>;
}

/** A cell of the grid as a stop for the keyboard: Tab reaches only `tabbableCol`; the arrow keys reach the rest. */
type Stop = (col: number) => { 'data-col': number; tabIndex: number; onFocus: () => void };

/**
 * One row of the grid: its Send box, its number, the cells in view (one of them, perhaps, being edited) with their
 * problems, and the row's problems in words at the right.
 */
export function GridRow(
  props: {
    row: PreviewRow;
    columns: readonly Column[];
    /** The columns rendered. */
    shown: ColumnWindow;
    editing: Editing | null;
    /** The cell of this row that Tab stops at, if any: all others are reached with the arrow keys. */
    tabbableCol: number | null;
  } & RowActions,
): ReactElement {
  const { row, columns, shown, editing, tabbableCol, onFocusCell, onExclude } = props;
  const stop: Stop = (col) => ({
    'data-col': col,
    tabIndex: tabbableCol === col ? 0 : -1,
    onFocus: () => onFocusCell(col),
  });
  const byColumn = new Map<string, Problem[]>();
  for (const problem of row.problems) {
    if (problem.column === null) continue;
    byColumn.set(problem.column, [...(byColumn.get(problem.column) ?? []), problem]);
  }
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
        const cell = { row, column, index, problems: byColumn.get(column.name) ?? [] };
        return [
          <ColumnSpacer key={`gap-${index}`} width={shown.gapBefore(position)} />,
          editing?.column === index ? (
            <EditedCell key={column.name} {...cell} editing={editing} actions={props} />
          ) : (
            <ValueCell key={column.name} {...cell} stop={stop} onStartEdit={props.onStartEdit} />
          ),
        ];
      })}
      <ColumnSpacer width={shown.after} />
      <RowProblems row={row} columns={columns} />
    </>
  );
}

interface CellProps {
  row: PreviewRow;
  column: Column;
  /** The column's place in the file. */
  index: number;
  problems: Problem[];
}

/** A cell as it will be sent, its problems' tone and words on it; a click edits it. */
function ValueCell(props: CellProps & { stop: Stop; onStartEdit: (column: number) => void }): ReactElement {
  const { row, column, index, problems, stop, onStartEdit } = props;
  const text = row.cells[index] ?? '';
  const original = row.edited[String(index)];
  const tone = problems.some((p) => p.severity === 'error')
    ? ' review-grid__cell--error'
    : problems.length > 0
      ? ' review-grid__cell--warning'
      : '';
  const notes = [
    ...problems.map((p) => p.message),
    ...(original !== undefined ? [`Edited. The file says “${original}”.`] : []),
  ];
  return (
    <div
      className={`review-grid__cell${tone}${original !== undefined ? ' review-grid__cell--edited' : ''}`}
      role="gridcell"
      data-column={column.name}
    >
      <button
        type="button"
        className="review-grid__value"
        title={notes.length > 0 ? notes.join('\n') : text.length > 24 ? text.slice(0, 2000) : undefined}
        aria-label={`Row ${row.rowNumber}, ${column.name}: ${text || 'empty'}${notes.length > 0 ? `. ${notes.join(' ')}` : ''}. Edit`}
        aria-disabled={row.excluded}
        onClick={() => {
          if (!row.excluded) onStartEdit(index);
        }}
        {...stop(index + 1)}
      >
        {text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text}
      </button>
    </div>
  );
}

/** The cell being edited: Enter saves and goes down, Escape gives up, Undo edit sends the file's value again. */
function EditedCell(props: CellProps & { editing: Editing; actions: RowActions }): ReactElement {
  const { row, column, index, editing } = props;
  const { onDraft, onCommit, onCancel } = props.actions;
  const original = row.edited[String(index)];
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') onCommit(event.currentTarget.value, true);
    else if (event.key === 'Escape') onCancel();
  };
  return (
    <div className="review-grid__cell review-grid__cell--editing" role="gridcell">
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
    </div>
  );
}

/** The row's problems in words, without the row number (it is in the Row column), or what the user changed. */
function RowProblems({ row, columns }: { row: PreviewRow; columns: readonly Column[] }): ReactElement {
  const severity = row.problems.some((p) => p.severity === 'error')
    ? 'error'
    : row.problems.length > 0
      ? 'warning'
      : null;
  return (
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
  );
}

/** A row without problems that the user corrected: which cells, so the change is seen beside the row. */
function editedNote(row: PreviewRow, columns: readonly Column[]): string {
  const names = Object.keys(row.edited).map((index) => columns[Number(index)]?.name ?? '');
  return names.length === 0 ? '' : `Edited: ${names.map((name) => `“${name}”`).join(', ')}.`;
}

/** Stands in for the columns out of view, so the row keeps its width and the cells in view their place. */
export function ColumnSpacer(props: { width: number }): ReactElement | null {
  return props.width > 0 ? (
    <div className="row-table__spacer" aria-hidden="true" style={{ width: props.width }} />
  ) : null;
}
