import sharp from 'sharp';
import { hasDataPrefix, isHttpUrl, isWellFormedBase64 } from '../../contract/images/base64.ts';
import { type ImageFacts, type ImageFormat, sniffImage } from '../../contract/images/sniff.ts';
import { LIMITS } from '../../contract/limits.ts';
import { fieldLabel } from '../../contract/rules/field-labels.ts';
import { type CreateRequest, imageFieldPaths } from '../../contract/schemas/create-request.ts';
import type { Violation } from '../../contract/schemas/studio-api.ts';

/**
 * Turns the request's image fields into real bytes and facts, as Kling must before it renders:
 * raw base64 is decoded, an http(s) URL is downloaded (Kling requires URLs to be "accessible").
 * The facts come from sharp reading the actual file, not from what the header claims, and are handed to
 * the contract's validateRequest so the same rules apply as in the browser and the backend.
 *
 * Values that are neither (a `data:` prefix, broken base64) are left to validateRequest to name.
 */
export interface LoadedImage {
  bytes: Buffer;
  facts: ImageFacts;
}

export interface ImageFetchOptions {
  /** Download budget per image; the cap is LIMITS.imageMaxBytes + 1 so "too large" is still detectable. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface LoadedImages {
  /** Keyed by field path: `image`, `image_tail`, `static_mask`, `dynamic_masks[0].mask`. */
  images: Map<string, LoadedImage>;
  /** Download failures, in Kling's 1201 sense ("the URL must be accessible"). */
  violations: Violation[];
}

const MAX_DOWNLOAD = LIMITS.imageMaxBytes + 1;

async function download(url: string, opts: ImageFetchOptions): Promise<Buffer> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const res = await fetch(url, { signal, redirect: 'follow' });
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status}`);
  }
  // Read at most the cap plus one byte: enough to prove "too large" without buffering a huge file.
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(Buffer.from(value));
    total += value.byteLength;
    if (total >= MAX_DOWNLOAD) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks, Math.min(total, MAX_DOWNLOAD));
}

const SHARP_FORMATS: Record<string, ImageFormat> = {
  png: 'png',
  jpeg: 'jpeg',
  jpg: 'jpeg',
  gif: 'gif',
  webp: 'webp',
  svg: 'svg',
};

/** Facts from the real bytes. A file over the cap is only sniffed (its header is enough to refuse it). */
export async function factsOf(bytes: Buffer): Promise<ImageFacts> {
  if (bytes.length === 0) return { format: 'unknown', bytes: 0, width: 0, height: 0 };
  const sniffed = sniffImage(bytes.subarray(0, 1024 * 1024), bytes.length);
  if (bytes.length > LIMITS.imageMaxBytes) return sniffed;
  try {
    const meta = await sharp(bytes).metadata();
    return {
      format: SHARP_FORMATS[meta.format ?? ''] ?? 'unknown',
      bytes: bytes.length,
      width: meta.width ?? 0,
      height: meta.height ?? 0,
    };
  } catch {
    // sharp cannot read it: a damaged file. Keep the sniffed format so the message says what it claims to be.
    return { format: sniffed.format, bytes: bytes.length, width: 0, height: 0 };
  }
}

/** A download failure in a few words: `HTTP 404`, `timed out after 10 s`, `connect ECONNREFUSED …`. */
export function describeError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return `timed out after ${Math.round(timeoutMs / 100) / 10} s`;
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    return err.message;
  }
  return String(err);
}

/**
 * One image field's value as bytes and facts: a URL is downloaded, raw base64 decoded. Undefined for a
 * value that is neither (validateRequest / validateMotionControl name those).
 */
export async function loadImage(
  path: string,
  value: string,
  opts: ImageFetchOptions,
): Promise<{ image: LoadedImage } | { violation: Violation } | undefined> {
  let bytes: Buffer;
  if (isHttpUrl(value)) {
    try {
      bytes = await download(value, opts);
    } catch (err) {
      return {
        violation: {
          field: path,
          rule: 'image_unreachable',
          message: `${fieldLabel(path)}: the URL could not be downloaded (${describeError(err, opts.timeoutMs)})`,
        },
      };
    }
  } else if (!hasDataPrefix(value) && isWellFormedBase64(value)) {
    bytes = Buffer.from(value, 'base64');
  } else return undefined;
  return { image: { bytes, facts: await factsOf(bytes) } };
}

export async function loadImages(req: CreateRequest, opts: ImageFetchOptions): Promise<LoadedImages> {
  const images = new Map<string, LoadedImage>();
  const violations: Violation[] = [];
  await Promise.all(
    imageFieldPaths(req).map(async ({ path, value }) => {
      const loaded = await loadImage(path, value, opts);
      if (loaded && 'violation' in loaded) violations.push(loaded.violation);
      else if (loaded) images.set(path, loaded.image);
    }),
  );
  return { images, violations };
}
