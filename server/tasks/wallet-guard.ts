import type { Clock } from '../lib/clock.ts';
import { StudioError } from '../lib/studio-error.ts';
import type { RecentCreates, TaskStore } from './task-store.ts';

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
  check(peer: string): Promise<void>;
  /**
   * Whether `admit` needs the count of tasks queued or running (MAX_RUNNING_TASKS is on). When neither
   * this nor `countsRecent` holds, nothing of the guard's is counted in the store, and a create need not
   * wait for other creates.
   */
  readonly countsUnfinished: boolean;
  /** Whether `admit` needs the peer's recent creates (RATE_LIMIT_CREATES_PER_MIN is on). */
  readonly countsRecent: boolean;
  /** Where the rate window starts for a create at `now`: creates before it no longer count. */
  recentSince(now: number): number;
  /**
   * Throws a 429 StudioError, or lets a create of `tasks` tasks (a batch's) through. The figures
   * are the store's for the creating peer, read in the transaction the insert runs in (so check-and-count is atomic with it):
   * `unfinished` when `countsUnfinished`, `recent` when `countsRecent`. The caller records the create
   * (`TaskStore.recordCreate`) in that transaction.
   */
  admit(tasks: number, figures: GuardFigures): void;
}

export interface GuardFigures {
  unfinished?: number;
  recent?: RecentCreates;
}

const WINDOW_MS = 60_000;

/** What `check` reads from the store. */
export type GuardCounts = Pick<TaskStore, 'countUnfinished' | 'recentCreates'>;

/**
 * Both figures are the database's: MAX_RUNNING_TASKS holds for the whole cluster, and so does the
 * per-client rate, a client's creates counted whichever replica behind the load balancer took them.
 */
export function createWalletGuard(opts: {
  createsPerMinute: number;
  maxRunningTasks: number;
  counts: GuardCounts;
  clock: Clock;
}): WalletGuard {
  const countsUnfinished = opts.maxRunningTasks > 0;
  const countsRecent = opts.createsPerMinute > 0;
  const recentSince = (now: number) => now - WINDOW_MS + 1;
  const refuse = (now: number, tasks: number, { unfinished, recent }: GuardFigures) => {
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
    if (!countsRecent) return;
    if (recent === undefined)
      throw new Error('RATE_LIMIT_CREATES_PER_MIN is on: admit needs the recent creates');
    if (recent.count >= opts.createsPerMinute) {
      const oldest = recent.oldest ?? now;
      const waitS = Math.max(1, Math.ceil((WINDOW_MS - (now - oldest)) / 1000));
      throw new StudioError(
        429,
        'rate_limited',
        `You started ${recent.count} generations in the last minute (the limit is ${opts.createsPerMinute}). Try again in ${waitS} s.`,
      );
    }
  };
  return {
    countsUnfinished,
    countsRecent,
    recentSince,
    async check(peer) {
      const now = opts.clock.now();
      const [unfinished, recent] = await Promise.all([
        countsUnfinished ? opts.counts.countUnfinished() : undefined,
        countsRecent ? opts.counts.recentCreates(peer, recentSince(now)) : undefined,
      ]);
      refuse(now, 1, { unfinished, recent });
    },
    admit(tasks, figures) {
      refuse(opts.clock.now(), tasks, figures);
    },
  };
}
