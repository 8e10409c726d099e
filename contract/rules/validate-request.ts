import {
  DEFAULT_DURATION,
  DEFAULT_MODEL,
  describeSetup,
  describeSetups,
  FEATURE_LABELS,
  type Feature,
  MODE_WORDS,
  MODEL_NAMES,
  MODELS,
  type Mode,
  type ModelCapabilities,
  setupsSupporting,
  variantOf,
} from '../capabilities/matrix.ts';
import type { ImageFacts } from '../images/sniff.ts';
import { LIMITS } from '../limits.ts';
import {
  CAMERA_AXES,
  type CreateRequest,
  createRequestSchema,
  imageFieldPaths,
  strictCreateRequestSchema,
} from '../schemas/create-request.ts';
import type { Violation } from '../schemas/studio-api.ts';
import { fieldLabel } from './field-labels.ts';
import { checkImageField } from './image-field.ts';
import { imageFactRules, maskRules } from './image-rules.ts';
import { retiredModelRules } from './model-retired.ts';
import { violationsFromZod } from './schema-issues.ts';
import { storyboardRules } from './storyboard-rules.ts';
import { promptTextRules } from './text-rules.ts';

export interface ValidateOptions {
  /** Refuse keys Kling does not define (the studio API); Kling itself ignores them. */
  strictKeys?: boolean;
  /**
   * Facts about images given as URLs (or known better than the header says), keyed by field path
   * (`image`, `image_tail`, `static_mask`, `dynamic_masks[0].mask`). Base64 images are sniffed here.
   */
  facts?: Record<string, ImageFacts | undefined>;
  /** Models the operator marked retired (RETIRED_MODELS): a request on one is refused before it costs. */
  retiredModels?: readonly string[];
}

export interface ValidationResult {
  /** The parsed request when there are no violations. */
  request: CreateRequest | undefined;
  violations: Violation[];
}

/**
 * Rules that Kling applies after accepting a task (the task then ends `failed`), rather than at create.
 * The studio refuses them up front; the simulator uses this list to fail them later, as Kling does.
 */
export const ASYNC_RULES: ReadonlySet<string> = new Set(['mask_aspect', 'mask_resolution']);

/**
 * Every rule of Kling's image2video create request, all violations at once. The browser runs it before
 * submit, the backend before anything costs money, the simulator to answer as Kling does.
 */
export function validateRequest(input: unknown, opts: ValidateOptions = {}): ValidationResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return {
      request: undefined,
      violations: [{ field: '', rule: 'type', message: 'The request body must be a JSON object' }],
    };
  const schema = opts.strictKeys ? strictCreateRequestSchema : createRequestSchema;
  const parsed = schema.safeParse(input);
  if (parsed.success) {
    const violations = [
      ...retiredModelRules(parsed.data.model_name ?? DEFAULT_MODEL, opts.retiredModels),
      ...crossFieldRules(parsed.data, opts.facts ?? {}),
    ];
    return { request: violations.length ? undefined : parsed.data, violations };
  }
  // Report the structural problems, and still check the rest: drop the broken top-level fields and
  // run the cross-field rules on what remains, so the creator sees every problem at once.
  const structural = violationsFromZod(parsed.error, input);
  const broken = new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')));
  const rest = Object.fromEntries(Object.entries(input).filter(([k]) => !broken.has(k)));
  const reparsed = createRequestSchema.safeParse(rest);
  const cross = reparsed.success
    ? [
        ...(broken.has('model_name')
          ? []
          : retiredModelRules(reparsed.data.model_name ?? DEFAULT_MODEL, opts.retiredModels)),
        ...crossFieldRules(reparsed.data, opts.facts ?? {}, broken).filter(
          (v) => !broken.has(v.field.split(/[.[]/)[0]!),
        ),
      ]
    : [];
  return { request: undefined, violations: [...structural, ...cross] };
}

/**
 * Rules judged by the model's capabilities. When `model_name` names no model, its rules are unknown, so
 * these wait (judging them by the default model would blame kling-v1 for what the creator never asked of it).
 */
const MODEL_RULES: ReadonlySet<string> = new Set([
  'mode_unsupported',
  'duration_unsupported',
  'feature_unsupported',
  'camera_type_unsupported',
  'cfg_scale_unsupported',
]);

const FEATURE_FIELDS: Record<'endFrame' | 'motionBrush' | 'camera', string> = {
  endFrame: 'image_tail',
  motionBrush: 'dynamic_masks',
  camera: 'camera_control',
};

function featureField(r: CreateRequest, f: keyof typeof FEATURE_FIELDS): string {
  if (f === 'motionBrush' && !r.dynamic_masks?.length) return 'static_mask';
  return FEATURE_FIELDS[f];
}

/** "5 or 10 s", "3–15 s". */
function durationsText(ds: readonly string[]): string {
  const n = ds.map(Number);
  const contiguous = n.every((v, i) => i === 0 || v === n[i - 1]! + 1);
  return contiguous && n.length > 2 ? `${n[0]}–${n[n.length - 1]} s` : `${ds.join(' or ')} s`;
}

function unsupported(field: string, feature: Feature, setupText: string): Violation {
  const where = describeSetups(setupsSupporting(feature));
  const hint = where.length ? `; it is available on ${where.join(', ')}` : '';
  return {
    field,
    rule: 'feature_unsupported',
    message: `${fieldLabel(field)}: ${FEATURE_LABELS[feature]} is not available on ${setupText}${hint}`,
  };
}

/** What an empty base64 string decodes to: a file of no bytes. */
const EMPTY_FILE: ImageFacts = { format: 'unknown', bytes: 0, width: 0, height: 0 };

function crossFieldRules(
  r: CreateRequest,
  givenFacts: Record<string, ImageFacts | undefined>,
  broken: ReadonlySet<string> = new Set(),
): Violation[] {
  const out = modelRules(r, givenFacts, broken);
  return broken.has('model_name') ? out.filter((v) => !MODEL_RULES.has(v.rule)) : out;
}

function modelRules(
  r: CreateRequest,
  givenFacts: Record<string, ImageFacts | undefined>,
  broken: ReadonlySet<string>,
): Violation[] {
  const out: Violation[] = [];
  const add = (field: string, rule: string, msg: string) =>
    out.push({ field, rule, message: `${fieldLabel(field)}: ${msg}` });

  const model = r.model_name ?? DEFAULT_MODEL;
  const caps: ModelCapabilities = MODELS[model];
  const duration = r.duration ?? DEFAULT_DURATION;
  if (caps.modes.length === 0 && r.mode !== undefined)
    add('mode', 'mode_unsupported', `${caps.label} takes no mode; leave mode out`);
  else if (r.mode !== undefined && !caps.modes.includes(r.mode)) {
    const takers = MODEL_NAMES.filter((m) => (MODELS[m] as ModelCapabilities).modes.includes(r.mode!));
    const words = (m: Mode) => MODE_WORDS[m];
    add(
      'mode',
      'mode_unsupported',
      `${caps.label} offers ${caps.modes.map(words).join(' and ')}, not ${words(r.mode)}; ${words(r.mode)} is available on ${takers.map((m) => MODELS[m].label).join(', ')}`,
    );
  }
  if (!caps.durations.includes(duration))
    add(
      'duration',
      'duration_unsupported',
      `${caps.label} does not offer ${duration} s (it offers ${durationsText(caps.durations)})`,
    );
  const variant = variantOf(model, r.mode, duration);
  const setupText = describeSetup({
    model,
    mode: caps.modes.length ? (r.mode ?? 'std') : undefined,
    duration,
  });

  // Frames. An empty string is an empty file, not a missing frame: it is refused as the browser refuses
  // an empty file, and never forwarded to Kling as `image_tail: ""`.
  if (r.image === undefined && !r.image_tail) add('image', 'image_required', 'a start frame is required');
  else if (r.image === undefined) add('image', 'image_tail_needs_image', 'an end frame needs a start frame');
  for (const field of ['image', 'image_tail'] as const)
    if (r[field] === '') out.push(...imageFactRules(field, EMPTY_FILE, 'frame'));

  // The three motion features are mutually exclusive (seed "Feature Conflicts").
  const active = (['endFrame', 'motionBrush', 'camera'] as const).filter((f) =>
    f === 'endFrame'
      ? !!r.image_tail
      : f === 'motionBrush'
        ? !!r.static_mask || (r.dynamic_masks?.length ?? 0) > 0
        : !!r.camera_control,
  );
  for (const f of active.slice(1))
    add(
      featureField(r, f),
      'exclusive_features',
      `start & end frames, motion brush and camera control cannot be combined (this request sets ${active
        .map((a) => FEATURE_LABELS[a])
        .join(' and ')})`,
    );
  for (const f of active) {
    const field = featureField(r, f);
    if (f === 'camera') {
      if (variant.camera.length === 0) out.push(unsupported(field, 'camera', setupText));
      else if (r.camera_control && !variant.camera.includes(r.camera_control.type))
        add(
          'camera_control.type',
          'camera_type_unsupported',
          `${setupText} supports only ${variant.camera.join(', ')} camera moves (got ${r.camera_control.type})`,
        );
    } else if (!variant[f]) out.push(unsupported(field, f, setupText));
  }

  // Camera config shape, whatever the model.
  const cam = r.camera_control;
  if (cam?.type === 'simple') {
    if (!cam.config)
      add('camera_control.config', 'camera_config_required', 'a simple camera move needs a config');
    else {
      const nonZero = CAMERA_AXES.filter((a) => cam.config![a] !== 0);
      if (nonZero.length !== 1)
        add(
          'camera_control.config',
          'camera_one_axis',
          nonZero.length === 0
            ? 'exactly one axis must be non-zero, and all are 0'
            : `exactly one axis must be non-zero, but ${nonZero.join(' and ')} are set`,
        );
    }
  } else if (cam?.config)
    add('camera_control.config', 'camera_config_forbidden', `a ${cam.type} camera move takes no config`);

  // cfg_scale, sound and voices.
  if (r.cfg_scale !== undefined && !caps.cfgScale)
    add(
      'cfg_scale',
      'cfg_scale_unsupported',
      `${caps.label} does not take it (Kling 2.x and newer models ignore it)`,
    );
  if (r.sound === 'on') {
    if (!variant.sound) out.push(unsupported('sound', 'sound', setupText));
    else if (r.image_tail)
      add(
        'sound',
        'sound_with_end_frame',
        'Kling renders start & end frame videos without sound; turn sound off',
      );
  }
  const voices = r.voice_list?.length ?? 0;
  if (voices > 0) {
    if (!variant.voice) out.push(unsupported('voice_list', 'voice', setupText));
    else if (r.sound !== 'on') add('voice_list', 'voice_needs_sound', 'voices need sound set to on');
  }
  for (const field of ['prompt', 'negative_prompt'] as const) {
    const text = r[field];
    if (text) out.push(...promptTextRules(field, text));
  }
  for (const m of (r.prompt ?? '').matchAll(/<<<voice_(\d+)>>>/g)) {
    const n = Number(m[1]);
    if (n < 1 || n > voices)
      add(
        'prompt',
        'voice_reference_missing',
        `${m[0]} refers to voice ${n}, but ${voices === 0 ? 'no voice is' : `only ${voices} voice${voices > 1 ? 's are' : ' is'}`} set`,
      );
  }

  // A duration that is not one of Kling's ("16") is unknown: the shots cannot be summed against it.
  out.push(...storyboardRules(r, variant, setupText, broken.has('duration') ? undefined : duration));
  const elements = r.element_list?.length ?? 0;
  if (elements > 0) {
    if (!variant.elements) out.push(unsupported('element_list', 'elements', setupText));
    else if (elements > LIMITS.elementsMax)
      add(
        'element_list',
        'element_list_too_many',
        `${elements} elements given; at most ${LIMITS.elementsMax} are allowed`,
      );
    if (voices > 0)
      add(
        'element_list',
        'elements_with_voices',
        'elements and voices cannot be combined (Kling takes one or the other); remove the voices or the elements',
      );
  }

  // Encodings and image facts.
  const facts: Record<string, ImageFacts | undefined> = {};
  for (const { path, value, kind } of imageFieldPaths(r))
    facts[path] = checkImageField(path, value, kind, givenFacts[path], out);
  const maskFields = [
    ...(r.static_mask ? ['static_mask'] : []),
    ...(r.dynamic_masks ?? []).map((_, i) => `dynamic_masks[${i}].mask`),
  ];
  out.push(
    ...maskRules(
      facts.image,
      maskFields.map((field) => ({ field, facts: facts[field] })),
    ),
  );

  // Trajectories inside the start frame (API space: 0..width, 0..height).
  const img = facts.image && facts.image.width > 0 ? facts.image : undefined;
  r.dynamic_masks?.forEach((m, i) => {
    const bad = m.trajectories.findIndex(
      (p) => p.x < 0 || p.y < 0 || (img !== undefined && (p.x > img.width || p.y > img.height)),
    );
    const p = m.trajectories[bad];
    if (p)
      add(
        `dynamic_masks[${i}].trajectories`,
        'trajectory_out_of_image',
        `point ${bad + 1} (${p.x}, ${p.y}) lies outside the start frame${img ? ` (0..${img.width}, 0..${img.height})` : ''}`,
      );
  });
  return out;
}
