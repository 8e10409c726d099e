/**
 * Kling's ids are 18-digit numeric strings (REAL: "822953089408827433"), increasing over time.
 * We build them as `Date.now()` (13 digits) × 10⁵ + a counter, which stays 18 digits until the year
 * 2286, sorts by creation time, and never repeats within one process.
 */
let last = 0n;

export function newKlingId(now = Date.now()): string {
  let id = BigInt(now) * 100_000n + BigInt(Math.floor(Math.random() * 1000));
  if (id <= last) id = last + 1n;
  last = id;
  return id.toString();
}

export const KLING_ID_RE = /^\d{18}$/;
