import { appendFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { readBytes } from '../../support/read.ts';
import { tempDir } from '../../support/temp.ts';

const utf16 = (text: string, littleEndian: boolean) => {
  const bytes = Buffer.from(text, 'utf16le');
  if (!littleEndian) bytes.swap16();
  return Buffer.concat([Buffer.from(littleEndian ? [0xff, 0xfe] : [0xfe, 0xff]), bytes]);
};

describe('reading delimited text', () => {
  it('keeps IDs, phone numbers and numbers exactly as written', async () => {
    const { rows } = await readBytes(
      tempDir(),
      'ids.csv',
      'id,phone,amount\n00123,+1 (555) 010-0199,1234567890.123456789\n',
    );
    expect(rows).toEqual([[2, '00123', '+1 (555) 010-0199', '1234567890.123456789']]);
  });

  describe('encodings', () => {
    it('never lets a UTF-8 byte-order mark into the first header', async () => {
      const { result } = await readBytes(tempDir(), 'bom.csv', '\uFEFFEmail,Name\na@b.co,Ana\n');
      expect(result.columns.map((c) => c.original)).toEqual(['Email', 'Name']);
      expect(result.encoding).toBe('utf-8');
    });

    it.each([true, false])('reads UTF-16 with a byte-order mark (little-endian: %s)', async (littleEndian) => {
      const { result, rows } = await readBytes(tempDir(), 'u16.csv', utf16('Name\tCity\nZoë\tKraków\n', littleEndian));
      expect(result.encoding).toBe(littleEndian ? 'utf-16le' : 'utf-16be');
      expect(result.delimiter).toBe('\t');
      expect(rows).toEqual([[2, 'Zoë', 'Kraków']]);
    });

    it('detects Windows-1252 from a file that is not valid UTF-8, and can be told otherwise', async () => {
      const bytes = Buffer.from([
        ...Buffer.from('Name,City\nRen'),
        0xe9,
        ...Buffer.from(',Montr'),
        0xe9,
        0x61,
        0x6c,
        0x0a,
      ]);
      const dir = tempDir();
      const detected = await readBytes(dir, 'latin.csv', bytes);
      expect(detected.result.encoding).toBe('windows-1252');
      expect(detected.rows).toEqual([[2, 'René', 'Montréal']]);
      const forced = await readBytes(dir, 'latin.csv', bytes, { encoding: 'utf-8' });
      expect(forced.rows).toEqual([[2, 'Ren\uFFFD', 'Montr\uFFFDal']]);
      expect(forced.result.detected.encoding).toBe('windows-1252');
      expect(forced.result.notes).toMatchObject([{ kind: 'undecodable-text', rows: [2] }]);
    });

    it('never splits a multi-byte character at a chunk edge', async () => {
      // 1 MiB chunks: put three-byte characters across the first edge.
      const line = 'ünïcødé,日本語テキスト,😀\n';
      const header = 'a,b,c\n';
      const body = line.repeat(Math.ceil((1024 * 1024 * 2) / Buffer.byteLength(line)));
      const { rows } = await readBytes(tempDir(), 'multibyte.csv', header + body);
      expect(rows.every(([, ...cells]) => cells.join(',') === 'ünïcødé,日本語テキスト,😀')).toBe(true);
      expect(rows.length).toBe(body.length / line.length);
    });
  });

  describe('delimiters', () => {
    it.each([
      [';', 'Name;Amount\nAna;1,5\nBo;2,75\n'],
      ['\t', 'Name\tAmount\nAna\t1,5\nBo\t2,75\n'],
      ['|', 'Name|Note\nAna|a, b, c\nBo|d, e\n'],
      [',', 'Name,Note\nAna,"a; b; c"\nBo,"d; e"\n'],
    ])('detects %j', async (delimiter, text) => {
      const { result, rows } = await readBytes(tempDir(), 'file.txt', text);
      expect(result.delimiter).toBe(delimiter);
      expect(rows.length).toBe(2);
      expect(result.columns.length).toBe(2);
    });

    it('can be overridden, keeping what was detected', async () => {
      const { result, rows } = await readBytes(tempDir(), 'f.csv', 'a;b\n1;2\n', { delimiter: ',' });
      expect(result.delimiter).toBe(',');
      expect(result.detected.delimiter).toBe(';');
      expect(rows).toEqual([[2, '1;2']]);
    });
  });

  describe('line endings', () => {
    it.each([
      ['LF', '\n'],
      ['CRLF', '\r\n'],
      ['CR', '\r'],
    ])('reads a stray quote in a bare cell (5" screen) as papaparse does, with %s line endings', async (_, eol) => {
      const text = ['Product,Size,Notes', 'TV,5" screen,ok', 'Phone,6" screen,fine', 'Tab,10,"a, b"'].join(eol) + eol;
      const { result, rows } = await readBytes(tempDir(), 'products.csv', text);
      expect(rows).toEqual([
        [2, 'TV', '5" screen', 'ok'],
        [3, 'Phone', '6" screen', 'fine'],
        [4, 'Tab', '10', 'a, b'],
      ]);
      const papa = Papa.parse<string[]>(text).data.slice(1, -1);
      expect(rows.map(([, ...cells]) => cells)).toEqual(papa);
      expect(result.notes).toEqual([]);
    });

    it('splits a file that mixes line endings where papaparse does, and says so', async () => {
      const text = 'a,b\r\n1,2\r\n3,4\n5,6\r\n7,"x\ny"\r\n';
      const { result, rows } = await readBytes(tempDir(), 'mixed.csv', text);
      expect(rows).toEqual([
        [2, '1', '2'],
        [3, '3', '4\n5', '6'],
        [4, '7', 'x\ny'],
      ]);
      expect(result.notes.find((note) => note.kind === 'mixed-line-endings')?.message).toMatch(
        /split at CRLF line endings, the commonest; LF line endings were kept inside cells/,
      );
    });

    it('keeps line breaks inside quoted cells as written, and finds no mix in them', async () => {
      const { result, rows } = await readBytes(tempDir(), 'q.csv', 'a,b\r\n1,"two\nlines"\r\n3,"x\ry"\r\n');
      expect(rows).toEqual([
        [2, '1', 'two\nlines'],
        [3, '3', 'x\ry'],
      ]);
      expect(result.notes).toEqual([]);
    });

    it('names rows in notes as a spreadsheet numbers them, past quoted cells with line breaks', async () => {
      const text = 'a,b\r\n"one\r\ntwo\r\nthree",1\r\n"x\ny",2,extra\r\n\r\nz,3\r\nw,"never closed\r\n';
      const { result, rows } = await readBytes(tempDir(), 'notes.csv', text);
      expect(rows.map(([n]) => n)).toEqual([2, 3, 5, 6]);
      expect(result.notes).toMatchObject([
        { kind: 'more-cells', rows: [3] },
        { kind: 'blank-rows', rows: [4] },
        { kind: 'unclosed-quote', rows: [6] },
      ]);
    });

    it('counts rows as a spreadsheet shows them, with quoted line breaks inside one row', async () => {
      const { rows } = await readBytes(tempDir(), 'q.csv', 'a,b\n"x\ny",1\nz,2\n');
      expect(rows.map(([n]) => n)).toEqual([2, 3]);
    });
  });

  describe('the header row', () => {
    it('skips title and blank rows above it', async () => {
      const text = 'Accounts export,,\nGenerated 2026-11-01,,\n,,\nAccount ID,Name,Plan\nA1,Acme,Pro\nA2,Beta,Free\n';
      const { result, rows } = await readBytes(tempDir(), 'titled.csv', text);
      expect(result.headerRow).toBe(4);
      expect(result.columns.map((c) => c.name)).toEqual(['Account ID', 'Name', 'Plan']);
      expect(rows).toEqual([
        [5, 'A1', 'Acme', 'Pro'],
        [6, 'A2', 'Beta', 'Free'],
      ]);
    });

    it('says which rows above a detected header are not imported, when they hold more than a title', async () => {
      // Two unnamed columns make the real header look narrower than its data, so the first data row is taken for
      // the header: user u1 would never be sent. The note names row 1 and how to choose it.
      const text = 'user_id,email,,\n' + [1, 2, 3, 4].map((i) => `u${i},u${i}@x.co,note ${i},x`).join('\n') + '\n';
      const { result } = await readBytes(tempDir(), 'unnamed.csv', text);
      expect(result.headerRow).toBe(2);
      expect(result.notes).toEqual([
        {
          kind: 'skipped-rows',
          count: 1,
          rows: [1],
          message:
            'The header was taken to be row 2, so the row above it (row 1: “user_id”, “email”) is not imported. ' +
            'If row 1 is the header, set the header row to 1.',
        },
      ]);
      const chosen = await readBytes(tempDir(), 'unnamed.csv', text, { headerRow: 1 });
      expect(chosen.result.columns.map((c) => c.name)).toEqual(['user_id', 'email', 'Column C', 'Column D']);
      expect(chosen.rows).toHaveLength(4);
      expect(chosen.result.notes).toEqual([]);
      // A title's single cell is no loss: nothing to say.
      const titled = await readBytes(tempDir(), 't.csv', 'Users export,,\nid,email,name\n1,a@b.co,Ana\n');
      expect(titled.result.notes).toEqual([]);
    });

    it('can be set by the user', async () => {
      const { result, rows } = await readBytes(tempDir(), 'h.csv', 'x,y\na,b\n1,2\n', { headerRow: 2 });
      expect(result.headerRow).toBe(2);
      expect(result.detected.headerRow).toBe(1);
      expect(result.columns.map((c) => c.name)).toEqual(['a', 'b']);
      expect(rows).toEqual([[3, '1', '2']]);
    });

    it('gives blank and repeated headers unique, visible names and keeps the original text', async () => {
      const { result } = await readBytes(tempDir(), 'd.csv', 'Email,,email, Name ,Email\n1,2,3,4,5\n');
      expect(result.columns).toEqual([
        { name: 'Email', original: 'Email' },
        { name: 'Column B', original: '' },
        { name: 'email (2)', original: 'email' },
        { name: 'Name', original: ' Name ' },
        { name: 'Email (3)', original: 'Email' },
      ]);
    });
  });

  describe('rows that do not match the header', () => {
    it('keeps rows with more or fewer cells and names them by row number', async () => {
      const text = 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n';
      const { result, rows } = await readBytes(tempDir(), 'ragged.csv', text);
      expect(rows).toEqual([
        [2, '1', '2', '3'],
        [3, '4', '5'],
        [4, '6', '7', '8', '9'],
        [5, '10', '11', '12'],
      ]);
      expect(result.columns.map((c) => c.name)).toEqual(['a', 'b', 'c', 'Column D']);
      expect(result.notes).toEqual([
        {
          kind: 'more-cells',
          count: 1,
          rows: [4],
          message: '1 row has more cells than the header row (3); the extra cells are kept in columns named D onwards.',
        },
        {
          kind: 'fewer-cells',
          count: 1,
          rows: [3],
          message: '1 row has fewer cells than the header row (3); the missing cells are blank.',
        },
      ]);
    });

    it('skips blank rows and says which', async () => {
      const { result, rows } = await readBytes(tempDir(), 'b.csv', 'a,b\n1,2\n\n,\n3,4\n');
      expect(rows.map(([n]) => n)).toEqual([2, 5]);
      expect(result.notes).toMatchObject([{ kind: 'blank-rows', count: 2, rows: [3, 4] }]);
    });

    it('removes NUL characters and says where they were', async () => {
      const { result, rows } = await readBytes(tempDir(), 'nul.csv', 'a,b\n1,x\0y\n2,3\n');
      expect(rows).toEqual([
        [2, '1', 'xy'],
        [3, '2', '3'],
      ]);
      expect(result.notes).toMatchObject([{ kind: 'nul-characters', rows: [2] }]);
    });

    it('finds every NUL and undecodable byte far into a file, in cells that span pieces of text', async () => {
      // Past the first 10,000 rows only text with such a character is searched cell by cell: each must be found
      // wherever it falls, including in a quoted cell with line breaks that crosses from one piece to the next.
      const odd = new Map([
        [15_000, 'x\0y'],
        [20_000, `"long\n${'z'.repeat(3000)}\0\nend"`],
        [25_000, 'bad \xff byte'],
      ]);
      const lines = ['id,text'];
      for (let n = 2; n <= 30_000; n++) lines.push(`${n},${odd.get(n) ?? 'plain'}`);
      const bytes = Buffer.from(lines.join('\n') + '\n', 'latin1');
      // Latin-1 bytes of the cells, except the one invalid UTF-8 byte: the file is UTF-8 with one bad byte.
      const { result, rows } = await readBytes(
        tempDir(),
        'odd.csv',
        bytes,
        { encoding: 'utf-8' },
        { chunkBytes: 1000 },
      );
      expect(rows).toHaveLength(29_999);
      expect(rows[15_000 - 2]).toEqual([15_000, '15000', 'xy']);
      expect(rows[20_000 - 2]?.[2]).toBe(`long\n${'z'.repeat(3000)}\nend`);
      expect(rows[25_000 - 2]).toEqual([25_000, '25000', 'bad \uFFFD byte']);
      expect(result.notes).toMatchObject([
        { kind: 'nul-characters', rows: [15_000, 20_000] },
        { kind: 'undecodable-text', rows: [25_000] },
      ]);
    });

    it('reports a quote that is never closed by its row', async () => {
      const { result } = await readBytes(tempDir(), 'q.csv', 'a,b\n1,2\n3,"oops\n4,5\n');
      expect(result.notes).toMatchObject([{ kind: 'unclosed-quote', rows: [3] }]);
      expect(result.notes[0]?.message).toContain('Row 3 opens a quote');
    });

    it('reads a 50 MB cell', async () => {
      const big = 'x'.repeat(50 * 1024 * 1024);
      const { rows } = await readBytes(tempDir(), 'big.csv', `id,notes\n1,"${big}"\n2,short\n`);
      expect(rows.length).toBe(2);
      expect(rows[0]?.[2]?.length).toBe(big.length);
      expect(rows[1]).toEqual([3, '2', 'short']);
    });
  });

  describe('bad input gets a clear message', () => {
    const failure = async (name: string, content: string | Uint8Array) => {
      try {
        await readBytes(tempDir(), name, content);
      } catch (error) {
        return { code: (error as { code: string }).code, message: (error as Error).message };
      }
      throw new Error('expected the read to fail');
    };

    it.each([
      ['an empty file', 'empty.csv', '', 'EMPTY', '“empty.csv” is empty: there is nothing in it to import.'],
      ['only blank lines', 'blank.csv', '\n\n\r\n', 'EMPTY', '“blank.csv” has no rows: it contains only blank lines.'],
      [
        'a header without rows',
        'h.csv',
        'Email,Name\n',
        'NO_DATA_ROWS',
        '“h.csv” has a header row (row 1) but no rows of data below it.',
      ],
    ])('%s', async (_label, name, content, code, message) => {
      expect(await failure(name, content)).toEqual({ code, message });
    });

    it.each([
      [
        'a PNG image',
        'photo.csv',
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
        /is a PNG image, not a spreadsheet/,
      ],
      ['a PDF', 'report.csv', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), /is a PDF document/],
      [
        'a zip named .csv',
        'book.csv',
        Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]),
        /compressed file .* rename it to \.xlsx/,
      ],
      [
        'random binary',
        'data.csv',
        Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 32)),
        /binary data/,
      ],
      ['a text file named .xlsx', 'sheet.xlsx', 'a,b\n1,2\n', /named like a workbook but its contents are not one/],
    ])('%s', async (_label, name, content, message) => {
      const { code, message: text } = await failure(name, content);
      expect(code).toBe('NOT_A_SPREADSHEET');
      expect(text).toMatch(message);
    });

    it('a file that does not exist', async () => {
      const dir = tempDir();
      const { readSpreadsheet } = await import('../../../app/read/index.ts');
      const attempt = readSpreadsheet(
        `${dir}/gone.csv`,
        'gone.csv',
        {},
        { write: () => undefined, finish: () => undefined },
        {
          signal: new AbortController().signal,
          onProgress: () => undefined,
        },
      );
      await expect(attempt).rejects.toMatchObject({
        code: 'FILE_MISSING',
        message: expect.stringContaining('moved or deleted') as unknown,
      });
    });

    it('a file that changes while it is read', async () => {
      const dir = tempDir();
      const text = 'a,b\n' + '1,2\n'.repeat(600_000);
      let appended = false;
      const attempt = readBytes(
        dir,
        'growing.csv',
        text,
        {},
        {
          onProgress: () => {
            if (appended) return;
            appended = true;
            appendFileSync(`${dir}/growing.csv`, '3,4\n');
          },
        },
      );
      await expect(attempt).rejects.toMatchObject({ code: 'FILE_CHANGED' });
    });

    it('can be cancelled', async () => {
      const controller = new AbortController();
      const attempt = readBytes(
        tempDir(),
        'c.csv',
        'a,b\n' + '1,2\n'.repeat(600_000),
        {},
        {
          signal: controller.signal,
          onProgress: () => controller.abort(),
        },
      );
      await expect(attempt).rejects.toMatchObject({ code: 'CANCELLED' });
    });
  });
});
