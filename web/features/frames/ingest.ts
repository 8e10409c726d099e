import { encodeBase64 } from '../../../contract/images/base64.ts';
import { type ImageFacts, SNIFF_BYTES } from '../../../contract/images/sniff.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { fieldLabel } from '../../../contract/rules/field-labels.ts';
import type { Violation } from '../../../contract/schemas/studio-api.ts';
import { ApiError } from '../../api/client.ts';
import type { Frame, FrameSlot } from '../../editor/draft-types.ts';
import { newId } from '../../editor/ids.ts';
import { checkImageBytes, checkImageFile, FRAME_FIELD } from './check-image.ts';
import { checkImageUrl } from './image-url-check.ts';
import { rememberThumbnail } from './url-thumbnails.ts';

export type IngestResult =
  | { ok: true; frame: Frame /** Set when the browser could not check the image itself. */; note?: string }
  | {
      ok: false;
      violations: Violation[];
      /** What the header said, when it could be read: a fix needs the picture's format. */
      facts?: ImageFacts;
      /** The studio's thumbnail of a refused URL, to show what was refused. */
      thumbnail?: string;
    };

/** Bytes already in memory (a sample, a test image) as a frame, or the rules it breaks. */
export function frameFromBytes(bytes: Uint8Array, name: string, slot: FrameSlot): IngestResult {
  const { facts, violations } = checkImageBytes(bytes, bytes.length, slot);
  if (violations.length) return { ok: false, violations, facts };
  return { ok: true, frame: { source: 'file', id: newId(), name, base64: encodeBase64(bytes), facts } };
}

export interface FileIngestOptions {
  /**
   * The bytes are this browser's own encoding (a fix's canvas output), so their picture data cannot be
   * damaged: the contract's rules still judge them, but the damage check's decode is skipped — jpeg-js
   * takes ~0.6 s on a 5 MP JPEG, which was half of Compress's time. The backend decodes them at create.
   */
  encodedHere?: boolean;
}

/**
 * A picked, dropped or pasted file, or a fixed picture: one path, so the contract's rules judge them all
 * alike. An oversized file is judged from its first bytes: no need to read 50 MB.
 */
export async function frameFromFile(
  file: Blob & { name?: string },
  slot: FrameSlot,
  opts: FileIngestOptions = {},
): Promise<IngestResult> {
  if (file.size > LIMITS.imageMaxBytes) {
    const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
    const { facts, violations } = checkImageBytes(head, file.size, slot);
    return { ok: false, violations, facts };
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const { facts, violations } = opts.encodedHere
    ? checkImageBytes(bytes, bytes.length, slot)
    : await checkImageFile(bytes, slot);
  if (violations.length) return { ok: false, violations, facts };
  return frameFromBytes(bytes, file.name || 'image', slot);
}

/** An http(s) address, or undefined. */
export function httpUrl(raw: string): string | undefined {
  const url = raw.trim();
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An http(s) URL. The request carries the URL itself; the studio checks it at once (POST /api/image-check:
 * the same fetch and rules as create), so an unreachable host or a rule it breaks is known before Generate.
 */
export async function frameFromUrl(raw: string, slot: FrameSlot): Promise<IngestResult> {
  const field = FRAME_FIELD[slot];
  const url = httpUrl(raw);
  if (!url)
    return {
      ok: false,
      violations: [
        {
          field,
          rule: 'image_url_scheme',
          message: `${fieldLabel(field)}: enter the http(s) address of a JPG or PNG image`,
        },
      ],
    };
  let answer: Awaited<ReturnType<typeof checkImageUrl>>;
  try {
    answer = await checkImageUrl(url, slot);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const violations = e.issues.length
      ? e.issues
      : [{ field, rule: e.code, message: `${fieldLabel(field)}: ${e.message}` }];
    return { ok: false, violations };
  }
  if (answer.thumbnail) rememberThumbnail(url, answer.thumbnail);
  if (answer.violations.length)
    return {
      ok: false,
      violations: answer.violations,
      ...(answer.facts ? { facts: answer.facts } : {}),
      ...(answer.thumbnail ? { thumbnail: answer.thumbnail } : {}),
    };
  return { ok: true, frame: { source: 'url', id: newId(), url, facts: answer.facts } };
}
