/** How a suggestion's reason is worded: “Because the column is called … and its values look like … (“a”, “b”).” */

/** Up to two distinct examples of the values, quoted: “U-1001”, “U-1002”. */
export function examples(sample: readonly string[], fit: (value: string) => boolean = () => true): string {
  const shown = [...new Set(sample.filter(fit))]
    .slice(0, 2)
    .map((v) => `“${v.length > 40 ? `${v.slice(0, 39)}…` : v}”`);
  return shown.join(', ');
}

/** “its values look like dates (“2024-03-04”)”: what a reason says of the values. */
export const lookLike = (what: string, shown: string) => `its values look like ${what}${shown ? ` (${shown})` : ''}`;

/** “Because …”, with its first letter and a full stop. */
export const because = (...parts: string[]) => `Because ${parts.filter(Boolean).join(' and ')}.`;

/** “A”, “B” and “C”. */
export function quoted(columns: readonly string[]): string {
  const names = columns.map((c) => `“${c}”`);
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}
