import { useVirtualizer, type VirtualItem } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { windowSize } from './RowWindow.tsx';

export interface PagedRows<T> {
  /** The scrolling element: give it to the list's scroller. */
  scroller: RefObject<HTMLDivElement | null>;
  /** The rows in view (and a few around), by their place in the window shown. */
  items: VirtualItem[];
  /** The height of the window's rows, in pixels. */
  totalSize: number;
  /** The row at a place in the whole list (the window's start included), once its page has arrived. */
  rowAt: (at: number) => T | undefined;
  /** How many rows the list has, or null until the first page says. */
  total: number | null;
  /** Where the window shown starts (see RowWindow). */
  windowStart: number;
  chooseWindow: (start: number) => void;
  failed: string | null;
  /** Changes rows already fetched, such as a row main sent back after an edit. */
  updatePages: (change: (pages: ReadonlyMap<number, T[]>) => ReadonlyMap<number, T[]>) => void;
  /** Scrolls until the row at this place in the window is in view (keyboard moves). */
  scrollToIndex: (index: number) => void;
}

/**
 * A list of any length fetched from main a page at a time as the user scrolls, with only the rows in view
 * rendered (react-virtual), shown a window of rows at a time when it is longer than a browser can scroll.
 */
export function usePagedRows<T>(options: {
  fetchPage: (offset: number, limit: number) => Promise<{ rows: T[]; total?: number }>;
  describeError: (error: unknown) => string;
  /** The list's length when it is known before any page; otherwise the pages say. */
  count?: number;
  pageRows: number;
  rowHeight: number;
  overscan: number;
  /** Another list: its pages are dropped and it starts from the top. */
  listKey: string;
  /** The rows changed in place: those in view are fetched again, where the user is. */
  refreshKey?: number;
}): PagedRows<T> {
  const { pageRows, listKey, refreshKey } = options;
  const scroller = useRef<HTMLDivElement>(null);
  const [pages, setPages] = useState<ReadonlyMap<number, T[]>>(new Map());
  const [fetchedTotal, setFetchedTotal] = useState<number | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [windowStart, setWindowStart] = useState(0);
  const requested = useRef(new Set<number>());
  const latest = useRef(options);
  latest.current = options;
  const total = options.count ?? fetchedTotal;

  useEffect(() => {
    requested.current = new Set();
    setPages(new Map());
    setFetchedTotal(null);
    setWindowStart(0);
    scroller.current?.scrollTo({ top: 0 });
  }, [listKey]);
  useEffect(() => {
    requested.current = new Set();
  }, [refreshKey]);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design.
  const virtualizer = useVirtualizer({
    count: windowSize(total ?? 0, windowStart),
    getScrollElement: () => scroller.current,
    estimateSize: () => options.rowHeight,
    overscan: options.overscan,
  });
  const items = virtualizer.getVirtualItems();
  const firstPage = Math.floor((windowStart + (items[0]?.index ?? 0)) / pageRows);
  const lastPage = Math.floor((windowStart + (items.at(-1)?.index ?? 0)) / pageRows);

  useEffect(() => {
    for (let page = firstPage; page <= lastPage; page++) {
      if (requested.current.has(page)) continue;
      const asked = requested.current;
      asked.add(page);
      latest.current
        .fetchPage(page * pageRows, pageRows)
        .then((answer) => {
          if (requested.current !== asked) return;
          if (answer.total !== undefined) setFetchedTotal(answer.total);
          setPages((current) => new Map(current).set(page, answer.rows));
        })
        .catch((error: unknown) => {
          asked.delete(page);
          setFailed(latest.current.describeError(error));
        });
    }
  }, [listKey, refreshKey, firstPage, lastPage, total, pageRows]);

  return {
    scroller,
    items,
    totalSize: virtualizer.getTotalSize(),
    rowAt: (at) => pages.get(Math.floor(at / pageRows))?.[at % pageRows],
    total,
    windowStart,
    chooseWindow: (start) => {
      setWindowStart(start);
      scroller.current?.scrollTo({ top: 0 });
    },
    failed,
    updatePages: setPages,
    scrollToIndex: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
  };
}
