import type { Violation } from '../../../contract/schemas/studio-api.ts';
import type { FileFrame, FrameSlot } from '../../editor/draft-types.ts';
import { FRAME_FIELD } from './check-image.ts';
import { frameFromFile } from './ingest.ts';

/** Several pictures dropped or picked at once, each judged by the same rules as a single one. */
export interface DroppedPictures {
  /** In the order given, each a frame ready to be one task's start frame. */
  accepted: FileFrame[];
  /** The pictures the rules refused, by name (they are never sent). */
  refused: { name: string; violations: Violation[] }[];
}

/**
 * Checks dropped pictures one at a time (each is read and decoded once; twenty 10 MB files are never all
 * decoded at once). A URL frame cannot come from a file, so every accepted frame carries its bytes.
 */
export async function picturesFromFiles(files: readonly File[], slot: FrameSlot): Promise<DroppedPictures> {
  const out: DroppedPictures = { accepted: [], refused: [] };
  for (const file of files) {
    try {
      const r = await frameFromFile(file, slot);
      if (r.ok && r.frame.source === 'file') out.accepted.push(r.frame);
      else if (!r.ok) out.refused.push({ name: file.name, violations: r.violations });
    } catch {
      out.refused.push({
        name: file.name,
        violations: [
          { field: FRAME_FIELD[slot], rule: 'unreadable', message: 'The file could not be read.' },
        ],
      });
    }
  }
  return out;
}
