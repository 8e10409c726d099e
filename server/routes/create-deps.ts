import type { Context } from 'hono';
import type { CreateTaskDeps, Creator } from '../create/create-task.ts';
import { clientIdOf } from '../http/client-id.ts';
import { BodyGate } from '../http/read-json-body.ts';
import type { AppDeps } from './app-deps.ts';

/** What every create use case (POST /api/tasks, /api/tasks/batch, /api/motion-control) takes from the app. */
export function createTaskDeps(deps: AppDeps): CreateTaskDeps {
  return {
    store: deps.store,
    events: deps.events,
    queue: {
      wake: () => deps.dispatcher.wake(),
      placeOf: (task) => deps.dispatcher.placeOf(task),
    },
    guard: deps.guard,
    budget: deps.budget,
    clock: deps.clock,
    log: deps.log,
    dataDir: deps.config.dataDir,
    files: deps.files,
    imageFetch: deps.imageFetch,
    minFreeDiskBytes: deps.config.minFreeDiskBytes,
    retiredModels: deps.config.retiredModels,
  };
}

/** The header a browser (or script) names its creator with, for the queue's fairness between creators. */
export const CLIENT_HEADER = 'x-studio-client';
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Who creates: the client address for the rate limit (the peer, or behind a TRUST_PROXY proxy the client it
 * names; a header from anyone else cannot move it), and for the queue's round-robin the `x-studio-client`
 * header when it is a sane id (one per browser, say), else that address. A forged header only changes whose
 * turn a task takes, never what it costs.
 */
export function creatorOf(c: Context, deps: Pick<AppDeps, 'config'>): Creator {
  const peer = clientIdOf(c, deps.config.trustProxy);
  const header = c.req.header(CLIENT_HEADER)?.trim();
  return { peer, client: header && CLIENT_ID.test(header) ? header : peer };
}

const gates = new WeakMap<AppDeps, BodyGate>();

/**
 * One gate for every JSON create body of an app: MAX_BODIES_IN_FLIGHT bounds image2video, batch and
 * motion-control creates together, so another create route does not multiply what may be held in memory.
 */
export function createBodyGate(deps: AppDeps): BodyGate {
  let gate = gates.get(deps);
  if (!gate) {
    gate = new BodyGate(deps.config.http.maxBodiesInFlight);
    gates.set(deps, gate);
  }
  return gate;
}
