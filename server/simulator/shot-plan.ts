import type { CreateRequest } from '../../contract/schemas/create-request.ts';

/** One shot as the renderer takes it (render/render-video.ts `shots`). */
export interface PlannedShot {
  durationSeconds: number;
}

/**
 * The shots Kling plans itself for `shot_type: intelligence`. Its planner is a model we cannot copy, so the
 * simulator plans plainly and always the same way for the same length: two shots up to 8 s, three from 9 s,
 * whole seconds, the longer ones first (5 s → 3 + 2, 10 s → 4 + 3 + 3, 15 s → 5 + 5 + 5).
 */
export function planShots(durationSeconds: number): PlannedShot[] {
  const count = Math.min(durationSeconds >= 9 ? 3 : 2, Math.max(1, Math.floor(durationSeconds)));
  const base = Math.floor(durationSeconds / count);
  const longer = durationSeconds - base * count;
  return Array.from({ length: count }, (_, i) => ({ durationSeconds: base + (i < longer ? 1 : 0) }));
}

/**
 * The shots a validated request renders as: the creator's storyboard (`customize`, its durations already
 * checked to add up), the simulator's plan (`intelligence`), or none (one continuous shot).
 */
export function requestShots(req: CreateRequest, durationSeconds: number): PlannedShot[] | undefined {
  if (req.multi_shot !== true) return undefined;
  if (req.shot_type === 'intelligence') return planShots(durationSeconds);
  return req.multi_prompt?.map((s) => ({ durationSeconds: Number(s.duration) }));
}
