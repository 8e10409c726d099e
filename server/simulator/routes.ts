import { Hono } from 'hono';
import { DEFAULT_MODEL } from '../../contract/capabilities/matrix.ts';
import { KLING_CODE } from '../../contract/schemas/kling-task.ts';
import {
  accountRefusal,
  admitAndAnswer,
  faultFailure,
  newWire,
  openCreate,
  retiredRefusal,
} from './create-flow.ts';
import { klingCheck, violationMessage } from './create-validation.ts';
import { errorResponse } from './errors.ts';
import type { FaultConfig } from './faults.ts';
import { newKlingId } from './ids.ts';
import type { LoadedImage } from './image-input.ts';
import { motionControlRoutes } from './motion-control-routes.ts';
import { queryRoutes } from './query-routes.ts';
import { Simulator, type SimulatorOptions } from './simulator.ts';
import { snapshot, type TaskInputs } from './task-store.ts';
import { serveVideoFile } from './video-route.ts';

const PATH = '/v1/videos/image2video';

function renderInputs(
  images: Map<string, LoadedImage>,
  dynamicMasks: { trajectories: { x: number; y: number }[] }[],
) {
  const inputs: TaskInputs = {
    image: images.get('image')?.bytes,
    imageTail: images.get('image_tail')?.bytes,
    staticMask: images.get('static_mask')?.bytes,
  };
  if (dynamicMasks.length)
    inputs.dynamicMasks = dynamicMasks.flatMap((m, i) => {
      const mask = images.get(`dynamic_masks[${i}].mask`)?.bytes;
      return mask ? [{ mask, trajectories: m.trajectories }] : [];
    });
  return inputs;
}

/**
 * Kling's legacy image2video and motion-control APIs in front of a Simulator, plus the `/__sim/*` test
 * extras (no auth). Pass a Simulator to keep a handle on its state, or options to get a fresh one.
 */
export function createSimulatorApp(simOrOpts: Simulator | SimulatorOptions): Hono {
  const sim = simOrOpts instanceof Simulator ? simOrOpts : new Simulator(simOrOpts);
  const app = new Hono();

  // ---- image2video --------------------------------------------------------------------------------
  app.post(PATH, async (c) => {
    const open = await openCreate(sim, c);
    if (open instanceof Response) return open;
    const retired = retiredRefusal(sim, open, DEFAULT_MODEL);
    if (retired) return retired;
    const check = await klingCheck(open.body, {
      strict: sim.strict,
      timeoutMs: sim.fetchTimeoutMs,
      signal: open.signal,
    });
    if (!check.ok) return open.fail(KLING_CODE.invalidParameter, violationMessage(check.violations));
    const req = check.request;
    // From here to admit() nothing awaits, so uniqueness and the concurrency count cannot race.
    const refused = accountRefusal(sim, open, req.external_task_id);
    if (refused) return refused;
    return admitAndAnswer(sim, c, open, {
      kind: 'image2video',
      wire: newWire(newKlingId(), req.external_task_id, Date.now()),
      request: req,
      inputs: renderInputs(check.images, req.dynamic_masks ?? []),
      failWith: check.deferred[0]?.message ?? faultFailure(open),
      callbackUrl: req.callback_url,
      abort: new AbortController(),
      videoFile: undefined,
    });
  });
  queryRoutes(app, sim, PATH, 'image2video');

  // ---- motion control -----------------------------------------------------------------------------
  motionControlRoutes(app, sim);

  // ---- videos (public, like Kling's CDN links) -----------------------------------------------------
  app.on(['GET', 'HEAD'], '/__sim/videos/:file', async (c) => {
    const m = /^(\d{18})\.mp4$/.exec(c.req.param('file'));
    const task = m ? sim.store.taskOfVideo(m[1]!) : undefined;
    if (!task?.videoFile) return c.text('Not Found', 404);
    const res = await serveVideoFile(task.videoFile, c.req.raw);
    sim.access.recordVideoAnswer(task.wire.task_id, c.req.method, res);
    return res;
  });

  // ---- test extras (no auth) -------------------------------------------------------------------------
  app.get('/__sim/requests', (c) => c.json(sim.requests));
  app.get('/__sim/queries', (c) => c.json(sim.access.queries));
  app.get('/__sim/downloads', (c) => c.json(sim.access.videos));
  app.get('/__sim/tasks', (c) => c.json(sim.store.all().map((t) => snapshot(t.wire))));
  app.get('/__sim/stats', (c) =>
    c.json({ ...sim.stats, active: sim.store.activeCount(), renders: sim.renders.stats }),
  );
  app.get('/__sim/callbacks', (c) => c.json(sim.deliveries()));
  app.get('/__sim/faults', (c) => c.json(sim.faults.describe()));
  app.post('/__sim/faults', async (c) => {
    let config: FaultConfig;
    try {
      config = (await c.req.json()) as FaultConfig;
      sim.faults.set(config);
    } catch (err) {
      return c.json({ error: err instanceof Error ? err.message : String(err) }, 400);
    }
    return c.json(sim.faults.describe());
  });
  app.post('/__sim/reset', (c) => {
    sim.reset();
    return c.json({ ok: true });
  });

  app.notFound(() => errorResponse(KLING_CODE.invalidMethod, 'The requested method is invalid'));
  app.onError((err) => {
    sim.opts.log?.(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return errorResponse(KLING_CODE.serverError);
  });
  return app;
}
