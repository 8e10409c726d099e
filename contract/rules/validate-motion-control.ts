import { MODE_WORDS } from '../capabilities/matrix.ts';
import {
  DEFAULT_MOTION_CONTROL_MODEL,
  MOTION_CONTROL_MODELS,
  type MotionControlCapabilities,
} from '../capabilities/motion-control.ts';
import { hasDataPrefix, isHttpUrl } from '../images/base64.ts';
import type { ImageFacts } from '../images/sniff.ts';
import {
  isUploadRef,
  type MotionControlRequest,
  motionControlRequestSchema,
  strictMotionControlRequestSchema,
} from '../schemas/motion-control-request.ts';
import type { Violation } from '../schemas/studio-api.ts';
import type { VideoFacts } from '../video/container-header.ts';
import { fieldLabel } from './field-labels.ts';
import { checkImageField } from './image-field.ts';
import { imageFactRules } from './image-rules.ts';
import { retiredModelRules } from './model-retired.ts';
import { violationsFromZod } from './schema-issues.ts';
import { promptTextRules } from './text-rules.ts';
import { videoFactRules } from './video-rules.ts';

export interface MotionControlValidateOptions {
  /** Refuse keys Kling does not define (the studio API); Kling itself ignores them. */
  strictKeys?: boolean;
  /**
   * Who is asking. `kling`: `video_url` is any http(s) URL (the simulator). `studio`: an https URL or an
   * upload's `ref` (the studio's API and the browser), so the backend never fetches plain http for Kling.
   */
  audience?: 'kling' | 'studio';
  /** Facts of the files, when known: a URL's download, an upload, a file the browser holds. */
  facts?: { image_url?: ImageFacts; video_url?: VideoFacts; videoHead?: Uint8Array };
  /** Models the operator marked retired (RETIRED_MODELS): a request on one is refused before it costs. */
  retiredModels?: readonly string[];
}

export interface MotionControlValidation {
  request: MotionControlRequest | undefined;
  violations: Violation[];
}

const EMPTY_IMAGE: ImageFacts = { format: 'unknown', bytes: 0, width: 0, height: 0 };

/**
 * Every rule of Kling's motion-control create request, all violations at once: the browser runs it before
 * anything uploads or costs money, the backend again before sending, the simulator to answer as Kling does.
 */
export function validateMotionControl(
  input: unknown,
  opts: MotionControlValidateOptions = {},
): MotionControlValidation {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return {
      request: undefined,
      violations: [{ field: '', rule: 'type', message: 'The request body must be a JSON object' }],
    };
  const schema = opts.strictKeys ? strictMotionControlRequestSchema : motionControlRequestSchema;
  const parsed = schema.safeParse(input);
  if (parsed.success) {
    const violations = crossFieldRules(parsed.data, opts);
    return { request: violations.length ? undefined : parsed.data, violations };
  }
  // As for image2video: report the structural problems, then check what remains.
  const structural = violationsFromZod(parsed.error, input);
  const broken = new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')));
  const rest = Object.fromEntries(Object.entries(input).filter(([k]) => !broken.has(k)));
  const lenient = motionControlRequestSchema
    .partial({ image_url: true, video_url: true, character_orientation: true, mode: true })
    .safeParse(rest);
  const cross = lenient.success
    ? crossFieldRules(lenient.data as MotionControlRequest, opts, broken.has('model_name')).filter(
        (v) => !broken.has(v.field.split(/[.[]/)[0]!),
      )
    : [];
  return { request: undefined, violations: [...structural, ...cross] };
}

/**
 * `modelBroken`: the request names a model that does not exist. Its rules are then unknown, so the rules
 * that depend on the model wait; judging them by the default model would blame the wrong one.
 */
function crossFieldRules(
  r: MotionControlRequest,
  opts: MotionControlValidateOptions,
  modelBroken = false,
): Violation[] {
  const out: Violation[] = [];
  const add = (field: string, rule: string, msg: string) =>
    out.push({ field, rule, message: `${fieldLabel(field)}: ${msg}` });
  const model = r.model_name ?? DEFAULT_MOTION_CONTROL_MODEL;
  const caps: MotionControlCapabilities = MOTION_CONTROL_MODELS[model];
  const facts = opts.facts ?? {};
  if (!modelBroken) out.push(...retiredModelRules(model, opts.retiredModels));

  if (!modelBroken && r.mode !== undefined && !caps.modes.includes(r.mode))
    add(
      'mode',
      'mode_unsupported',
      `${caps.label} motion control offers ${caps.modes.map((m) => MODE_WORDS[m]).join(' and ')}, not ${MODE_WORDS[r.mode]}`,
    );

  const elements = r.element_list?.length ?? 0;
  if (elements > 0 && !modelBroken) {
    const takers = Object.entries(MOTION_CONTROL_MODELS as Record<string, MotionControlCapabilities>)
      .filter(([, c]) => c.elementsMax > 0)
      .map(([, c]) => c.label);
    if (caps.elementsMax === 0)
      add(
        'element_list',
        'feature_unsupported',
        `elements are not available on ${caps.label} motion control; they are available on ${takers.join(', ')} with "Match the video"`,
      );
    else {
      if (r.character_orientation !== undefined && r.character_orientation !== 'video')
        add(
          'element_list',
          'element_needs_video_orientation',
          'elements work only when the character follows the video ("Match the video", character_orientation "video")',
        );
      if (elements > caps.elementsMax)
        add(
          'element_list',
          'element_list_too_many',
          `${elements} elements given; at most ${caps.elementsMax} is allowed`,
        );
    }
  }

  // The character picture: the same encodings and image rules as image2video's start frame.
  if (r.image_url !== undefined) {
    if (r.image_url === '') out.push(...imageFactRules('image_url', EMPTY_IMAGE, 'frame'));
    else checkImageField('image_url', r.image_url, 'frame', facts.image_url, out);
  }

  // The reference video: a URL (or, on the studio's API, an upload), never base64.
  const video = r.video_url;
  if (video !== undefined) {
    const studio = opts.audience === 'studio';
    if (video === '') add('video_url', 'video_required', 'a reference video is required');
    else if (studio && isUploadRef(video)) {
      // An upload: its facts come from the backend's record (or the browser's file).
    } else if (!isHttpUrl(video))
      add(
        'video_url',
        'video_url_not_url',
        hasDataPrefix(video) || !/^[a-z][a-z0-9+.-]*:/i.test(video)
          ? 'must be the URL of an MP4 or MOV file; Kling takes no base64 video'
          : studio
            ? 'must be an https:// URL or an uploaded video'
            : 'must be an http(s) URL of an MP4 or MOV file',
      );
    else if (studio && !/^https:\/\//i.test(video))
      add(
        'video_url',
        'video_url_https',
        'must be an https:// URL or an uploaded video (plain http is refused)',
      );
    const vf = facts.video_url;
    if (vf && !out.some((v) => v.field === 'video_url'))
      out.push(...videoFactRules('video_url', vf, r.character_orientation, facts.videoHead));
  }

  if (r.prompt) out.push(...promptTextRules('prompt', r.prompt));
  return out;
}
