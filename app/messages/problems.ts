/** A problem with a row, as the Preview shows it and the validator reports it: where, what, and how bad. */
export interface Problem {
  rowNumber: number;
  /** The spreadsheet column, when the problem is in one cell. */
  column: string | null;
  value: string | null;
  code: ProblemCode;
  /** Errors keep a row from being sent; warnings do not. */
  severity: 'error' | 'warning';
  /** Plain words, naming the row, the column and the value. */
  message: string;
}

export type ProblemCode =
  | 'unreadable-value'
  | 'missing-field'
  | 'excel-number'
  | 'excel-mangled'
  | 'misdecoded-text'
  | 'empty-trait-key'
  | 'long-text'
  | 'message-too-large'
  | 'conflicting-entity'
  | 'unknown-type';

export function describe(rowNumber: number, column: string | null, value: string | null, what: string): string {
  const where = column === null ? `Row ${rowNumber}` : `Row ${rowNumber}, column “${column}”`;
  if (value === null) return `${where}: ${what}.`;
  const shown = value.length > 60 ? `${value.slice(0, 57)}…` : value;
  return `${where}: “${shown}” ${what}.`;
}
