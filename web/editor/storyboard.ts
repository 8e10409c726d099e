import { type Duration, effectiveMode, variantOf } from '../../contract/capabilities/matrix.ts';
import { LIMITS } from '../../contract/limits.ts';
import { type CreateRequest, SHOT_TYPES, type ShotType } from '../../contract/schemas/create-request.ts';
import type { Draft, ShotDraft, StoryboardDraft } from './draft-types.ts';
import { newId } from './ids.ts';

/**
 * kling-v3's multi-shot storyboard as the composer holds it: pure functions over the draft's
 * `storyboard` slice (the store's actions and the request mapping call them).
 */

export function defaultStoryboard(): StoryboardDraft {
  return { enabled: false, shotType: 'customize', shots: [], elements: [] };
}

export function newShot(seconds: number, prompt = ''): ShotDraft {
  return { id: newId(), prompt, seconds };
}

/** Whether the draft's model, mode and duration take a storyboard (kling-v3 std/pro). */
export function takesMultiShot(d: Pick<Draft, 'model' | 'mode' | 'duration'>): boolean {
  return variantOf(d.model, effectiveMode(d.model, d.mode), d.duration).multiShot;
}

export function takesElements(d: Pick<Draft, 'model' | 'mode' | 'duration'>): boolean {
  return variantOf(d.model, effectiveMode(d.model, d.mode), d.duration).elements;
}

export const shotsTotal = (shots: readonly Pick<ShotDraft, 'seconds'>[]): number =>
  shots.reduce((sum, s) => sum + s.seconds, 0);

/**
 * Lengths rebalanced to sum exactly to `total`: whole seconds, each at least the minimum, as close to
 * proportional to the current lengths as whole seconds allow (largest remainder; ties go to the earlier
 * shot). Lengths that already sum to `total` come back unchanged. Undefined when `total` cannot hold one
 * minimum-length second per shot.
 */
export function fitShotLengths(
  lengths: readonly number[],
  total: number,
  min: number = LIMITS.shotMinSeconds,
): number[] | undefined {
  const n = lengths.length;
  if (n === 0 || !Number.isInteger(total) || total < n * min) return undefined;
  const weights: number[] = lengths.map((l) => (Number.isFinite(l) && l > 0 ? l : 0));
  if (!weights.some((w) => w > 0)) weights.fill(1);
  // Shots whose proportional share falls below the minimum are pinned to it; the rest share what is left.
  const pinned = new Set<number>();
  let targets: number[] = [];
  for (;;) {
    const free = weights.map((_, i) => i).filter((i) => !pinned.has(i));
    const room = total - pinned.size * min;
    const weight = free.reduce((sum, i) => sum + weights[i]!, 0);
    targets = weights.map((w, i) =>
      pinned.has(i) ? min : weight > 0 ? (room * w) / weight : room / free.length,
    );
    const low = free.filter((i) => targets[i]! < min);
    if (low.length === 0) break;
    for (const i of low) pinned.add(i);
  }
  const out = targets.map((t) => Math.max(min, Math.floor(t + 1e-9)));
  let left = total - out.reduce((a, b) => a + b, 0);
  const byRemainder = targets
    .map((t, i) => ({ i, r: t - Math.floor(t + 1e-9) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) out[byRemainder[k]!.i]! += 1;
  return out;
}

/** The storyboard after "Fit to N s"; unchanged when the duration cannot hold the shots. */
export function fitStoryboard(sb: StoryboardDraft, duration: Duration): StoryboardDraft {
  const fitted = fitShotLengths(
    sb.shots.map((s) => s.seconds),
    Number(duration),
  );
  if (!fitted) return sb;
  return { ...sb, shots: sb.shots.map((s, i) => ({ ...s, seconds: fitted[i]! })) };
}

/** Moves shot `from` by `delta` places (−1 up, +1 down); unchanged at either end. */
export function moveShot(shots: readonly ShotDraft[], from: number, delta: number): ShotDraft[] {
  const to = from + delta;
  if (from < 0 || from >= shots.length || to < 0 || to >= shots.length) return [...shots];
  const out = [...shots];
  const [shot] = out.splice(from, 1);
  out.splice(to, 0, shot!);
  return out;
}

/** A new shot takes the seconds the others leave free of the video, or the minimum when none are. */
export function addShot(sb: StoryboardDraft, duration: Duration): StoryboardDraft {
  if (sb.shots.length >= LIMITS.shotsMax) return sb;
  const free = Number(duration) - shotsTotal(sb.shots);
  return { ...sb, shots: [...sb.shots, newShot(Math.max(LIMITS.shotMinSeconds, free))] };
}

/** Turning multi-shot on for the first time starts with one shot as long as the video. */
export function openStoryboard(sb: StoryboardDraft, duration: Duration): StoryboardDraft {
  return { ...sb, enabled: true, shots: sb.shots.length ? sb.shots : [newShot(Number(duration))] };
}

/** Digits become a number (Kling documents the id as a long); anything else is sent as typed, so the
 * contract names it. */
function elementId(typed: string): number | string {
  const t = typed.trim();
  return /^\d+$/.test(t) && Number.isSafeInteger(Number(t)) && Number(t) > 0 ? Number(t) : t;
}

/**
 * The storyboard's fields of a create request. The top-level prompt is left as typed (Kling ignores it
 * in `customize`). Elements travel whenever given (kling-v3 takes them with or without shots).
 */
export function storyboardFields(
  sb: StoryboardDraft,
): Pick<CreateRequest, 'multi_shot' | 'shot_type' | 'multi_prompt' | 'element_list'> {
  const out: Pick<CreateRequest, 'multi_shot' | 'shot_type' | 'multi_prompt' | 'element_list'> = {};
  if (sb.enabled) {
    out.multi_shot = true;
    out.shot_type = sb.shotType;
    if (sb.shotType === 'customize')
      out.multi_prompt = sb.shots.map((s, i) => ({
        index: i + 1,
        prompt: s.prompt,
        duration: String(s.seconds),
      }));
  }
  if (sb.elements.length) out.element_list = sb.elements.map((e) => ({ element_id: elementId(e) }));
  return out;
}

/** A request's storyboard back as the draft's slice (Remix). */
export function storyboardFromRequest(req: CreateRequest): StoryboardDraft {
  const d = defaultStoryboard();
  const shots = (req.multi_prompt ?? [])
    .slice(0, LIMITS.shotsMax)
    .map((s) => newShot(/^\d+$/.test(s.duration) ? Number(s.duration) : LIMITS.shotMinSeconds, s.prompt));
  return {
    enabled: req.multi_shot === true,
    shotType: req.shot_type ?? d.shotType,
    shots,
    elements: (req.element_list ?? []).map((e) => String(e.element_id)).slice(0, LIMITS.elementsMax),
  };
}

type Loose = Record<string, unknown>;
const isObj = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Repairs a stored storyboard field by field (see restore-draft.ts). */
export function restoreStoryboard(v: unknown): StoryboardDraft {
  const d = defaultStoryboard();
  if (!isObj(v)) return d;
  const shots = Array.isArray(v.shots)
    ? v.shots
        .filter(isObj)
        .slice(0, LIMITS.shotsMax)
        .map((s) => ({
          id: typeof s.id === 'string' && s.id ? s.id : newId(),
          prompt: typeof s.prompt === 'string' ? s.prompt : '',
          seconds:
            typeof s.seconds === 'number' && Number.isInteger(s.seconds) && s.seconds >= LIMITS.shotMinSeconds
              ? s.seconds
              : LIMITS.shotMinSeconds,
        }))
    : [];
  return {
    enabled: v.enabled === true,
    shotType: (SHOT_TYPES as readonly unknown[]).includes(v.shotType) ? (v.shotType as ShotType) : d.shotType,
    shots,
    elements: Array.isArray(v.elements)
      ? v.elements.filter((e): e is string => typeof e === 'string').slice(0, LIMITS.elementsMax)
      : [],
  };
}
