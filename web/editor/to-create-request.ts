import { MODELS, type ModelCapabilities, variantOf } from '../../contract/capabilities/matrix.ts';
import type { ImageFacts } from '../../contract/images/sniff.ts';
import type { CreateRequest, MotionBrushFields } from '../../contract/schemas/create-request.ts';
import type { Draft, Frame } from './draft-types.ts';
import { storyboardFields } from './storyboard.ts';

function frameValue(f: Frame): string {
  return f.source === 'file' ? f.base64 : f.url;
}

/**
 * The create request the draft stands for, with Kling's field names. Only the active motion tab is
 * submitted (the API makes the three exclusive); the other tabs keep their work in the draft.
 * Fields the creator set but the model cannot take are still sent, so validateRequest names them
 * instead of the studio dropping the creator's intent silently — except where Kling has a default
 * that costs nothing to omit (sound off, cfg_scale on models that refuse it).
 */
export function toCreateRequest(d: Draft, brush?: MotionBrushFields): CreateRequest {
  const caps: ModelCapabilities = MODELS[d.model];
  const variant = variantOf(d.model, d.mode, d.duration);
  const req: CreateRequest = { model_name: d.model };
  if (caps.modes.length > 0) req.mode = d.mode;
  req.duration = d.duration;
  if (d.frames.start) req.image = frameValue(d.frames.start);
  if (d.motionTab === 'frames' && d.frames.end) req.image_tail = frameValue(d.frames.end);
  if (d.prompt.trim()) req.prompt = d.prompt;
  if (d.negativePrompt.trim()) req.negative_prompt = d.negativePrompt;
  if (caps.cfgScale) req.cfg_scale = d.cfgScale;
  if (variant.sound || d.sound === 'on') req.sound = d.sound;
  if (d.voices.length > 0) req.voice_list = d.voices.map((v) => ({ voice_id: v.trim() }));
  if (d.motionTab === 'camera')
    req.camera_control =
      d.camera.type === 'simple'
        ? { type: 'simple', config: { ...d.camera.config } }
        : { type: d.camera.type };
  Object.assign(req, storyboardFields(d.storyboard));
  if (d.motionTab === 'brush' && brush) {
    if (brush.static_mask) req.static_mask = brush.static_mask;
    if (brush.dynamic_masks?.length) req.dynamic_masks = brush.dynamic_masks;
  }
  return req;
}

/**
 * What the browser already knows about the frames, so validateRequest need not sniff megabytes of
 * base64 again on every keystroke (and can check URL frames the browser managed to read).
 */
export function draftFacts(d: Draft): Record<string, ImageFacts | undefined> {
  return {
    image: d.frames.start?.facts ?? undefined,
    image_tail: d.motionTab === 'frames' ? (d.frames.end?.facts ?? undefined) : undefined,
  };
}
