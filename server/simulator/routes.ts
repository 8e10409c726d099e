import type { Context } from 'hono';
import { Hono } from 'hono';
import { LIMITS } from '../../contract/limits.ts';
import { KLING_CODE, type KlingCode } from '../../contract/schemas/kling-task.ts';
import { klingCheck, violationMessage } from './create-validation.ts';
import { defaultMessage, errorResponse, malformedResponse, okResponse } from './errors.ts';
import { type Fault, type FaultConfig, faultsFromPrompt, parseFaultList, planFaults } from './faults.ts';
import { newKlingId } from './ids.ts';
import type { LoadedImage } from './image-input.ts';
import { type RecordedRequest, Simulator, type SimulatorOptions } from './simulator.ts';
import { type SimTask, snapshot, type TaskInputs } from './task-store.ts';
import { serveVideoFile } from './video-route.ts';

const PATH = '/v1/videos/image2video';

/** The parts of a request header set worth recording (`authorization` stays out of the log). */
function recordedHeaders(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  req.headers.forEach((value, key) => {
    if (key !== 'authorization') out[key] = value;
  });
  return out;
}

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
 * Kling's legacy image2video API in front of a Simulator, plus the `/__sim/*` test extras (no auth).
 * Pass a Simulator to keep a handle on its state, or options to get a fresh one.
 */
export function createSimulatorApp(simOrOpts: Simulator | SimulatorOptions): Hono {
  const sim = simOrOpts instanceof Simulator ? simOrOpts : new Simulator(simOrOpts);
  const app = new Hono();

  /** Auth then query faults, shared by every read; a Response means "answer this and stop". */
  async function queryPrelude(c: Context): Promise<Response | undefined> {
    const auth = await sim.authenticate(c.req.header('authorization'));
    if (!auth.ok) return errorResponse(auth.code);
    const perRequest = parseFaultList(c.req.header('x-sim-fault'));
    return applyFaults(c, perRequest.length ? perRequest : sim.faults.take('queries'));
  }

  /** Delays, then the fault's answer if it has one (a `fail` has no meaning for reads and is ignored). */
  async function applyFaults(c: Context, faults: readonly Fault[]): Promise<Response | undefined> {
    const plan = planFaults(faults);
    const signal = c.req.raw.signal;
    if (plan.delayMs > 0 && !(await sim.delay(plan.delayMs, signal)))
      return errorResponse(KLING_CODE.serverTimeout);
    const o = plan.outcome;
    if (o?.kind === 'error') return errorResponse(o.code);
    if (o?.kind === 'hang') {
      await sim.hang(signal);
      return errorResponse(KLING_CODE.serverTimeout); // only reached when the simulator closes under a held request
    }
    if (o?.kind === 'malformed') return malformedResponse();
    return undefined;
  }

  function notFoundTask(): Response {
    return errorResponse(KLING_CODE.notFound, 'task not found');
  }

  // ---- create -------------------------------------------------------------------------------------
  app.post(PATH, async (c) => {
    sim.stats.creates++;
    const raw = await c.req.text();
    let body: unknown;
    let isJson = true;
    try {
      body = JSON.parse(raw);
    } catch {
      isJson = false;
      body = raw;
    }
    const rec: RecordedRequest = sim.record(
      {
        receivedAt: Date.now(),
        method: 'POST',
        path: new URL(c.req.url).pathname,
        headers: recordedHeaders(c.req.raw),
        body,
      },
      raw.length,
    );
    const reply = (res: Response, code: number, message: string, taskId?: string) => {
      rec.response = { status: res.status, code, message, ...(taskId ? { task_id: taskId } : {}) };
      return res;
    };
    const fail = (code: KlingCode, message = defaultMessage(code)) =>
      reply(errorResponse(code, message), code, message);

    const auth = await sim.authenticate(c.req.header('authorization'));
    if (!auth.ok) return fail(auth.code);
    // Not JSON at all: 1200 ("Invalid request parameters"), the generic sibling of 1201.
    if (!isJson) return fail(KLING_CODE.invalidRequest, 'request body is not valid JSON');

    const prompt =
      body !== null && typeof body === 'object' ? (body as { prompt?: unknown }).prompt : undefined;
    const perRequest = [...parseFaultList(c.req.header('x-sim-fault')), ...faultsFromPrompt(prompt)];
    const faults = perRequest.length ? perRequest : sim.faults.take('creates');
    const { delayMs, outcome } = planFaults(faults);
    const signal = c.req.raw.signal;
    if (delayMs > 0 && !(await sim.delay(delayMs, signal))) return fail(KLING_CODE.serverTimeout);
    if (outcome?.kind === 'error') return fail(outcome.code);
    if (outcome?.kind === 'hang') {
      await sim.hang(signal);
      return fail(KLING_CODE.serverTimeout); // only reached when the simulator closes under a held request
    }
    if (signal.aborted) return fail(KLING_CODE.serverTimeout); // the client left while we dawdled: create nothing

    const check = await klingCheck(body, {
      strict: sim.strict,
      timeoutMs: sim.fetchTimeoutMs,
      signal,
    });
    if (!check.ok) return fail(KLING_CODE.invalidParameter, violationMessage(check.violations));
    const req = check.request;
    // From here to admit() nothing awaits, so uniqueness and the concurrency count cannot race.
    if (req.external_task_id !== undefined && sim.store.hasExternal(req.external_task_id))
      return fail(KLING_CODE.invalidParameter, 'external_task_id already exists');
    if (sim.store.activeCount() >= sim.concurrency) return fail(KLING_CODE.concurrency);

    const now = Date.now();
    const task: SimTask = {
      wire: {
        task_id: newKlingId(now),
        task_status: 'submitted',
        task_status_msg: '',
        task_info: req.external_task_id !== undefined ? { external_task_id: req.external_task_id } : {},
        task_result: {},
        created_at: now,
        updated_at: now,
      },
      request: req,
      inputs: renderInputs(check.images, req.dynamic_masks ?? []),
      failWith: check.deferred[0]?.message ?? (outcome?.kind === 'fail' ? outcome.message : undefined),
      callbackUrl: req.callback_url,
      abort: new AbortController(),
      videoFile: undefined,
    };
    sim.admit(task, new URL(c.req.url).origin);
    const w = task.wire;
    // The create answer is shorter than a query's (REAL): no task_status_msg, no task_result.
    const data = {
      task_id: w.task_id,
      task_status: w.task_status,
      task_info: { ...w.task_info },
      created_at: w.created_at,
      updated_at: w.updated_at,
    };
    if (outcome?.kind === 'malformed') return reply(malformedResponse(), 0, 'malformed', w.task_id);
    return reply(okResponse(data), 0, 'SUCCEED', w.task_id);
  });

  // ---- queries ------------------------------------------------------------------------------------
  app.get(PATH, async (c) => {
    const ext = c.req.query('external_task_id');
    sim.countQuery(ext === undefined ? undefined : (sim.store.getByExternal(ext)?.wire.task_id ?? ext));
    const stop = await queryPrelude(c);
    if (stop) return stop;
    if (ext !== undefined) {
      // Undocumented form used by real clients (KlingDemo): answered like the path form, data = the task.
      const t = sim.store.getByExternal(ext);
      return t ? okResponse(snapshot(t.wire)) : notFoundTask();
    }
    const pageNum = parsePaging(c.req.query('pageNum'), 1, LIMITS.pageNumMax);
    const pageSize = parsePaging(c.req.query('pageSize'), LIMITS.pageSizeDefault, LIMITS.pageSizeMax);
    if (pageNum === undefined)
      return errorResponse(
        KLING_CODE.invalidParameter,
        `pageNum must be an integer in [1, ${LIMITS.pageNumMax}]`,
      );
    if (pageSize === undefined)
      return errorResponse(
        KLING_CODE.invalidParameter,
        `pageSize must be an integer in [1, ${LIMITS.pageSizeMax}]`,
      );
    return okResponse(sim.store.page(pageNum, pageSize).map((t) => snapshot(t.wire)));
  });

  app.get(`${PATH}/:id`, async (c) => {
    const id = c.req.param('id');
    sim.countQuery(sim.store.resolve(id)?.wire.task_id ?? id);
    const stop = await queryPrelude(c);
    if (stop) return stop;
    const t = sim.store.resolve(id);
    return t ? okResponse(snapshot(t.wire)) : notFoundTask();
  });

  // ---- videos (public, like Kling's CDN links) -----------------------------------------------------
  app.on(['GET', 'HEAD'], '/__sim/videos/:file', async (c) => {
    const m = /^(\d{18})\.mp4$/.exec(c.req.param('file'));
    const file = m ? sim.store.videoFile(m[1]!) : undefined;
    if (!file) return c.text('Not Found', 404);
    return serveVideoFile(file, c.req.raw);
  });

  // ---- test extras (no auth) -------------------------------------------------------------------------
  app.get('/__sim/requests', (c) => c.json(sim.requests));
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

/** Kling's paging parameters: absent → default, otherwise a whole number within range. */
function parsePaging(value: string | undefined, dflt: number, max: number): number | undefined {
  if (value === undefined || value === '') return dflt;
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 && n <= max ? n : undefined;
}
