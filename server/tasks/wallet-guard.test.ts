import { describe, expect, it } from 'vitest';
import { manualClock } from '../lib/clock.ts';
import { StudioError } from '../lib/studio-error.ts';
import { createWalletGuard, type GuardCounts } from './wallet-guard.ts';

const refusal = async (fn: () => Promise<void> | void) => {
  try {
    await fn();
  } catch (e) {
    return e as StudioError;
  }
  return undefined;
};
const counting = (n: () => number): GuardCounts => ({ countUnfinished: async () => n() });

describe('wallet guard', () => {
  it('limits creates per client per minute, with a sliding window', async () => {
    const clock = manualClock(0);
    const guard = createWalletGuard({
      createsPerMinute: 2,
      maxRunningTasks: 0,
      counts: counting(() => 0),
      clock,
    });
    guard.admit('a', 1, undefined);
    clock.advance(10_000);
    guard.admit('a', 1, undefined);
    const e = await refusal(() => guard.admit('a', 1, undefined));
    expect(e).toBeInstanceOf(StudioError);
    expect(e).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(e?.message).toMatch(/\(the limit is 2\)\. Try again in 50 s/);
    // Another client is not affected.
    guard.admit('b', 1, undefined);
    // The first create leaves the window after 60 s.
    clock.advance(50_001);
    guard.admit('a', 1, undefined);
  });

  it('limits tasks queued or running at once, a batch counted whole, by the count it is given', async () => {
    const guard = createWalletGuard({
      createsPerMinute: 0,
      maxRunningTasks: 3,
      counts: counting(() => 0),
      clock: manualClock(),
    });
    expect(guard.countsUnfinished).toBe(true);
    // admit judges by the figure it is handed (the transaction's count), not the store it was made with.
    expect(await refusal(() => guard.admit('a', 1, 3))).toMatchObject({
      status: 429,
      code: 'too_many_running',
    });
    expect(await refusal(() => guard.admit('a', 2, 2))).toMatchObject({
      status: 429,
      code: 'too_many_running',
    });
    expect(await refusal(() => guard.admit('a', 1, 2))).toBeUndefined();
    // A caller that forgot to count is told so, rather than let through as if nothing ran.
    expect(await refusal(() => guard.admit('a', 1, undefined))).toMatchObject({
      message: expect.stringMatching(/needs the unfinished count/),
    });
  });

  it('0 turns a limit off: nothing is counted', async () => {
    let counted = 0;
    const counts: GuardCounts = {
      countUnfinished: async () => {
        counted++;
        return 1e6;
      },
    };
    const guard = createWalletGuard({
      createsPerMinute: 0,
      maxRunningTasks: 0,
      counts,
      clock: manualClock(),
    });
    expect(guard.countsUnfinished).toBe(false);
    for (let i = 0; i < 100; i++) guard.admit('a', 1, 1e6);
    for (let i = 0; i < 10; i++) await guard.check('a');
    expect(counted).toBe(0);
  });

  it('check() refuses as admit() would, but records nothing (it runs before the body is read)', async () => {
    let running = 0;
    const guard = createWalletGuard({
      createsPerMinute: 2,
      maxRunningTasks: 1,
      counts: counting(() => running),
      clock: manualClock(0),
    });
    for (let i = 0; i < 10; i++) await guard.check('a');
    guard.admit('a', 1, 0);
    guard.admit('a', 1, 0);
    expect(await refusal(() => guard.check('a'))).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(await refusal(() => guard.check('b'))).toBeUndefined();
    running = 1;
    expect(await refusal(() => guard.check('b'))).toMatchObject({ status: 429, code: 'too_many_running' });
  });
});
