import type { Context } from 'hono';
import { KLING_CODE, type KlingCode } from '../../contract/schemas/kling-task.ts';
import { defaultMessage, errorResponse, malformedResponse, okResponse } from './errors.ts';
import { type FaultPlan, faultsFromPrompt, parseFaultList, planFaults } from './faults.ts';
import { requestedModel } from './retired-models.ts';
import type { RecordedRequest, Simulator } from './simulator.ts';
import type { SimTask } from './task-store.ts';

/**
 * What every create does around its own checks, whichever endpoint: record the request, authenticate,
 * parse the JSON, apply the faults (header, prompt marker, configured); then, once the endpoint has
 * checked the body, the account's rules (unique external_task_id, the concurrency limit) and the answer.
 */
export interface OpenCreate {
  body: unknown;
  /** The fault's outcome still to act on after the checks: `fail` (the task fails later) or `malformed`. */
  outcome: FaultPlan['outcome'];
  signal: AbortSignal;
  /** Answers with a Kling error and records it. */
  fail(code: KlingCode, message?: string): Response;
  /** Records the answer given. */
  reply(res: Response, code: number, message: string, taskId?: string): Response;
}

/** The parts of a request header set worth recording (`authorization` stays out of the log). */
function recordedHeaders(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  req.headers.forEach((value, key) => {
    if (key !== 'authorization') out[key] = value;
  });
  return out;
}

/** Everything up to the endpoint's own checks; a Response means "answer this and stop". */
export async function openCreate(sim: Simulator, c: Context): Promise<OpenCreate | Response> {
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
  return { body, outcome, signal, fail, reply };
}

/**
 * A create on a model the simulator was told is retired: Kling's answer for a model it no longer has,
 * given before the body's own checks (no point downloading images for a model that is gone).
 */
export function retiredRefusal(sim: Simulator, open: OpenCreate, defaultModel: string): Response | undefined {
  const model = requestedModel(open.body, defaultModel);
  if (model === undefined || !sim.retired.models.has(model)) return undefined;
  return open.fail(sim.retired.code, sim.retired.message);
}

/**
 * The account's rules, checked after the body's: external ids unique, at most `concurrency` tasks
 * unfinished (both endpoints' tasks count). Nothing may await between this and `admit`, so neither can race.
 */
export function accountRefusal(
  sim: Simulator,
  open: OpenCreate,
  externalTaskId: string | undefined,
): Response | undefined {
  if (externalTaskId !== undefined && sim.store.hasExternal(externalTaskId))
    return open.fail(KLING_CODE.invalidParameter, 'external_task_id already exists');
  if (sim.store.activeCount() >= sim.concurrency) return open.fail(KLING_CODE.concurrency);
  return undefined;
}

/** A fresh task's wire object: `submitted`, now. */
export function newWire(taskId: string, externalTaskId: string | undefined, now: number): SimTask['wire'] {
  return {
    task_id: taskId,
    task_status: 'submitted',
    task_status_msg: '',
    task_info: externalTaskId !== undefined ? { external_task_id: externalTaskId } : {},
    task_result: {},
    created_at: now,
    updated_at: now,
  };
}

/** Stores and starts the task, then answers the create (or loses the answer, for `malformed`). */
export function admitAndAnswer(sim: Simulator, c: Context, open: OpenCreate, task: SimTask): Response {
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
  if (open.outcome?.kind === 'malformed') return open.reply(malformedResponse(), 0, 'malformed', w.task_id);
  return open.reply(okResponse(data), 0, 'SUCCEED', w.task_id);
}

/** The task's `failWith` from the fault plan: a `fail` fault ends it failed after its phases. */
export function faultFailure(open: OpenCreate): string | undefined {
  return open.outcome?.kind === 'fail' ? open.outcome.message : undefined;
}
