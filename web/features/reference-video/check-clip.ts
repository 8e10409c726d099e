import { videoFactRules } from '../../../contract/rules/video-rules.ts';
import type { Violation } from '../../../contract/schemas/studio-api.ts';
import {
  type ByteSource,
  readVideoFacts,
  type VideoFacts,
} from '../../../contract/video/container-header.ts';
import { CLIP_FIELD } from './clip-field.ts';

/** Enough leading bytes for the contract to say what a refused file really is ("a PNG image"). */
const HEAD_BYTES = 512;

/** A File (or any Blob) as the contract's box reader reads it: only the boxes it asks for, never the frames. */
export function blobSource(blob: Blob): ByteSource {
  return {
    size: blob.size,
    read: async (offset, length) =>
      new Uint8Array(await blob.slice(offset, Math.min(blob.size, offset + length)).arrayBuffer()),
  };
}

export interface ClipCheck {
  facts: VideoFacts;
  /** The contract's reference-video rules, in the words the backend uses. */
  violations: Violation[];
}

/**
 * Judges a picked clip by its bytes (never its name or MIME type) before anything uploads. The length is
 * checked against the longest any orientation allows: a clip only "Match the video" takes is still
 * uploaded, and the tab then says which orientation it needs.
 */
export async function checkClip(blob: Blob): Promise<ClipCheck> {
  const source = blobSource(blob);
  const facts = await readVideoFacts(source);
  const head = facts.format === 'unknown' ? await source.read(0, HEAD_BYTES) : undefined;
  return { facts, violations: videoFactRules(CLIP_FIELD, facts, undefined, head) };
}
