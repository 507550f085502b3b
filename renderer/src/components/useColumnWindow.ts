import { defaultRangeExtractor, useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, type RefObject } from 'react';

export interface ColumnWindow {
  /** The indices of the columns rendered — those in view, a few either side, and any kept — in order. */
  indices: number[];
  /** The width, in pixels, of the columns left out just before `indices[position]` (a spacer stands in for them). */
  gapBefore: (position: number) => number;
  /** The width of the columns right of the last one rendered. */
  after: number;
  /** Scrolls sideways until this column is in view (keyboard moves). */
  scrollToColumn: (index: number) => void;
}

/**
 * The columns of a wide table that are rendered, as the user scrolls sideways: a file of 20,000 columns renders a
 * few dozen cells per row, not 20,000. Every column has the same width; `leading` is the width of what comes
 * before the first one (columns kept in view at the left). `keep` names columns rendered wherever the view is
 * (the one holding the keyboard's focus).
 */
export function useColumnWindow(options: {
  scroller: RefObject<HTMLDivElement | null>;
  count: number;
  columnWidth: number;
  leading: number;
  overscan?: number;
  keep?: number | null;
}): ColumnWindow {
  const { count, columnWidth, leading } = options;
  const keep = options.keep ?? null;
  const rangeExtractor = useCallback(
    (range: Parameters<typeof defaultRangeExtractor>[0]) => {
      const indices = defaultRangeExtractor(range);
      if (keep === null || keep < 0 || keep >= count || indices.includes(keep)) return indices;
      return [...indices, keep].sort((a, b) => a - b);
    },
    [keep, count],
  );
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design.
  const virtualizer = useVirtualizer({
    horizontal: true,
    count,
    getScrollElement: () => options.scroller.current,
    estimateSize: () => columnWidth,
    paddingStart: leading,
    overscan: options.overscan ?? 4,
    rangeExtractor,
    // Before the first measure (and in a page without layout), a screen's width of columns.
    initialRect: { width: 1600, height: 600 },
  });
  const indices = virtualizer.getVirtualItems().map((item) => item.index);
  const last = indices.at(-1);
  return {
    indices,
    gapBefore: (position) => {
      const index = indices[position] ?? 0;
      const previous = position === 0 ? -1 : (indices[position - 1] ?? -1);
      return (index - previous - 1) * columnWidth;
    },
    after: last === undefined ? 0 : (count - 1 - last) * columnWidth,
    scrollToColumn: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
  };
}
