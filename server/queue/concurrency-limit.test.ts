import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit, type LearnedLimit } from './concurrency-limit.ts';

/**
 * Plays the dispatcher's side against a Kling that holds `real` tasks at once: sends while the limit
 * allows, each accepted send adds a running task (proven at once here), a send beyond `real` is a 1303.
 */
function drive(limit: ConcurrencyLimit, real: number, queued: number, now = 0) {
  let running = 0;
  let refusals = 0;
  for (let step = 0; step < 100 && queued > 0; step++) {
    const gate = limit.maySend(running, false, now);
    if (!gate.ok) break;
    if (running < real) {
      running++;
      queued--;
      limit.accepted(running);
    } else {
      refusals++;
      limit.refused(running, gate.probe, now);
    }
  }
  return { running, refusals };
}

describe('learning Kling’s concurrency', () => {
  it('configured 5, Kling allows 2: learns 2 with a single 1303, and keeps it', () => {
    const saved: LearnedLimit[] = [];
    const limit = new ConcurrencyLimit(5, {
      saved: undefined,
      relearnMs: 60_000,
      save: (s) => saved.push(s),
    });
    expect(drive(limit, 2, 12)).toEqual({ running: 2, refusals: 1 });
    expect(limit.learned).toBe(2);
    expect(saved.at(-1)).toEqual({ learned: 2, refusedAt: 0, held: 2 });
    // Two running: nothing more may go out, not even a probe, until one ends.
    expect(limit.maySend(2, false, 1000).ok).toBe(false);
    expect(limit.maySend(1, false, 1000)).toEqual({ ok: true, probe: false });
  });

  it('beyond what Kling is known to hold, one probe at a time', () => {
    const limit = new ConcurrencyLimit(5, { saved: undefined, relearnMs: 60_000, save: () => {} });
    expect(limit.maySend(0, false, 0)).toEqual({ ok: true, probe: true });
    expect(limit.maySend(1, true, 0).ok).toBe(false);
    limit.accepted(1);
    limit.accepted(2);
    expect(limit.maySend(1, false, 0)).toEqual({ ok: true, probe: false });
    expect(limit.maySend(2, true, 0).ok).toBe(false);
  });

  it('a saved limit holds after a restart, and one more is tried once relearnMs passed without a refusal', () => {
    const limit = new ConcurrencyLimit(5, {
      saved: { learned: 2, refusedAt: 1000 },
      relearnMs: 60_000,
      save: () => {},
    });
    expect(limit.allowed(2000)).toBe(2);
    expect(limit.relearnAt()).toBe(61_000);
    expect(limit.allowed(61_000)).toBe(3);
    // The plan grew: the probe is accepted and the limit rises; the next step up is tried at once (it
    // still counts from the last refusal), until Kling refuses one or the configured limit is reached.
    limit.accepted(3);
    expect(limit.learned).toBe(3);
    expect(limit.allowed(61_000)).toBe(4);
  });

  it('below what Kling has held for the studio before, one more is tried sooner (someone else’s tasks)', () => {
    const limit = new ConcurrencyLimit(5, {
      saved: { learned: 4, refusedAt: null, held: 4 },
      relearnMs: 600_000,
      relearnSoonMs: 30_000,
      save: () => {},
    });
    limit.accepted(1);
    // Kling refuses a probe with one of ours running: 1 is learned, but Kling held 4 before.
    expect(limit.maySend(1, false, 0)).toEqual({ ok: true, probe: true });
    expect(limit.refused(1, true, 1000)).toBe(true);
    expect(limit.learned).toBe(1);
    expect(limit.relearnAt()).toBe(31_000);
    expect(limit.allowed(31_000)).toBe(2);
  });

  it('a 1303 with nothing of ours running, or to a create Kling held as many of before, is waited out', () => {
    const limit = new ConcurrencyLimit(5, { saved: undefined, relearnMs: 60_000, save: () => {} });
    expect(limit.refused(0, true, 0)).toBe(false);
    expect(limit.learned).toBe(5);
    // Kling held 4 for us; now it refuses a third: someone else may hold slots. Not learned from...
    for (let slot = 1; slot <= 4; slot++) limit.accepted(slot);
    expect(limit.maySend(2, false, 0)).toEqual({ ok: true, probe: false });
    expect(limit.refused(2, false, 0)).toBe(false);
    expect(limit.learned).toBe(5);
    // ...but the next send is a probe, and its refusal is.
    expect(limit.maySend(2, false, 0)).toEqual({ ok: true, probe: true });
    expect(limit.refused(2, true, 0)).toBe(true);
    expect(limit.learned).toBe(2);
  });

  it('a refusal while what Kling held is not yet proven: the limit is what was proven, then rises to the proof', () => {
    const saved: LearnedLimit[] = [];
    const limit = new ConcurrencyLimit(5, {
      saved: undefined,
      relearnMs: 60_000,
      save: (s) => saved.push(s),
    });
    // Two accepted, neither proven yet; the store counts three (one Kling finished, unheard of).
    expect(limit.refused(3, true, 500)).toBe(true);
    expect(limit.learned).toBe(1);
    // A second later: Kling surely held two.
    limit.accepted(2);
    expect(limit.learned).toBe(2);
    expect(saved.at(-1)).toEqual({ learned: 2, refusedAt: 500, held: 2 });
    expect(limit.relearnAt()).toBe(60_500);
    expect(limit.maySend(1, false, 1000)).toEqual({ ok: true, probe: false });
    expect(limit.maySend(2, false, 1000).ok).toBe(false);
  });

  it('a saved limit above the configured one (KLING_CONCURRENCY lowered) is capped', () => {
    const limit = new ConcurrencyLimit(3, {
      saved: { learned: 4, refusedAt: null },
      relearnMs: 1,
      save: () => {},
    });
    expect(limit.learned).toBe(3);
  });
});
