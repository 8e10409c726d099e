/**
 * Where the process is in its life, for GET /api/ready: a load balancer should send requests only to a
 * replica that has started and is not on its way out. main.ts flips the flags; routes only read them.
 */
export interface Lifecycle {
  /** Everything is up (the tracker resumed, the dispatcher running). */
  started: boolean;
  /** A shutdown began: finish what is in flight, take nothing new from the balancer. */
  stopping: boolean;
}

/**
 * `started` defaults to true: whoever builds the services and serves them is, by then, ready (the test
 * harness). A process that has more to do after listening (main.ts) starts with false and sets it.
 */
export function createLifecycle(opts: { started?: boolean } = {}): Lifecycle {
  return { started: opts.started ?? true, stopping: false };
}
