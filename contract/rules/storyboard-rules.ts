import type { Duration, Variant } from '../capabilities/matrix.ts';
import { describeSetups, FEATURE_LABELS, setupsSupporting } from '../capabilities/matrix.ts';
import { LIMITS } from '../limits.ts';
import type { CreateRequest } from '../schemas/create-request.ts';
import type { Violation } from '../schemas/studio-api.ts';
import { fieldLabel } from './field-labels.ts';
import { promptTextRules } from './text-rules.ts';

/**
 * kling-v3's multi-shot fields (kling-api.md §2, kling-2026.md §1): `multi_shot` needs a model that takes
 * it and a `shot_type`; `customize` needs 1–6 shots, indexed 1…n in order, each with a prompt of at most 512
 * characters and at least 1 whole second, together exactly the task's duration; `intelligence` needs the
 * top-level prompt (Kling plans the shots from it). Shot fields without `multi_shot` are refused: Kling
 * would silently ignore them, and the creator would pay for a video that is not the storyboard they made.
 */
export function storyboardRules(
  r: CreateRequest,
  variant: Variant,
  setupText: string,
  /** The task's duration; undefined when the request's is not a valid one (the sum is then not judged). */
  duration: Duration | undefined,
): Violation[] {
  const out: Violation[] = [];
  const add = (field: string, rule: string, msg: string) =>
    out.push({ field, rule, message: `${fieldLabel(field)}: ${msg}` });

  if (r.multi_shot !== true) {
    if (r.shot_type !== undefined)
      add('shot_type', 'needs_multi_shot', 'a shot type needs multi_shot set to true');
    if (r.multi_prompt !== undefined)
      add(
        'multi_prompt',
        'needs_multi_shot',
        'shots need multi_shot set to true (without it Kling ignores them)',
      );
    return out;
  }
  if (!variant.multiShot) {
    const where = describeSetups(setupsSupporting('multiShot'));
    add(
      'multi_shot',
      'feature_unsupported',
      `${FEATURE_LABELS.multiShot} are not available on ${setupText}${where.length ? `; they are available on ${where.join(', ')}` : ''}`,
    );
    return out;
  }
  if (r.shot_type === undefined) {
    add(
      'shot_type',
      'shot_type_required',
      'choose customize (your own shots) or intelligence (Kling plans them)',
    );
    return out;
  }
  if (r.shot_type === 'intelligence') {
    if (!r.prompt?.trim())
      add(
        'prompt',
        'prompt_required',
        'a prompt is required when Kling plans the shots (shot_type intelligence)',
      );
    if (r.multi_prompt !== undefined)
      add(
        'multi_prompt',
        'shots_with_intelligence',
        'leave the shots out when Kling plans them (shot_type intelligence)',
      );
    return out;
  }

  const shots = r.multi_prompt ?? [];
  if (shots.length === 0) {
    add('multi_prompt', 'multi_prompt_required', 'a customized storyboard needs at least one shot');
    return out;
  }
  if (shots.length > LIMITS.shotsMax)
    add(
      'multi_prompt',
      'multi_prompt_too_many',
      `${shots.length} shots given; at most ${LIMITS.shotsMax} are allowed`,
    );
  let sum = 0;
  let sumKnown = true;
  shots.forEach((shot, i) => {
    const at = `multi_prompt[${i}]`;
    if (shot.index !== i + 1)
      add(
        `${at}.index`,
        'shot_index_order',
        `must be ${i + 1} (shots are numbered 1…${shots.length} in order), not ${shot.index}`,
      );
    if (!shot.prompt.trim()) add(`${at}.prompt`, 'shot_prompt_required', 'every shot needs a prompt');
    else if (shot.prompt.length > LIMITS.shotPromptMaxChars)
      add(
        `${at}.prompt`,
        'shot_prompt_too_long',
        `${shot.prompt.length} characters is over the ${LIMITS.shotPromptMaxChars}-character limit`,
      );
    else out.push(...promptTextRules(`${at}.prompt`, shot.prompt));
    const seconds = /^\d+$/.test(shot.duration) ? Number(shot.duration) : Number.NaN;
    if (!Number.isInteger(seconds)) {
      sumKnown = false;
      add(
        `${at}.duration`,
        'shot_duration_whole',
        `must be a whole number of seconds as text ("4"), not ${JSON.stringify(shot.duration)}`,
      );
    } else if (seconds < LIMITS.shotMinSeconds) {
      sumKnown = false;
      add(`${at}.duration`, 'shot_duration_min', `must be at least ${LIMITS.shotMinSeconds} s`);
    } else sum += seconds;
  });
  const total = Number(duration);
  if (sumKnown && duration !== undefined && sum !== total)
    add(
      'multi_prompt',
      'shot_durations_sum',
      `the shots last ${sum} s in all, but the video lasts ${total} s; they must add up exactly`,
    );
  return out;
}
