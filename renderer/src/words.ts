/** Counts in words, with the noun's plural right: “1 batch”, “2 batches”, “1,204 rows”. */
const numbers = new Intl.NumberFormat();

/** `count` and its noun: `one` for exactly one, else `many` (the noun with an s unless given). */
export function counted(count: number, one: string, many = `${one}s`): string {
  return `${numbers.format(count)} ${count === 1 ? one : many}`;
}
