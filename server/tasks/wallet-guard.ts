import type { Clock } from '../lib/clock.ts';
import { StudioError } from '../lib/studio-error.ts';

/**
 * Every create spends real credits, so two limits stand before a task is queued: creates per client per
 * minute (a stuck "Generate" button or a script cannot drain the account; a batch is one create) and tasks
 * the studio holds unfinished at once, queued or running (MAX_RUNNING_TASKS: every queued task will be sent
 * and billed, so the queue is bounded too). 0 disables a limit.
 */
export interface WalletGuard {
  /**
   * Throws the 429 that `admit` would, recording nothing: a create is refused before its body is read
   * (a client over its limit cannot make the studio receive another 48 MB). Not atomic with the insert —
   * `admit` is.
   */
  check(clientId: string): Promise<void>;
  /**
   * Whether `admit` needs the count of tasks queued or running (MAX_RUNNING_TASKS is on). When it does
   * not, nothing of the guard's is counted in the store, and a create need not wait for other creates.
   */
  readonly countsUnfinished: boolean;
  /**
   * Throws a 429 StudioError, or records the create of `tasks` tasks (a batch's) for `clientId`.
   * `unfinished` is the store's count (when `countsUnfinished`), read in the transaction the insert runs
   * in, so check-and-count is atomic with it.
   */
  admit(clientId: string, tasks: number, unfinished: number | undefined): void;
}

const WINDOW_MS = 60_000;

/** Tasks queued or running now (the store): what `check` counts. */
export interface GuardCounts {
  countUnfinished(): Promise<number>;
}

/**
 * The per-client rate is counted in this process: behind a load balancer each replica counts what it
 * received (a client spread over three replicas may start up to three times the limit). The unfinished
 * count is the database's, so MAX_RUNNING_TASKS holds for the whole cluster.
 */
export function createWalletGuard(opts: {
  createsPerMinute: number;
  maxRunningTasks: number;
  counts: GuardCounts;
  clock: Clock;
}): WalletGuard {
  const recent = new Map<string, number[]>();
  const countsUnfinished = opts.maxRunningTasks > 0;
  /** Throws when `clientId` may not create now; else its creates still in the window. */
  const refuse = (clientId: string, now: number, tasks: number, unfinished: number | undefined) => {
    if (countsUnfinished) {
      if (unfinished === undefined)
        throw new Error('MAX_RUNNING_TASKS is on: admit needs the unfinished count');
      if (unfinished + tasks > opts.maxRunningTasks)
        throw new StudioError(
          429,
          'too_many_running',
          `${unfinished} ${unfinished === 1 ? 'task is' : 'tasks are'} already queued or running (the studio holds ${opts.maxRunningTasks} at once)${tasks > 1 ? ` and this adds ${tasks}` : ''}. Wait for some to finish, then try again.`,
        );
    }
    if (opts.createsPerMinute <= 0) return [];
    const times = (recent.get(clientId) ?? []).filter((t) => now - t < WINDOW_MS);
    if (times.length >= opts.createsPerMinute) {
      const waitS = Math.ceil((WINDOW_MS - (now - times[0]!)) / 1000);
      recent.set(clientId, times);
      throw new StudioError(
        429,
        'rate_limited',
        `You started ${times.length} generations in the last minute (the limit is ${opts.createsPerMinute}). Try again in ${waitS} s.`,
      );
    }
    return times;
  };
  return {
    countsUnfinished,
    async check(clientId) {
      const unfinished = countsUnfinished ? await opts.counts.countUnfinished() : undefined;
      refuse(clientId, opts.clock.now(), 1, unfinished);
    },
    admit(clientId, tasks, unfinished) {
      const now = opts.clock.now();
      const times = refuse(clientId, now, tasks, unfinished);
      if (opts.createsPerMinute > 0) {
        times.push(now);
        recent.set(clientId, times);
      }
      // Forget idle clients so the map cannot grow without bound.
      if (recent.size > 1000)
        for (const [k, v] of recent) if (!v.some((t) => now - t < WINDOW_MS)) recent.delete(k);
    },
  };
}
