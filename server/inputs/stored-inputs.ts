import { z } from 'zod';
import { inputImageSchema, referenceVideoSchema } from '../../contract/schemas/studio-api.ts';

/** One stored input image: a file in DATA_DIR/inputs/<task id>/, plus where it came from. */
export const storedImageSchema = inputImageSchema.omit({ url: true }).extend({
  /** File name inside the task's inputs folder. */
  file: z.string(),
  /** The creator's URL when `source` is `url` (a remix sends the same URL again). */
  sourceUrl: z.string().optional(),
});
export type StoredImage = z.infer<typeof storedImageSchema>;

/** Keyed by field path: `image`, `image_tail`, `static_mask`, `dynamic_masks[0].mask`. */
export const storedInputsSchema = z.record(z.string(), storedImageSchema);
export type StoredInputs = z.infer<typeof storedInputsSchema>;

/**
 * A motion-control task's reference video, kept with its inputs (DATA_DIR/inputs/<task id>/<file>) so the
 * task can show and remix it after the upload it came from has expired.
 */
export const storedReferenceSchema = referenceVideoSchema.omit({ url: true }).extend({
  file: z.string(),
  hasAudio: z.boolean(),
  /** The upload it came from (`source: 'upload'`); a remix reuses it while it still exists. */
  uploadId: z.string().optional(),
  /** The creator's https URL (`source: 'url'`). */
  sourceUrl: z.string().optional(),
});
export type StoredReference = z.infer<typeof storedReferenceSchema>;
