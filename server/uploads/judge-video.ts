import { type FileHandle, open } from 'node:fs/promises';
import { videoFactRules } from '../../contract/rules/video-rules.ts';
import { type ByteSource, readVideoFacts, type VideoFacts } from '../../contract/video/container-header.ts';
import { validationError } from '../lib/studio-error.ts';
import { UPLOAD_FIELD } from './upload-receiver.ts';

/** Random access to a file through an open handle: the box reader reads headers only, never the frames. */
export function fileByteSource(fh: FileHandle, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const { bytesRead } = await fh.read(buf, got, n - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buf.subarray(0, got);
    },
  };
}

export type StoredVideoFacts = VideoFacts & { format: 'mp4' | 'mov' };

/**
 * The facts of a received file, judged by the same rules the browser and the create apply. No orientation
 * is known yet, so the longest clip any orientation allows passes; the create judges it again with the
 * creator's choice. Throws a 400 with every violation.
 */
export async function judgeStoredVideo(path: string, head: Uint8Array): Promise<StoredVideoFacts> {
  const fh = await open(path, 'r');
  let facts: VideoFacts;
  try {
    facts = await readVideoFacts(fileByteSource(fh, (await fh.stat()).size));
  } finally {
    await fh.close();
  }
  const violations = videoFactRules(UPLOAD_FIELD, facts, undefined, head);
  if (violations.length || facts.format === 'unknown') throw validationError(violations);
  return facts as StoredVideoFacts;
}
