import { rm } from 'node:fs/promises';
import type { ImageFacts } from '../../contract/images/sniff.ts';
import { validateMotionControl } from '../../contract/rules/validate-motion-control.ts';
import type { MotionControlRequest } from '../../contract/schemas/motion-control-request.ts';
import type { Violation } from '../../contract/schemas/studio-api.ts';
import type { VideoFacts } from '../../contract/video/container-header.ts';
import { loadImage } from './image-input.ts';
import { type FetchedReference, fetchReferenceVideo } from './video-input.ts';

/**
 * A motion-control create checked as Kling checks it: the contract's rules, first on the body alone (a
 * broken request downloads nothing), then again with the facts of the real files — the character picture
 * (decoded or downloaded) and the reference video (downloaded to the data dir, read from its header).
 */
export type MotionControlCheck =
  | { ok: false; violations: Violation[] }
  | {
      ok: true;
      request: MotionControlRequest;
      image: Buffer;
      /** Downloaded; the caller owns the file from here (deletes it when the task ends). */
      reference: FetchedReference;
    };

export interface MotionControlCheckOptions {
  /** Per download (the picture, the video), as for image2video's URL inputs. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Where the reference is downloaded to. */
  referencesDir: string;
}

export async function motionControlCheck(
  body: unknown,
  opts: MotionControlCheckOptions,
): Promise<MotionControlCheck> {
  const first = validateMotionControl(body, { audience: 'kling' });
  if (!first.request) return { ok: false, violations: first.violations };
  const req = first.request;

  const [picture, video] = await Promise.all([
    loadImage('image_url', req.image_url, opts),
    fetchReferenceVideo('video_url', req.video_url, {
      dir: opts.referencesDir,
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
    }),
  ]);
  const fetchViolations: Violation[] = [];
  const facts: { image_url?: ImageFacts; video_url?: VideoFacts; videoHead?: Uint8Array } = {};
  if (picture && 'violation' in picture) fetchViolations.push(picture.violation);
  else if (picture) facts.image_url = picture.image.facts;
  if ('violation' in video) fetchViolations.push(video.violation);
  else {
    facts.video_url = video.reference.facts;
    facts.videoHead = video.reference.head;
  }

  const second = validateMotionControl(body, { audience: 'kling', facts });
  const violations = [...fetchViolations, ...second.violations];
  if (violations.length > 0 || !picture || 'violation' in picture || 'violation' in video) {
    if ('reference' in video) await rm(video.reference.file, { force: true });
    return { ok: false, violations };
  }
  return { ok: true, request: req, image: picture.image.bytes, reference: video.reference };
}
