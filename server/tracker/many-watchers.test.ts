import { describe, expect, it } from 'vitest';
import { taskEnvelopeSchema } from '../../contract/schemas/studio-api.ts';
import { b64, png, watchEvents, withStudio } from '../testing/studio-harness.ts';

/** One tracker per task, whatever the audience: watchers and readers cost nothing upstream. */
const INTERVAL_MS = 100;
const ctx = withStudio({
  sim: { phaseMs: 400 },
  // A fixed interval (min = max) makes the expected number of upstream queries simple arithmetic.
  env: { POLL_MIN_MS: String(INTERVAL_MS), POLL_MAX_MS: String(INTERVAL_MS) },
});

describe('many watchers', () => {
  it('30 SSE streams and a reader hammering GET cost one upstream query per interval', async () => {
    const watchers = Array.from({ length: 30 }, () => watchEvents(ctx.studio.url));
    await Promise.all(watchers.map((w) => w.ready));
    const started = Date.now();
    const res = await ctx.studio.create({ image: b64(await png(640, 360)), prompt: 'watched' });
    const { task } = taskEnvelopeSchema.parse(await res.json());
    let reads = 0;
    const reader = (async () => {
      while (Date.now() - started < 5000) {
        const t = taskEnvelopeSchema.parse(
          await (await ctx.studio.fetch(`/api/tasks/${task.id}`)).json(),
        ).task;
        reads++;
        if (t.status === 'succeed') return;
      }
    })();
    const [done] = await Promise.all(
      watchers.map((w) => w.waitFor((t) => t.id === task.id && t.status === 'succeed')),
    );
    const elapsed = Date.now() - started;
    await reader;
    for (const w of watchers) w.close();

    // Kling's id comes with the send (the create answers `queued`).
    const queries = (await ctx.sim.stats()).queriesByTask[done!.klingTaskId!] ?? 0;
    // At most one query per interval for the task's lifetime (+1 for the first poll's phase, +1 slack),
    // while 30 watchers and `reads` GETs were served meanwhile.
    expect(queries).toBeGreaterThan(0);
    expect(queries).toBeLessThanOrEqual(Math.ceil(elapsed / INTERVAL_MS) + 2);
    expect(queries).toBeLessThan(30);
    expect(reads).toBeGreaterThan(queries);
    expect(ctx.studio.services.events.listenerCount()).toBeLessThanOrEqual(30);
  });
});
