import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashContent } from '../../../app/preview/check.ts';

describe('the hash that tells a repeated record saying something else', () => {
  it('is the same for the same text and differs for any other, down to one unit moved, added or changed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(), fc.nat(0xffff), (text, at, code) => {
        expect(hashContent(text)).toBe(hashContent(text.slice()));
        const place = text.length === 0 ? 0 : at % text.length;
        const changed = text.slice(0, place) + String.fromCharCode(code) + text.slice(place + 1);
        if (changed !== text) expect(hashContent(changed)).not.toBe(hashContent(text));
        expect(hashContent(`${text}\u0000`)).not.toBe(hashContent(text));
        const swapped = text.slice(0, place) + (text[place + 1] ?? '') + (text[place] ?? '') + text.slice(place + 2);
        if (swapped !== text) expect(hashContent(swapped)).not.toBe(hashContent(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('fits in a double exactly (53 bits), so it crosses threads as a number', () => {
    for (const text of ['', 'a', '{"type":"account","accountId":"A1"}', 'Zoë 東京'.repeat(40)]) {
      expect(Number.isSafeInteger(hashContent(text))).toBe(true);
    }
  });
});
