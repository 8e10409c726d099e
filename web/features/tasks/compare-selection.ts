/** Picking for comparison: two at most; a third pick replaces the oldest, so a click never does nothing. */
export function toggleCompare(picked: readonly string[], id: string): string[] {
  if (picked.includes(id)) return picked.filter((p) => p !== id);
  return [...picked, id].slice(-2);
}

export const isPair = (picked: readonly string[]): picked is readonly [string, string] => picked.length === 2;
