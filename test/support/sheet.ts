/** A small CSV (no quoted cells) as its columns, its rows and each column's values. */
export function sheet(text: string): { columns: string[]; rows: string[][]; values: Map<string, string[]> } {
  const [header = '', ...lines] = text.trim().split(/\r?\n/);
  const columns = header.split(',');
  const rows = lines.map((line) => line.split(','));
  return { columns, rows, values: new Map(columns.map((column, i) => [column, rows.map((row) => row[i] ?? '')])) };
}
