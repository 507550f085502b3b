import CFB from 'cfb';
import { zipSync, strToU8 } from 'fflate';

/** One worksheet of a test workbook: `rows` is the raw `<sheetData>` content, as Excel would write it. */
export interface TestSheet {
  name: string;
  sheetData: string;
  hidden?: boolean;
  dimension?: string;
}

/**
 * Builds a minimal but real .xlsx (a zip of OOXML parts), so each test states exactly which of Excel's
 * encodings it covers: shared strings, inline strings, number formats for dates, the 1904 date system.
 */
export function buildXlsx(options: {
  sheets: TestSheet[];
  sharedStrings?: string[];
  /** numFmtId of each cell style, by index (`s="1"` uses the second). */
  cellStyles?: number[];
  customFormats?: Record<number, string>;
  date1904?: boolean;
  prefix?: string;
}): Uint8Array {
  const p = options.prefix ? `${options.prefix}:` : '';
  const ns = options.prefix
    ? `xmlns:${options.prefix}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
    : 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ),
    'xl/workbook.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><${p}workbook ${ns} ${rel}>` +
        (options.date1904 ? `<${p}workbookPr date1904="1"/>` : '') +
        `<${p}sheets>` +
        options.sheets
          .map(
            (sheet, i) =>
              `<${p}sheet name="${sheet.name}" sheetId="${i + 1}" r:id="rId${i + 1}"${sheet.hidden ? ' state="hidden"' : ''}/>`,
          )
          .join('') +
        `</${p}sheets></${p}workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        options.sheets
          .map((_, i) => `<Relationship Id="rId${i + 1}" Type="worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
          .join('') +
        '</Relationships>',
    ),
  };
  options.sheets.forEach((sheet, i) => {
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><${p}worksheet ${ns}>` +
        (sheet.dimension ? `<${p}dimension ref="${sheet.dimension}"/>` : '') +
        `<${p}sheetData>${sheet.sheetData}</${p}sheetData></${p}worksheet>`,
    );
  });
  if (options.sharedStrings) {
    files['xl/sharedStrings.xml'] = strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
        options.sharedStrings.map((s) => (s.startsWith('<') ? `<si>${s}</si>` : `<si><t>${s}</t></si>`)).join('') +
        '</sst>',
    );
  }
  if (options.cellStyles) {
    const custom = Object.entries(options.customFormats ?? {});
    files['xl/styles.xml'] = strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
        (custom.length
          ? `<numFmts>${custom.map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${code}"/>`).join('')}</numFmts>`
          : '') +
        `<cellXfs>${options.cellStyles.map((id) => `<xf numFmtId="${id}"/>`).join('')}</cellXfs></styleSheet>`,
    );
  }
  return zipSync(files);
}

const ODS_NAMESPACES =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ' +
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"';

/** A minimal .ods whose content.xml holds `tables` (`<table:table>` elements) as written. */
export function buildOds(tables: string): Uint8Array {
  return zipSync({
    mimetype: strToU8('application/vnd.oasis.opendocument.spreadsheet'),
    'content.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${ODS_NAMESPACES}><office:body>` +
        `<office:spreadsheet>${tables}</office:spreadsheet></office:body></office:document-content>`,
    ),
  });
}

/** A cell of a test .xls: 0-based row and column, and a number or a text. */
export type XlsCell = [row: number, column: number, value: number | string];

/**
 * A minimal but real Excel 97–2003 workbook (BIFF8 records in an Office container): one worksheet whose cells are
 * NUMBER and LABEL records, in the order given.
 */
export function buildXls(sheet: string, cells: XlsCell[]): Uint8Array {
  const record = (type: number, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt16LE(type, 0);
    head.writeUInt16LE(data.length, 2);
    return Buffer.concat([head, data]);
  };
  const bof = (kind: number) => {
    const data = Buffer.alloc(16);
    data.writeUInt16LE(0x0600, 0);
    data.writeUInt16LE(kind, 2);
    return record(0x0809, data);
  };
  const eof = record(0x000a, Buffer.alloc(0));
  const name = Buffer.from(sheet, 'latin1');
  const boundSheet = (offset: number) => {
    const data = Buffer.alloc(8 + name.length);
    data.writeUInt32LE(offset, 0);
    data.writeUInt8(name.length, 6);
    name.copy(data, 8);
    return record(0x0085, data);
  };
  const globalsLength = bof(0x0005).length + boundSheet(0).length + eof.length;
  const body = cells.map(([row, column, value]) => {
    if (typeof value === 'number') {
      const data = Buffer.alloc(14);
      data.writeUInt16LE(row, 0);
      data.writeUInt16LE(column, 2);
      data.writeDoubleLE(value, 6);
      return record(0x0203, data);
    }
    const text = Buffer.from(value, 'latin1');
    const data = Buffer.alloc(9 + text.length);
    data.writeUInt16LE(row, 0);
    data.writeUInt16LE(column, 2);
    data.writeUInt16LE(text.length, 6);
    text.copy(data, 9);
    return record(0x0204, data);
  });
  const stream = Buffer.concat([bof(0x0005), boundSheet(globalsLength), eof, bof(0x0010), ...body, eof]);
  const container = CFB.utils.cfb_new();
  CFB.utils.cfb_add(container, 'Workbook', stream);
  return new Uint8Array(CFB.write(container, { type: 'buffer' }) as Buffer);
}
