import { hash } from 'node:crypto';

/** The namespace of this app's message ids (a fixed, random UUID). */
export const MESSAGE_ID_NAMESPACE = '6d0f5b8e-2b7a-4c1d-9e63-3f4a8b2c7d15';

/** A name-based UUID, version 5 (RFC 9562 §5.5): the same name always gives the same id. */
export function uuidV5(name: string, namespace = MESSAGE_ID_NAMESPACE): string {
  const prefix = namespaceBytes(namespace);
  const input = Buffer.allocUnsafe(prefix.length + Buffer.byteLength(name));
  prefix.copy(input);
  input.write(name, prefix.length, 'utf8');
  const digest = hash('sha1', input, 'buffer');
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x50;
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80;
  const hex = digest.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

let lastNamespace = '';
let lastNamespaceBytes = Buffer.alloc(0);

/** A namespace UUID's 16 bytes; the last one asked for is kept, as it is nearly always the same. */
function namespaceBytes(namespace: string): Buffer {
  if (namespace !== lastNamespace) {
    lastNamespaceBytes = Buffer.from(namespace.replaceAll('-', ''), 'hex');
    lastNamespace = namespace;
  }
  return lastNamespaceBytes;
}

/** JSON with every object's keys sorted: the same message always gives the same text. */
export function canonicalJson(value: unknown): string {
  // Fast path: a copy with its keys inserted in order, written by the native JSON.stringify. Objects list
  // integer-like keys first whatever their insertion order, so those (rare in messages) take the slow path.
  const sorted = sortedCopy(value);
  return sorted === UNSORTABLE ? slowCanonicalJson(value) : JSON.stringify(sorted);
}

const UNSORTABLE = Symbol('unsortable');
const INTEGER_KEY = /^(?:0|[1-9]\d*)$/;

function sortedCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    for (const item of value) {
      if (item === undefined) return UNSORTABLE;
      const sorted = sortedCopy(item);
      if (sorted === UNSORTABLE) return UNSORTABLE;
      copy.push(sorted);
    }
    return copy;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (INTEGER_KEY.test(key)) return UNSORTABLE;
    const item = object[key];
    if (item === undefined) continue;
    const sorted = sortedCopy(item);
    if (sorted === UNSORTABLE) return UNSORTABLE;
    copy[key] = sorted;
  }
  return copy;
}

/** The same text, written key by key: for objects with integer-like keys. */
function slowCanonicalJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += slowCanonicalJson(value[i]) ?? '';
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, as `<` does.
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${slowCanonicalJson(item)}`;
  }
  return `${out}}`;
}
