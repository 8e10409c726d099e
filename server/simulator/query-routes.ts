import type { Context, Hono } from 'hono';
import { LIMITS } from '../../contract/limits.ts';
import { KLING_CODE } from '../../contract/schemas/kling-task.ts';
import { errorResponse, malformedResponse, okResponse } from './errors.ts';
import { type Fault, parseFaultList, planFaults } from './faults.ts';
import type { Simulator } from './simulator.ts';
import { snapshot, type TaskKind } from './task-store.ts';

/**
 * An endpoint's reads, as Kling has them on each create path (`/v1/videos/image2video`,
 * `/v1/videos/motion-control`): one task by task_id or external_task_id, the `?external_task_id=` form,
 * and the list. Each path sees only its own endpoint's tasks.
 */
export function queryRoutes(app: Hono, sim: Simulator, path: string, kind: TaskKind): void {
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

  const notFoundTask = () => errorResponse(KLING_CODE.notFound, 'task not found');

  app.get(path, async (c) => {
    const ext = c.req.query('external_task_id');
    const byExt = ext === undefined ? undefined : sim.store.getByExternal(kind, ext);
    sim.countQuery(ext === undefined ? undefined : (byExt?.wire.task_id ?? ext), ext);
    const stop = await queryPrelude(c);
    if (stop) return stop;
    if (ext !== undefined) {
      // Undocumented form used by real clients (KlingDemo): answered like the path form, data = the task.
      const t = sim.store.getByExternal(kind, ext);
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
    return okResponse(sim.store.page(kind, pageNum, pageSize).map((t) => snapshot(t.wire)));
  });

  app.get(`${path}/:id`, async (c) => {
    const id = c.req.param('id');
    const asked = sim.store.resolve(id, kind);
    sim.countQuery(asked?.wire.task_id ?? id, asked?.wire.task_info.external_task_id);
    const stop = await queryPrelude(c);
    if (stop) return stop;
    const t = sim.store.resolve(id, kind);
    return t ? okResponse(snapshot(t.wire)) : notFoundTask();
  });
}

/** Kling's paging parameters: absent → default, otherwise a whole number within range. */
function parsePaging(value: string | undefined, dflt: number, max: number): number | undefined {
  if (value === undefined || value === '') return dflt;
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 && n <= max ? n : undefined;
}
