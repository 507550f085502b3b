import { describe, expect, it } from 'vitest';
import { gridMove } from '../../renderer/src/preview/grid-keys.ts';

const bounds = { first: 0, last: 99, columns: 5, page: 10 };
const move = (key: string, at: number, col: number, toEdge = false) => gridMove(key, { toEdge }, { at, col }, bounds);

describe("Preview's grid moves between cells as a spreadsheet does", () => {
  it('moves a cell with the arrows and a page with Page Up/Down, never past the rows and columns shown', () => {
    expect(move('ArrowDown', 3, 2)).toEqual({ at: 4, col: 2 });
    expect(move('ArrowRight', 3, 5)).toEqual({ at: 3, col: 5 });
    expect(move('ArrowLeft', 3, 0)).toEqual({ at: 3, col: 0 });
    expect(move('PageDown', 95, 1)).toEqual({ at: 99, col: 1 });
    expect(move('PageUp', 4, 1)).toEqual({ at: 0, col: 1 });
  });

  it('goes to the row’s ends with Home and End, and to the column’s with Ctrl or ⌘', () => {
    expect(move('Home', 7, 3)).toEqual({ at: 7, col: 0 });
    expect(move('End', 7, 3)).toEqual({ at: 7, col: 5 });
    expect(move('Home', 7, 3, true)).toEqual({ at: 0, col: 3 });
    expect(move('End', 7, 3, true)).toEqual({ at: 99, col: 3 });
  });

  it('leaves every other key to the page', () => {
    expect(move('Enter', 7, 3)).toBeNull();
    expect(move('a', 7, 3)).toBeNull();
  });
});
