import { describe, expect, it } from 'vitest';
import { manualClock } from '../lib/clock.ts';
import { StudioError } from '../lib/studio-error.ts';
import { createWalletGuard, type GuardCounts } from './wallet-guard.ts';

const refusal = async (fn: () => Promise<void>) => {
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
    const counts = counting(() => 0);
    const guard = createWalletGuard({ createsPerMinute: 2, maxRunningTasks: 0, counts, clock });
    await guard.admit('a', 1, counts);
    clock.advance(10_000);
    await guard.admit('a', 1, counts);
    const e = await refusal(() => guard.admit('a', 1, counts));
    expect(e).toBeInstanceOf(StudioError);
    expect(e).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(e?.message).toMatch(/\(the limit is 2\)\. Try again in 50 s/);
    // Another client is not affected.
    await guard.admit('b', 1, counts);
    // The first create leaves the window after 60 s.
    clock.advance(50_001);
    await guard.admit('a', 1, counts);
  });

  it('limits tasks queued or running at once, a batch counted whole, by the counts it is given', async () => {
    let running = 3;
    const counts = counting(() => running);
    const guard = createWalletGuard({
      createsPerMinute: 0,
      maxRunningTasks: 3,
      counts: counting(() => 0),
      clock: manualClock(),
    });
    // admit counts through the transaction it is handed, not the store it was made with.
    expect(await refusal(() => guard.admit('a', 1, counts))).toMatchObject({
      status: 429,
      code: 'too_many_running',
    });
    running = 2;
    expect(await refusal(() => guard.admit('a', 2, counts))).toMatchObject({
      status: 429,
      code: 'too_many_running',
    });
    expect(await refusal(() => guard.admit('a', 1, counts))).toBeUndefined();
  });

  it('0 turns a limit off', async () => {
    const counts = counting(() => 1e6);
    const guard = createWalletGuard({
      createsPerMinute: 0,
      maxRunningTasks: 0,
      counts,
      clock: manualClock(),
    });
    for (let i = 0; i < 100; i++) await guard.admit('a', 1, counts);
  });

  it('check() refuses as admit() would, but records nothing (it runs before the body is read)', async () => {
    let running = 0;
    const counts = counting(() => running);
    const guard = createWalletGuard({
      createsPerMinute: 2,
      maxRunningTasks: 1,
      counts,
      clock: manualClock(0),
    });
    for (let i = 0; i < 10; i++) await guard.check('a');
    await guard.admit('a', 1, counts);
    await guard.admit('a', 1, counts);
    expect(await refusal(() => guard.check('a'))).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(await refusal(() => guard.check('b'))).toBeUndefined();
    running = 1;
    expect(await refusal(() => guard.check('b'))).toMatchObject({ status: 429, code: 'too_many_running' });
  });
});
