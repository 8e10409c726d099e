import { z } from 'zod';
import { inputImageSchema } from '../../contract/schemas/studio-api.ts';

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
