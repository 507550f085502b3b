import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchBody, MAX_BYTES, toBatches } from '../../../app/batch/batcher.ts';
import { buildRow, type BuildContext } from '../../../app/messages/builder.ts';
import { Mapping } from '../../../app/map/mapping.ts';
import { accountMessage, mappingOf, userMessage } from '../../support/mapping.ts';
import { validateBatch } from '../../support/validate-batch.ts';

const RUN = '2026-11-23T10:00:00.000Z';
const context: BuildContext = {
  columns: ['Account ID', 'Company', 'Email', 'User ID', 'Seats', 'Signed up', 'ID (Excel)'],
  runTimestamp: RUN,
};
const mapping = mappingOf(
  accountMessage('Account ID', [
    { column: 'Company', key: 'name', type: 'text' },
    { column: 'Seats', key: 'seats', type: 'integer', blank: 'null' },
  ]),
  userMessage([
    { column: 'Email', key: 'email', type: 'text' },
    { column: 'Signed up', key: 'createdAt', type: 'date', dateOrder: 'DMY' },
  ]),
);

/** The messageId of a built message's JSON. */
const idOf = (json: string | undefined) => (JSON.parse(json ?? '{}') as { messageId?: string }).messageId;

describe('building messages from a row', () => {
  it('makes an account and a user from one row, in the mapping’s order, with typed traits', () => {
    const built = buildRow(mapping, context, [7, 'A1', 'Acme', 'ana@acme.io', 'U1', '40', '28/10/2022', '']);
    expect(built.problems).toEqual([]);
    expect(built.messages.map((m) => JSON.parse(m.json) as unknown)).toEqual([
      {
        type: 'account',
        accountId: 'A1',
        traits: { name: 'Acme', seats: 40 },
        messageId: expect.any(String) as unknown,
        timestamp: RUN,
      },
      {
        type: 'user',
        userId: 'U1',
        accountId: 'A1',
        traits: { email: 'ana@acme.io', createdAt: '2022-10-28' },
        messageId: expect.any(String) as unknown,
        timestamp: RUN,
      },
    ]);
    expect(built.messages.every((m) => m.rowNumber === 7)).toBe(true);
  });

  it('gives the same message the same id every time, and a changed message a new one', () => {
    const row = [7, 'A1', 'Acme', 'ana@acme.io', 'U1', '40', '28/10/2022', ''] as [number, ...string[]];
    const first = buildRow(mapping, context, row).messages.map((m) => m.json);
    const again = buildRow(mapping, context, row).messages.map((m) => m.json);
    expect(again).toEqual(first);
    const fixed = buildRow(mapping, context, [
      7,
      'A1',
      'Acme Inc',
      'ana@acme.io',
      'U1',
      '40',
      '28/10/2022',
      '',
    ]).messages.map((m) => m.json);
    expect(idOf(fixed[0])).not.toBe(idOf(first[0]));
    expect(idOf(fixed[1])).toBe(idOf(first[1]));
    expect(idOf(first[0])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sends a blank cell as null only where the column says so, and leaves it out otherwise', () => {
    const built = buildRow(mapping, context, [3, 'A1', 'Acme', '', 'U1', '', '', '']);
    const [account, user] = built.messages.map((m) => JSON.parse(m.json) as { traits: unknown });
    expect(account?.traits).toEqual({ name: 'Acme', seats: null });
    expect(user?.traits).toEqual({});
  });

  it('names the row, column and value of every problem, and keeps a row with errors from being sent', () => {
    const built = buildRow(mapping, context, [12, 'A1', 'Acme', 'ana@acme.io', '', 'forty', '2022-13-01', '']);
    expect(built.messages).toEqual([]);
    expect(built.problems.map((p) => p.message)).toEqual([
      'Row 12, column “Seats”: “forty” is not a number.',
      'Row 12, column “Signed up”: “2022-13-01” is not a real date.',
      'Row 12, column “User ID”: is empty, and every user message needs a user ID.',
    ]);
  });

  it('carries each problem as data: its code and the values its words show', () => {
    const built = buildRow(mapping, context, [12, 'A1', 'Acme', 'ana@acme.io', '', 'forty', '05/06/2024', '']);
    const noDateOrder = mappingOf(userMessage([{ column: 'Signed up', key: 'createdAt', type: 'date' }]));
    const unclear = buildRow(noDateOrder, context, [3, 'A1', 'Acme', 'ana@acme.io', 'U1', '', '05/06/2024', '']);
    expect(built.problems.map(({ code, params }) => ({ code, params }))).toEqual([
      { code: 'unreadable-value', params: { expected: 'integer', reason: { kind: 'not-number' } } },
      { code: 'missing-field', params: { rule: 'required', fields: ['userId'], messageType: 'user' } },
    ]);
    expect(unclear.problems).toEqual([
      {
        rowNumber: 3,
        column: 'Signed up',
        value: '05/06/2024',
        code: 'unreadable-value',
        severity: 'error',
        params: {
          expected: 'date',
          reason: {
            kind: 'ambiguous-date',
            dayFirst: { day: 5, month: 6, year: 2024 },
            monthFirst: { day: 6, month: 5, year: 2024 },
          },
        },
        message:
          'Row 3, column “Signed up”: “05/06/2024” could be 5 June 2024 (day first) or 6 May 2024 (month first): ' +
          'choose the date order (day first or month first) for this column.',
      },
    ]);
  });

  it('flags an ID Excel turned into a rounded number', () => {
    const excel = mappingOf(accountMessage('ID (Excel)'));
    const built = buildRow(excel, context, [4, '', '', '', '', '', '', '1.23E+05']);
    expect(built.problems).toMatchObject([
      { code: 'excel-number', severity: 'error', column: 'ID (Excel)', value: '1.23E+05' },
    ]);
  });

  it('makes only the message a type column names, and says so when a row names none it makes', () => {
    const typed = Mapping.parse({ ...mapping, typeColumn: 'ID (Excel)' });
    const row = (type: string) => buildRow(typed, context, [7, 'A1', 'Acme', 'a@acme.io', 'U1', '3', '', type]);
    expect(row('Account').messages.map((m) => m.type)).toEqual(['account']);
    expect(row(' user ').messages.map((m) => m.type)).toEqual(['user']);
    expect(row('Contact').messages.map((m) => m.type)).toEqual(['user']);
    expect(row('event').problems.map((p) => p.message)).toEqual([
      'Row 7, column “ID (Excel)”: “event” is not a message type this mapping makes (account, user).',
    ]);
    expect(row('').problems.map((p) => [p.column, p.message])).toEqual([
      ['ID (Excel)', 'Row 7, column “ID (Excel)”: is empty; it must name the row’s message type (account, user).'],
    ]);
  });

  it('uses a timestamp column, in UTC, instead of the run’s', () => {
    const withTime = Mapping.parse({
      version: 1,
      messages: [
        {
          type: 'track',
          fields: {
            event: { constant: 'Signed up' },
            userId: { column: 'User ID' },
            timestamp: { column: 'Signed up' },
          },
          traits: [],
        },
      ],
    });
    const [track] = buildRow(withTime, context, [2, '', '', '', 'U1', '', '2024-03-04 09:30', '']).messages;
    expect(JSON.parse(track?.json ?? '{}')).toMatchObject({
      event: 'Signed up',
      properties: {},
      timestamp: '2024-03-04T09:30:00.000Z',
    });
  });
});

describe('the validator', () => {
  it('accepts the documentation’s example batch', () => {
    const batch = JSON.parse(
      readFileSync(new URL('../../fixtures/vitally-doc-batch.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(validateBatch(batch)).toEqual([]);
  });

  it('explains what a broken batch lacks', () => {
    expect(validateBatch([{ type: 'user', userId: '1', traits: {} }])).toEqual([
      'Message 1 needs an account ID or an organization ID to belong to.',
      'Message 1 needs a messageId or a timestamp.',
    ]);
    expect(validateBatch([])).toEqual(['A batch must hold 1 to 100 messages, not 0.']);
  });
});

describe('batching (properties)', () => {
  const message = fc.string({ maxLength: 300 }).map((text) => {
    const json = JSON.stringify({ type: 'user', userId: text });
    return { json, bytes: Buffer.byteLength(json) };
  });
  const big = fc.integer({ min: 1000, max: 200_000 }).map((size) => {
    const json = JSON.stringify({ type: 'user', userId: 'x'.repeat(size) });
    return { json, bytes: Buffer.byteLength(json) };
  });

  it('never exceeds 100 messages or 512 KiB, and never drops, duplicates or reorders a message', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 9, arbitrary: message }, { weight: 1, arbitrary: big }), { maxLength: 700 }),
        (messages) => {
          const batches = toBatches(messages);
          for (const batch of batches) {
            expect(batch.length).toBeGreaterThan(0);
            expect(batch.length).toBeLessThanOrEqual(100);
            expect(Buffer.byteLength(batchBody(batch))).toBeLessThanOrEqual(MAX_BYTES);
          }
          expect(batches.flat()).toEqual(messages);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives identical bytes when built twice', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.string(), fc.integer()), { maxLength: 50 }), (rows) => {
        const build = () =>
          rows.flatMap(
            ([account, company, seats], i) =>
              buildRow(mapping, context, [i + 2, `A${account}`, company, '', `U${i}`, String(Math.abs(seats)), '', ''])
                .messages,
          );
        expect(toBatches(build()).map(batchBody)).toEqual(toBatches(build()).map(batchBody));
      }),
      { numRuns: 100 },
    );
  });
});

describe('the Preview’s check counts the bytes that are sent', () => {
  it('sizes a message without its id exactly as the message with it, whatever its text and timestamp', () => {
    const timed = Mapping.parse({
      version: 1,
      messages: [
        {
          type: 'account',
          fields: { accountId: { column: 'Account ID' }, timestamp: { column: 'Seen at' } },
          traits: [{ column: 'Company', key: 'name', type: 'text' }],
        },
      ],
    });
    const columns = ['Account ID', 'Company', 'Seen at'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'grapheme' }), fc.string(), fc.constantFrom('', '2026-03-01T10:00:00Z')), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.constantFrom(RUN, '2026-12-02T23:59:59.999Z'),
        (rows, runTimestamp) => {
          for (const [i, [company, account, seen]] of rows.entries()) {
            const row = [i + 2, `A${account}`, company, seen] as const;
            const sent = buildRow(timed, { columns, runTimestamp }, [...row]).messages;
            const checked = buildRow(timed, { columns, runTimestamp, ids: false }, [...row]).messages;
            expect(checked.map((m) => m.bytes)).toEqual(sent.map((m) => Buffer.byteLength(m.json)));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('what the builder warns about and how it reads times', () => {
  const columns = ['Account ID', 'Phone', 'Seen at'];
  const phones = Mapping.parse({
    version: 1,
    timeZone: 'Europe/Berlin',
    messages: [
      {
        type: 'account',
        fields: { accountId: { column: 'Account ID' }, timestamp: { column: 'Seen at' } },
        traits: [{ column: 'Phone', key: 'phone', type: 'text' }],
      },
    ],
  });

  it('warns on a cell Excel mangled in any column, and still sends the row', () => {
    const built = buildRow(phones, { columns, runTimestamp: RUN }, [7, 'A1', '1-Mar', '']);
    expect(built.messages).toHaveLength(1);
    expect(built.problems).toEqual([
      expect.objectContaining({
        code: 'excel-mangled',
        severity: 'warning',
        message:
          'Row 7, column “Phone”: “1-Mar” looks like a number or code Excel turned into a date (such as 1-3 or 3/1); check the original value.',
      }),
    ]);
  });

  it('reads a timestamp without a zone in the mapping’s time zone', () => {
    const built = buildRow(phones, { columns, runTimestamp: RUN }, [2, 'A1', '', '2024-07-15 09:30']);
    expect(JSON.parse(built.messages[0]?.json ?? '{}')).toMatchObject({ timestamp: '2024-07-15T07:30:00.000Z' });
    const utc = buildRow({ ...phones, timeZone: 'UTC' }, { columns, runTimestamp: RUN }, [
      2,
      'A1',
      '',
      '2024-07-15 09:30',
    ]);
    expect(JSON.parse(utc.messages[0]?.json ?? '{}')).toMatchObject({ timestamp: '2024-07-15T09:30:00.000Z' });
  });
});
