import { fieldLabel } from '../../contract/rules/field-labels.ts';
import { validateMotionControl } from '../../contract/rules/validate-motion-control.ts';
import type { MotionControlRequest } from '../../contract/schemas/motion-control-request.ts';
import type { Violation } from '../../contract/schemas/studio-api.ts';
import type { FileStorage } from '../files/file-storage.ts';
import type { FileFetchOptions, SafeFetchOptions } from '../lib/safe-fetch.ts';
import { validationError } from '../lib/studio-error.ts';
import { assertImagesIntact } from './check-create-request.ts';
import { type CollectedImage, collectImages, motionControlImageFieldsOf } from './collect-images.ts';
import { type CollectedReference, collectReference, type ReferenceUploads } from './reference-video.ts';

/**
 * POST /api/motion-control's gate, as checkCreateRequest is POST /api/tasks': the character picture and
 * the reference video are read for real (the picture decoded and checked whole, the video's boxes read
 * from the upload or the downloaded URL), then the shared rules run with those facts, strict keys and the
 * studio's audience (https or an upload only). Throws a 400 with every violation; on any refusal a
 * download is removed again. On success the caller owns `reference` (keep it or release it).
 */
export async function checkMotionControlRequest(
  body: unknown,
  opts: {
    imageFetch: Omit<SafeFetchOptions, 'maxBytes'>;
    videoFetch: Omit<FileFetchOptions, 'maxBytes'>;
    uploads: ReferenceUploads;
    /** False when Kling could not download an upload from the studio (no PUBLIC_URL, real Kling). */
    uploadsReachable: boolean;
    files: FileStorage;
    /** RETIRED_MODELS: refused with the other violations, before anything is stored or sent. */
    retiredModels?: readonly string[];
  },
): Promise<{ request: MotionControlRequest; images: CollectedImage[]; reference: CollectedReference }> {
  const [picture, video] = await Promise.all([
    collectImages(body, opts.imageFetch, motionControlImageFieldsOf, { checkEarly: true }),
    collectReference(body, {
      uploads: opts.uploads,
      uploadsReachable: opts.uploadsReachable,
      files: opts.files,
      fetch: opts.videoFetch,
    }),
  ]);
  const reference = video.reference;
  try {
    const image = picture.images.find((i) => i.field === 'image_url');
    const result = validateMotionControl(body, {
      strictKeys: true,
      audience: 'studio',
      ...(opts.retiredModels ? { retiredModels: opts.retiredModels } : {}),
      facts: {
        ...(image ? { image_url: image.facts } : {}),
        ...(reference ? { video_url: reference.facts } : {}),
        ...(reference?.head ? { videoHead: reference.head } : {}),
      },
    });
    const ruleFields = new Set(result.violations.map((v) => v.field));
    // A field the rules already refused needs no second message about the same bytes; an unreachable URL
    // or a missing upload is said whatever else is wrong with the field.
    const always = new Set([
      'image_url_unusable',
      'video_url_unusable',
      'upload_missing',
      'public_url_required',
    ]);
    const fetched = [...picture.violations, ...video.violations];
    const violations: Violation[] = [
      ...result.violations,
      ...fetched.filter((v) => !ruleFields.has(v.field) || always.has(v.rule)),
    ];
    if (violations.length || !result.request || !reference) {
      // The rules name a missing or malformed video_url; this covers only the impossible rest.
      if (!violations.length)
        violations.push({
          field: 'video_url',
          rule: 'video_required',
          message: `${fieldLabel('video_url')}: a reference video is required`,
        });
      throw validationError(violations);
    }
    await assertImagesIntact(picture.images);
    return { request: result.request, images: picture.images, reference };
  } catch (e) {
    await reference?.release();
    throw e;
  }
}
