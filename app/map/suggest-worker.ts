/**
 * Map's suggestion for a file, worked out while the file is still being read (a `worker_threads` thread): main
 * starts one when a read's first rows are in and keeps the answer for the Map step (`main/services/mapping.ts`),
 * so the window's thread does not work it out when the user opens Map, beside a check that keeps both cores busy.
 */
import { thisThread } from '../threads/threads.ts';
import { mapSuggestion, valuesByColumn, type MapSuggestion } from './suggest.ts';

export interface SuggestWorkerInput {
  columns: string[];
  rows: string[][];
}

const thread = thisThread<SuggestWorkerInput, MapSuggestion>();
try {
  const { columns, rows } = thread.input;
  thread.post(mapSuggestion(columns, valuesByColumn(columns, rows)));
} finally {
  thread.close();
}
