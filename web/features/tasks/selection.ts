/**
 * Results picked with the cards' checkboxes, in the order they were picked. The selection bar downloads
 * them all and compares two to four of them (a wipe needs exactly two).
 */
export const MAX_COMPARED = 4;

export function togglePick(picked: readonly string[], id: string): string[] {
  return picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id];
}

/** The picks Compare shows, or null when there are too few or too many to compare. */
export function comparable(picked: readonly string[]): readonly string[] | null {
  return picked.length >= 2 && picked.length <= MAX_COMPARED ? picked : null;
}

/** Why Compare is off, in the bar's words; null when it is on. */
export function compareHint(count: number): string | null {
  if (count < 2) return 'pick one more to compare';
  if (count > MAX_COMPARED) return `Compare shows up to ${MAX_COMPARED}`;
  return null;
}

/** Wiping one video over another takes a pair. */
export const canWipe = (items: readonly unknown[]) => items.length === 2;
