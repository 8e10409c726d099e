import { describe, expect, it } from 'vitest';
import { manualClock } from '../lib/clock.ts';
import { StudioError } from '../lib/studio-error.ts';
import { createWalletGuard } from './wallet-guard.ts';

const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    return e as StudioError;
  }
  return undefined;
};

describe('wallet guard', () => {
  it('limits creates per client per minute, with a sliding window', () => {
    const clock = manualClock(0);
    const guard = createWalletGuard({
      createsPerMinute: 2,
      maxRunningTasks: 0,
      countUnfinished: () => 0,
      clock,
    });
    guard.admit('a');
    clock.advance(10_000);
    guard.admit('a');
    const e = refusal(() => guard.admit('a'));
    expect(e).toBeInstanceOf(StudioError);
    expect(e).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(e?.message).toMatch(/\(the limit is 2\)\. Try again in 50 s/);
    // Another client is not affected.
    guard.admit('b');
    // The first create leaves the window after 60 s.
    clock.advance(50_001);
    guard.admit('a');
  });

  it('limits tasks queued or running at once, a batch counted whole', () => {
    let running = 3;
    const guard = createWalletGuard({
      createsPerMinute: 0,
      maxRunningTasks: 3,
      countUnfinished: () => running,
      clock: manualClock(),
    });
    expect(refusal(() => guard.admit('a'))).toMatchObject({ status: 429, code: 'too_many_running' });
    running = 2;
    expect(refusal(() => guard.admit('a', 2))).toMatchObject({ status: 429, code: 'too_many_running' });
    expect(refusal(() => guard.admit('a'))).toBeUndefined();
  });

  it('0 turns a limit off', () => {
    const guard = createWalletGuard({
      createsPerMinute: 0,
      maxRunningTasks: 0,
      countUnfinished: () => 1e6,
      clock: manualClock(),
    });
    for (let i = 0; i < 100; i++) guard.admit('a');
  });

  it('check() refuses as admit() would, but records nothing (it runs before the body is read)', () => {
    let running = 0;
    const guard = createWalletGuard({
      createsPerMinute: 2,
      maxRunningTasks: 1,
      countUnfinished: () => running,
      clock: manualClock(0),
    });
    for (let i = 0; i < 10; i++) guard.check('a');
    guard.admit('a');
    guard.admit('a');
    expect(refusal(() => guard.check('a'))).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(refusal(() => guard.check('b'))).toBeUndefined();
    running = 1;
    expect(refusal(() => guard.check('b'))).toMatchObject({ status: 429, code: 'too_many_running' });
  });
});
