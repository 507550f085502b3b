import { useRef, useState, type RefObject } from 'react';
import type { Column, PreviewRow } from '../../../app/contract.ts';
import type { Editing } from './GridRow.tsx';

/**
 * The cell being edited in Preview's grid, in the list (file and filter) it was opened in — another list shows
 * none — and what ending the edit does: nothing when the value is unchanged, otherwise the edit recorded and the
 * row main sends back put in place (`replace`); with `next`, the cell below then takes the focus.
 */
export function useCellEditor(options: {
  list: string;
  columns: readonly Column[];
  scroller: RefObject<HTMLDivElement | null>;
  onEdit: (rowNumber: number, column: number, value: string | null) => Promise<PreviewRow | null>;
  replace: (row: PreviewRow) => void;
}): {
  editing: Editing | null;
  start: (row: PreviewRow, column: number, at: number) => void;
  draft: (draft: string) => void;
  commit: (value: string | null, next?: boolean) => Promise<void>;
  cancel: () => void;
} {
  const { list, columns, scroller, onEdit, replace } = options;
  const [opened, setEditing] = useState<Editing | null>(null);
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
  return {
    editing: opened?.list === list ? opened : null,
    start: (row, column, at) => {
      const text = row.cells[column] ?? '';
      open.current = { list, rowNumber: row.rowNumber, column, draft: text, original: text, index: at };
      setEditing(open.current);
    },
    draft: (draft) => setEditing((current) => (current ? { ...current, draft } : current)),
    commit,
    cancel: () => {
      open.current = null;
      setEditing(null);
    },
  };
}
