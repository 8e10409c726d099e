import type { CreateTaskDeps } from '../create/create-task.ts';
import { BodyGate } from '../http/read-json-body.ts';
import type { AppDeps } from './app-deps.ts';

/** What both create use cases (POST /api/tasks, POST /api/motion-control) take from the app. */
export function createTaskDeps(deps: AppDeps): CreateTaskDeps {
  return {
    store: deps.store,
    client: deps.client,
    tracker: deps.tracker,
    guard: deps.guard,
    clock: deps.clock,
    log: deps.log,
    dataDir: deps.config.dataDir,
    publicUrl: deps.config.publicUrl,
    imageFetch: deps.imageFetch,
    upstreamTimeoutMs: deps.config.upstreamTimeoutMs,
    minFreeDiskBytes: deps.config.minFreeDiskBytes,
    retiredModels: deps.config.retiredModels,
  };
}

const gates = new WeakMap<AppDeps, BodyGate>();

/**
 * One gate for every JSON create body of an app: MAX_BODIES_IN_FLIGHT bounds image2video and motion-control
 * creates together, so a second create route does not double what may be held in memory at once.
 */
export function createBodyGate(deps: AppDeps): BodyGate {
  let gate = gates.get(deps);
  if (!gate) {
    gate = new BodyGate(deps.config.http.maxBodiesInFlight);
    gates.set(deps, gate);
  }
  return gate;
}
