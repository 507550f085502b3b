import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchBody, batchStream, fits, MAX_BYTES, MAX_MESSAGES } from '../../../app/batch/batcher.ts';

const message = (bytes: number, n: number) => ({
  json: `"${'x'.repeat(Math.max(0, bytes - 2 - String(n).length))}${n}"`,
  bytes,
  n,
});

describe('the one rule that ends a batch', () => {
  it('makes every batch fit Vitally’s limits, as full as it may be, in order, with nothing lost', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 8, max: 400 }), fc.integer({ min: 1_000, max: 200_000 })), {
          maxLength: 400,
        }),
        (sizes) => {
          const messages = sizes.map((bytes, n) => {
            const m = message(bytes, n);
            return { ...m, bytes: Buffer.byteLength(m.json) };
          });
          const batches = [...batchStream(messages)];
          expect(batches.flat().map((m) => m.n)).toEqual(messages.map((m) => m.n));
          batches.forEach((batch, i) => {
            expect(batch.length).toBeGreaterThan(0);
            expect(batch.length).toBeLessThanOrEqual(MAX_MESSAGES);
            expect(Buffer.byteLength(batchBody(batch))).toBeLessThanOrEqual(MAX_BYTES);
            // Greedy: the next batch's first message would not have fitted in this one.
            const next = batches[i + 1]?.[0];
            if (next) {
              const body = Buffer.byteLength(batchBody(batch));
              expect(fits({ messages: batch.length, bytes: body }, next.bytes)).toBe(false);
            }
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a message no batch can hold', () => {
    const huge = { json: `"${'x'.repeat(MAX_BYTES)}"`, bytes: MAX_BYTES + 2 };
    expect(() => [...batchStream([huge])]).toThrow(RangeError);
  });
});
