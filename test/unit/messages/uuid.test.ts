import { describe, expect, it } from 'vitest';
import { canonicalJson, uuidV5 } from '../../../app/messages/uuid.ts';

describe('message ids', () => {
  it('makes RFC 9562’s version 5 UUID for its example name', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('writes the same JSON whatever the order of keys, leaving out undefined ones', () => {
    const a = canonicalJson({ b: 1, a: { y: [2, 'x', null], x: true }, c: undefined, é: 'é', Z: 0 });
    const b = canonicalJson({ Z: 0, é: 'é', a: { x: true, y: [2, 'x', null] }, b: 1 });
    expect(a).toBe(b);
    expect(a).toBe('{"Z":0,"a":{"x":true,"y":[2,"x",null]},"b":1,"é":"é"}');
  });

  it('sorts integer-like keys as text too, as every version of the app has', () => {
    expect(canonicalJson({ traits: { '10': 'a', '2': 'b', x: [{ '1': 1, b: 2 }] } })).toBe(
      '{"traits":{"10":"a","2":"b","x":[{"1":1,"b":2}]}}',
    );
  });
});
