import { encodeBase64 } from '../../contract/images/base64.ts';
import { sniffImage } from '../../contract/images/sniff.ts';
import { pngImage } from '../../contract/testing/test-images.ts';
import { defaultDraft } from '../editor/default-draft.ts';
import type { Draft, FileFrame } from '../editor/draft-types.ts';
import { newId } from '../editor/ids.ts';

/** A draft for tests: defaults plus overrides. */
export function draftWith(over: Partial<Draft> = {}): Draft {
  return { ...defaultDraft(), ...over };
}

/**
 * A real, valid PNG frame of the given size, with the facts the frames feature would read from it
 * (built here from the contract, so shared test support does not depend on a feature).
 */
export function pngFrame(width = 640, height = 360, name = 'test.png'): FileFrame {
  const bytes = pngImage(width, height);
  return { source: 'file', id: newId(), name, base64: encodeBase64(bytes), facts: sniffImage(bytes) };
}
