import type { Clock } from '../lib/clock.ts';
import { StudioError } from '../lib/studio-error.ts';

/**
 * Every create spends real credits, so two limits stand before the upstream call: creates per client per
 * minute (a stuck "Generate" button or a script cannot drain the account) and tasks running at once.
 * 0 disables a limit.
 */
export interface WalletGuard {
  /**
   * Throws the 429 that `admit` would, recording nothing: a create is refused before its body is read
   * (a client over its limit cannot make the studio receive another 48 MB). Not atomic with the insert —
   * `admit` is.
   */
  check(clientId: string): void;
  /** Throws a 429 StudioError, or records the create for `clientId`. Synchronous, so check-and-count is atomic. */
  admit(clientId: string): void;
}

const WINDOW_MS = 60_000;

export function createWalletGuard(opts: {
  createsPerMinute: number;
  maxRunningTasks: number;
  countRunning: () => number;
  clock: Clock;
}): WalletGuard {
  const recent = new Map<string, number[]>();
  /** Throws when `clientId` may not create now; else its creates still in the window. */
  const refuse = (clientId: string, now: number): number[] => {
    if (opts.maxRunningTasks > 0) {
      const running = opts.countRunning();
      if (running >= opts.maxRunningTasks)
        throw new StudioError(
          429,
          'too_many_running',
          `${running} ${running === 1 ? 'task is' : 'tasks are'} already running (the studio allows ${opts.maxRunningTasks} at once). Wait for one to finish, then try again.`,
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
    check(clientId) {
      refuse(clientId, opts.clock.now());
    },
    admit(clientId) {
      const now = opts.clock.now();
      const times = refuse(clientId, now);
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
