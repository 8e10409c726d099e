import { defaultDraft } from '../editor/default-draft.ts';
import type { Draft, FileFrame } from '../editor/draft-types.ts';
import { frameFromBytes } from '../features/frames/ingest.ts';
import { encodePng } from './png.ts';

/** A draft for tests: defaults plus overrides. */
export function draftWith(over: Partial<Draft> = {}): Draft {
  return { ...defaultDraft(), ...over };
}

/** A real, valid PNG frame of the given size. */
export function pngFrame(width = 640, height = 360, name = 'test.png'): FileFrame {
  const r = frameFromBytes(encodePng(width, height), name, 'start');
  if (!r.ok || r.frame.source !== 'file') throw new Error('test frame was refused');
  return r.frame;
}
