import { encodeBase64 } from '../../../contract/images/base64.ts';
import { SNIFF_BYTES } from '../../../contract/images/sniff.ts';
import { LIMITS } from '../../../contract/limits.ts';
import type { Violation } from '../../../contract/schemas/studio-api.ts';
import type { Frame, FrameSlot } from '../../editor/draft-types.ts';
import { newId } from '../../editor/ids.ts';
import { checkImageBytes, checkImageFile, FRAME_FIELD } from './check-image.ts';

export type IngestResult =
  | { ok: true; frame: Frame /** Set when the browser could not check the image itself. */; note?: string }
  | { ok: false; violations: Violation[] };

/** Bytes already in memory (a sample, a test image) as a frame, or the rules it breaks. */
export function frameFromBytes(bytes: Uint8Array, name: string, slot: FrameSlot): IngestResult {
  const { facts, violations } = checkImageBytes(bytes, bytes.length, slot);
  if (violations.length) return { ok: false, violations };
  return { ok: true, frame: { source: 'file', id: newId(), name, base64: encodeBase64(bytes), facts } };
}

/** A picked or dropped file. An oversized file is judged from its first bytes: no need to read 50 MB. */
export async function frameFromFile(file: File, slot: FrameSlot): Promise<IngestResult> {
  if (file.size > LIMITS.imageMaxBytes) {
    const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
    const { violations } = checkImageBytes(head, file.size, slot);
    return { ok: false, violations };
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const { violations } = await checkImageFile(bytes, slot);
  if (violations.length) return { ok: false, violations };
  return frameFromBytes(bytes, file.name || 'image', slot);
}

const URL_CHECK_TIMEOUT_MS = 10_000;

/**
 * An http(s) URL. The request carries the URL itself; the browser checks the bytes when the site lets
 * it read them (CORS). When it does not, the frame is kept and the backend checks it at submit.
 */
export async function frameFromUrl(raw: string, slot: FrameSlot): Promise<IngestResult> {
  const url = raw.trim();
  const field = FRAME_FIELD[slot];
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
    return {
      ok: false,
      violations: [{ field, rule: 'format', message: 'Enter an http(s) address of a JPG or PNG image' }],
    };
  let bytes: Uint8Array;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(URL_CHECK_TIMEOUT_MS) });
    if (!res.ok)
      return {
        ok: false,
        violations: [{ field, rule: 'unreachable', message: `That address answered ${res.status}` }],
      };
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch {
    return {
      ok: true,
      frame: { source: 'url', id: newId(), url, facts: null },
      note: "This site doesn't let the browser read the image, so the studio will check it when you generate.",
    };
  }
  const { facts, violations } = await checkImageFile(bytes, slot);
  if (violations.length) return { ok: false, violations };
  return { ok: true, frame: { source: 'url', id: newId(), url, facts } };
}
