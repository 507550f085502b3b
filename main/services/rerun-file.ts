import { ERROR_COLUMN, ERROR_COLUMN_ALT, ROW_COLUMN, ROW_COLUMN_ALT } from '../../app/export/run-export.ts';
import { NEUTRALISED, restoreCell } from '../../app/export/csv.ts';
import type { Database } from '../../app/journal/database.ts';
import { RunRecords } from '../../app/journal/runs.ts';
import { storeRunTimestamp } from '../../app/journal/previews.ts';
import { withColumnRenamed } from '../../app/map/integrity.ts';
import { Mapping } from '../../app/map/mapping.ts';
import { editCell } from '../../app/messages/corrections.ts';
import { readRowPage } from '../../app/read/row-store.ts';
import { ServiceError } from '../api/errors.ts';
import type { FilesService } from './files.ts';
import { FileMappingsStore } from './store/file-mappings.ts';

/**
 * A corrected file loaded to re-run an import's failed rows: it takes that import's mapping when it has every
 * column the mapping uses, and a CSV export's neutralising apostrophe (`'=…`) is taken back from each cell as an
 * edit the user sees in Preview.
 */
export function adoptRerunFile(
  options: { db: Database; files: FilesService },
  runId: string,
  fileId: string,
): { mapped: boolean; restoredCells: number; message: string } {
  const { db, files } = options;
  const run = new RunRecords(db).setup(runId);
  if (!run) throw new ServiceError('NOT_FOUND', 'That import is no longer in the app.');
  const file = files.get(fileId);
  if (!file.result) throw new ServiceError('FAILED_PRECONDITION', `“${file.name}” has not been read yet.`);
  keepRunTimestamp(db, run.options.runTimestamp, fileId);
  const columns = file.result.columns.map((c) => c.name);
  const parsed = Mapping.safeParse(run.mapping);
  let mapping = parsed.success ? parsed.data : null;
  // A column whose name the export neutralised (`'=Total`) is the mapping's column of that name.
  for (const column of columns) {
    const original = restoreCell(column);
    if (mapping && original !== column && !columns.includes(original)) {
      mapping = withColumnRenamed(mapping, original, column);
    }
  }
  const used = mapping ? usedColumns(mapping) : [];
  const missing = used.filter((c) => !columns.includes(c));
  let mapped = false;
  if (mapping && missing.length === 0) {
    new FileMappingsStore(db).set(fileId, mapping);
    mapped = true;
  }
  // The apostrophe the CSV export put before cells Excel would run as formulas.
  let restoredCells = 0;
  const rowColumns = new Set([ROW_COLUMN, ROW_COLUMN_ALT, ERROR_COLUMN, ERROR_COLUMN_ALT]);
  const count = file.result.rowCount;
  for (let offset = 0; offset < count; offset += 1000) {
    for (const [rowNumber, ...cells] of readRowPage(db, fileId, offset, 1000)) {
      cells.forEach((cell, column) => {
        if (rowColumns.has(columns[column] ?? '') || !NEUTRALISED.test(cell)) return;
        editCell(db, fileId, rowNumber, column, restoreCell(cell), columns.length);
        restoredCells++;
      });
    }
  }
  const restored =
    restoredCells > 0
      ? ` ${restoredCells} ${restoredCells === 1 ? 'cell' : 'cells'} had the apostrophe the export puts before ` +
        'formula-like values; it is taken back (shown as edits in Preview).'
      : '';
  const message = mapped
    ? `“${file.name}” uses the mapping of “${run.fileName}”.${restored}`
    : `“${file.name}” lacks ${missing.map((c) => `“${c}”`).join(', ')}, which the mapping of “${run.fileName}” ` +
      `uses: map its columns in Map.${restored}`;
  return { mapped, restoredCells, message };
}

/**
 * A corrected file takes the default timestamp (decision 6) of the import it corrects, so a row left as it was
 * is the very message sent before, messageId included: an unconfirmed message sent again is one Vitally keeps
 * once, and an event is not re-stamped. Not for a file that has been sent already, whose ids are on record.
 */
function keepRunTimestamp(db: Database, runTimestamp: string | null, fileId: string): void {
  if (runTimestamp === null || Number.isNaN(Date.parse(runTimestamp))) return;
  if (new RunRecords(db).anyOfFile(fileId)) return;
  // A check made under another timestamp is made again (its batches would carry other ids).
  storeRunTimestamp(db, fileId, { createdAt: new Date().toISOString(), runTimestamp, replace: true });
}

/** The columns a mapping reads. */
function usedColumns(mapping: Mapping): string[] {
  const columns = new Set<string>();
  for (const message of mapping.messages) {
    for (const source of Object.values(message.fields)) if (source && 'column' in source) columns.add(source.column);
    for (const trait of message.traits) columns.add(trait.column);
  }
  if (mapping.typeColumn) columns.add(mapping.typeColumn);
  return [...columns];
}
