import type { ImageFacts } from '../../contract/images/sniff.ts';
import type { MotionControlRequest } from '../../contract/schemas/motion-control-request.ts';
import type { VideoFacts } from '../../contract/video/container-header.ts';
import type { Draft, Frame, ReferenceClip } from './draft-types.ts';

function frameValue(f: Frame): string {
  return f.source === 'file' ? f.base64 : f.url;
}

/**
 * The body of the studio's `POST /api/motion-control` the draft stands for, with Kling's field names: the
 * start frame is the character picture, the uploaded clip's `ref` the reference video. Nothing of the
 * image-to-video tabs goes along (end frame, masks, camera, duration, negative prompt, cfg_scale,
 * voices): motion control has no such fields. An empty `image_url`/`video_url` stands for "not added yet",
 * so the contract names what is missing in its own words.
 */
export function toMotionControlRequest(d: Draft, externalTaskId?: string): MotionControlRequest {
  const r = d.reference;
  const req: MotionControlRequest = {
    model_name: r.model,
    mode: r.mode,
    image_url: d.frames.start ? frameValue(d.frames.start) : '',
    video_url: r.clip?.upload.ref ?? '',
    character_orientation: r.orientation,
    keep_original_sound: r.keepSound,
  };
  if (d.prompt.trim()) req.prompt = d.prompt;
  if (externalTaskId) req.external_task_id = externalTaskId;
  return req;
}

/** The clip's facts as the contract's video rules read them (the backend measured all but the audio). */
export function clipFacts(clip: ReferenceClip): VideoFacts {
  const { format, bytes, width, height, durationMs } = clip.upload;
  return { format, bytes, width, height, durationMs, hasAudio: clip.hasAudio };
}

/** What the browser already knows about the picture and the clip, for validateMotionControl. */
export function motionControlFacts(d: Draft): { image_url?: ImageFacts; video_url?: VideoFacts } {
  return {
    image_url: d.frames.start?.facts ?? undefined,
    video_url: d.reference.clip ? clipFacts(d.reference.clip) : undefined,
  };
}
