import { rm } from 'node:fs/promises';
import type { Hono } from 'hono';
import { DEFAULT_MOTION_CONTROL_MODEL } from '../../contract/capabilities/motion-control.ts';
import { KLING_CODE } from '../../contract/schemas/kling-task.ts';
import {
  accountRefusal,
  admitAndAnswer,
  faultFailure,
  newWire,
  openCreate,
  retiredRefusal,
} from './create-flow.ts';
import { violationMessage } from './create-validation.ts';
import { newKlingId } from './ids.ts';
import { motionControlCheck } from './motion-control-validation.ts';
import { queryRoutes } from './query-routes.ts';
import type { Simulator } from './simulator.ts';

export const MOTION_CONTROL_PATH = '/v1/videos/motion-control';

/**
 * Kling's `POST /v1/videos/motion-control` (kling-2026.md §2) and its reads: the same auth, envelope,
 * faults, request log, external-id and concurrency rules, callbacks and lifecycle as image2video. The
 * reference video is downloaded as Kling would, judged by the contract's rules, and kept until the task
 * ends; the output lasts as long as the reference and is billed for it.
 */
export function motionControlRoutes(app: Hono, sim: Simulator): void {
  app.post(MOTION_CONTROL_PATH, async (c) => {
    const open = await openCreate(sim, c);
    if (open instanceof Response) return open;
    const retired = retiredRefusal(sim, open, DEFAULT_MOTION_CONTROL_MODEL);
    if (retired) return retired;
    const check = await motionControlCheck(open.body, {
      timeoutMs: sim.fetchTimeoutMs,
      signal: open.signal,
      referencesDir: sim.referencesDir,
    });
    if (!check.ok) return open.fail(KLING_CODE.invalidParameter, violationMessage(check.violations));
    const { request: req, reference } = check;
    // From here to admit() nothing awaits, so uniqueness and the concurrency count cannot race.
    const refused = accountRefusal(sim, open, req.external_task_id);
    if (refused || sim.isClosed) {
      await rm(reference.file, { force: true });
      return refused ?? open.fail(KLING_CODE.unavailable);
    }
    return admitAndAnswer(sim, c, open, {
      kind: 'motion-control',
      wire: newWire(newKlingId(), req.external_task_id, Date.now()),
      request: req,
      inputs: { image: check.image, referenceFile: reference.file, durationMs: reference.facts.durationMs },
      failWith: faultFailure(open),
      callbackUrl: req.callback_url,
      abort: new AbortController(),
      videoFile: undefined,
      referenceFile: reference.file,
    });
  });
  queryRoutes(app, sim, MOTION_CONTROL_PATH, 'motion-control');
}
