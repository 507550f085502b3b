/**
 * Writes a one-sheet .xlsx: every cell an inline string, so Excel shows each value exactly as it is (an ID with
 * leading zeros stays one) and runs nothing as a formula — a text cell is never a formula, whatever it begins
 * with. The header row is bold and frozen. The app's own reader (`app/read/xlsx.ts`) reads it back unchanged.
 */
import { zip } from './zip.ts';

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** Excel's limit on the text of one cell. */
export const MAX_XLSX_CELL = 32_767;
/** Excel's limit on a sheet's rows, the header row included. */
export const MAX_XLSX_ROWS = 1_048_576;

/**
 * What Excel could not keep of a table, in plain words, or null: a cell longer than a cell holds (Excel cuts it
 * when it repairs the file) or more rows than a sheet holds. `rowOf` names a line's row in the user's file.
 */
export function xlsxLimitProblem(
  header: readonly string[],
  lines: readonly (readonly string[])[],
  rowOf: (line: readonly string[]) => string,
): string | null {
  if (lines.length + 1 > MAX_XLSX_ROWS) {
    return (
      `These ${lines.length.toLocaleString('en-US')} rows are more than an Excel sheet holds ` +
      `(${(MAX_XLSX_ROWS - 1).toLocaleString('en-US')} below its header). Export them as CSV instead.`
    );
  }
  for (const line of lines) {
    const index = line.findIndex((cell) => cell.length > MAX_XLSX_CELL);
    if (index < 0) continue;
    return (
      `Row ${rowOf(line)}, column “${header[index] ?? ''}” holds ${line[index]?.length.toLocaleString('en-US')} ` +
      `characters, more than an Excel cell keeps (${MAX_XLSX_CELL.toLocaleString('en-US')}): Excel would cut it. ` +
      'Export as CSV instead, which keeps every character.'
    );
  }
  return null;
}

export function xlsxWorkbook(sheetName: string, header: readonly string[], rows: Iterable<readonly string[]>): Buffer {
  const lines: string[] = [];
  let r = 1;
  lines.push(row(r++, header, 1));
  for (const cells of rows) lines.push(row(r++, cells, 0));
  const sheet =
    `${XML}<worksheet xmlns="${MAIN}" xmlns:r="${REL}">` +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '</sheetView></sheetViews>' +
    `<sheetData>${lines.join('')}</sheetData></worksheet>`;
  const name = escapeXml(sheetName.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet1');
  const text = (s: string) => Buffer.from(s, 'utf8');
  return zip([
    {
      name: '[Content_Types].xml',
      data: text(
        `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
          '</Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: text(
        `${XML}<Relationships xmlns="${PKG_REL}">` +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
          '</Relationships>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: text(
        `${XML}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>` +
          `<sheet name="${name}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: text(
        `${XML}<Relationships xmlns="${PKG_REL}">` +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
          '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
          '</Relationships>',
      ),
    },
    {
      name: 'xl/styles.xml',
      data: text(
        `${XML}<styleSheet xmlns="${MAIN}">` +
          '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
          '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
          '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
          '<cellXfs count="2"><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
          '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/></cellXfs>' +
          '</styleSheet>',
      ),
    },
    { name: 'xl/worksheets/sheet1.xml', data: text(sheet) },
  ]);
}

function row(number: number, cells: readonly string[], style: number): string {
  const out = cells.map((value, i) => {
    const ref = `${columnName(i)}${number}`;
    return `<c r="${ref}" s="${style}" t="inlineStr"><is><t xml:space="preserve">${cellText(value)}</t></is></c>`;
  });
  return `<row r="${number}">${out.join('')}</row>`;
}

/** A, B, …, Z, AA, AB, … */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/**
 * A cell's text as OOXML holds it: XML's special characters escaped; characters XML cannot hold (controls, a
 * carriage return) written `_xHHHH_`, and a literal `_xHHHH_` kept literal by escaping its underscore.
 */
export function cellText(value: string): string {
  return escapeXml(
    value
      .replace(/_x([0-9A-Fa-f]{4})_/g, '_x005F_x$1_')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000D\u000E-\u001F\uFFFE\uFFFF]/g, (c) => `_x${hex4(c.charCodeAt(0))}_`)
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  );
}

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
