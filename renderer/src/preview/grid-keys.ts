/** Where a key moves the keyboard's cell in Preview's grid, as in a spreadsheet. */

/** A cell of the grid: `at` is the row's place in the list shown; `col` 0 is the Send box, then 1 for each column. */
export interface GridCell {
  at: number;
  col: number;
}

export interface GridBounds {
  /** The first and last rows of the window of rows shown. */
  first: number;
  last: number;
  /** The file's columns (the last cell is `col: columns`). */
  columns: number;
  /** Rows a page holds: Page Up and Page Down move this far. */
  page: number;
}

/**
 * The cell a key moves to from `from`, kept within the rows and columns shown; null for a key that moves nothing.
 * Arrows move one cell, Page Up/Down a page, Home/End to the row's first or last cell (with Ctrl or ⌘: the same
 * column's first or last row).
 */
export function gridMove(
  key: string,
  { toEdge }: { toEdge: boolean },
  from: GridCell,
  bounds: GridBounds,
): GridCell | null {
  const { at, col } = from;
  const moves: Record<string, [number, number] | undefined> = {
    ArrowDown: [at + 1, col],
    ArrowUp: [at - 1, col],
    ArrowRight: [at, col + 1],
    ArrowLeft: [at, col - 1],
    PageDown: [at + bounds.page, col],
    PageUp: [at - bounds.page, col],
    Home: toEdge ? [bounds.first, col] : [at, 0],
    End: toEdge ? [bounds.last, col] : [at, bounds.columns],
  };
  const move = moves[key];
  if (!move) return null;
  return {
    at: Math.min(Math.max(move[0], bounds.first), bounds.last),
    col: Math.min(Math.max(move[1], 0), bounds.columns),
  };
}
