import { useState, type RefObject } from 'react';
import type { VirtualItem } from '@tanstack/react-virtual';
import type { GridCell } from './grid-keys.ts';

/** The cell that takes the focus when Tab comes to the grid, in the list (file and filter) it was moved to in. */
interface Cursor extends GridCell {
  list: string;
}

/**
 * The grid's one Tab stop: the cell last moved to, while its row is rendered, or else the first row in view (in the
 * column last moved to). Another list starts again from its first row and the Send box.
 */
export function useGridCursor(options: {
  list: string;
  scroller: RefObject<HTMLDivElement | null>;
  /** The rows rendered, and where the window of rows shown starts. */
  items: readonly VirtualItem[];
  windowStart: number;
}): {
  cursor: GridCell | null;
  /** The keyboard moved to this cell. */
  moveTo: (cell: GridCell) => void;
  /** A cell took the focus (a click, Tab): it is the cursor from now on. */
  focused: (cell: GridCell) => void;
  /** Gives the cell the focus, once its row is rendered (a few frames at most). */
  focusCell: (cell: GridCell) => void;
} {
  const { list, scroller, items, windowStart } = options;
  const [movedTo, setCursor] = useState<Cursor | null>(null);
  const rendered = (at: number) => items.some((item) => windowStart + item.index === at);
  const firstShown = items[0] ? windowStart + items[0].index : null;
  const cursor =
    movedTo !== null && movedTo.list === list && rendered(movedTo.at)
      ? movedTo
      : firstShown === null
        ? null
        : { at: firstShown, col: movedTo?.list === list ? movedTo.col : 0 };
  const focusCell = ({ at, col }: GridCell, tries = 8) => {
    const cell = scroller.current?.querySelector<HTMLElement>(`[aria-rowindex="${at + 2}"] [data-col="${col}"]`);
    if (cell) cell.focus();
    else if (tries > 0) requestAnimationFrame(() => focusCell({ at, col }, tries - 1));
  };
  return {
    cursor,
    moveTo: ({ at, col }) => setCursor({ list, at, col }),
    focused: ({ at, col }) => {
      if (movedTo?.list !== list || movedTo.at !== at || movedTo.col !== col) setCursor({ list, at, col });
    },
    focusCell: (cell) => focusCell(cell),
  };
}
