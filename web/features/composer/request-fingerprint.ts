import type { StudioCreate } from '../../api/create-task.ts';

/**
 * Fields that differ on every press without changing what Kling is asked to make: the studio mints a new
 * `external_task_id` per submit, so two presses on the same draft would otherwise never look alike.
 */
const PER_SUBMIT_FIELDS = new Set(['external_task_id', 'callback_url']);

/** JSON with object keys sorted (and per-submit fields left out), so equal bodies give equal text. */
export function canonicalJson(value: unknown, top = true): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, false)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => v !== undefined && !(top && PER_SUBMIT_FIELDS.has(k)))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, false)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * cyrb53 run twice with different seeds: a 106-bit digest, so the studio keeps a short string per sent
 * request instead of megabytes of base64 frames and masks. Not cryptographic; a collision would only
 * mean an unneeded "Generate another?" question.
 */
function digest(text: string): string {
  const run = (seed: number) => {
    let h1 = 0xdeadbeef ^ seed;
    let h2 = 0x41c6ce57 ^ seed;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
  };
  return `${run(1)}.${run(2)}.${text.length}`;
}

/** What makes two submits "the same request": the endpoint and the body as Kling would read it. */
export function requestFingerprint(create: StudioCreate): string {
  return `${create.kind}:${digest(canonicalJson(create.request))}`;
}
