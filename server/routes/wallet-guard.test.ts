import { beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema } from '../../contract/schemas/studio-api.ts';
import { b64, png, type Studio, startStudio, waitForTask, withSim } from '../testing/studio-harness.ts';

/** The wallet guard answers 429 with a message before anything is queued, so nothing reaches Kling. */
const ctx = withSim({ phaseMs: 60_000 });
let image: string;
beforeAll(async () => {
  image = b64(await png(640, 360));
});

/** Creates one task and waits until the queue has sent it. */
async function sent(studio: Studio) {
  const res = await studio.create({ image });
  expect(res.status).toBe(201);
  return waitForTask(studio, (await res.json()).task.id, (t) => t.status !== 'queued');
}

describe('wallet guard', () => {
  it('limits creates per client per minute', async () => {
    await fetch(`${ctx.sim.baseUrl}/__sim/reset`, { method: 'POST' });
    const studio = await startStudio(ctx.sim, {
      env: { RATE_LIMIT_CREATES_PER_MIN: '2', MAX_RUNNING_TASKS: '0' },
    });
    try {
      await sent(studio);
      await sent(studio);
      const third = await studio.create({ image });
      expect(third.status).toBe(429);
      const { error } = apiErrorSchema.parse(await third.json());
      expect(error.code).toBe('rate_limited');
      expect(error.message).toMatch(/in the last minute \(the limit is 2\)/);
      expect((await ctx.sim.stats()).creates).toBe(2);
    } finally {
      await studio.close();
    }
  });

  it('limits tasks queued or running at once', async () => {
    await fetch(`${ctx.sim.baseUrl}/__sim/reset`, { method: 'POST' });
    const studio = await startStudio(ctx.sim, {
      env: { RATE_LIMIT_CREATES_PER_MIN: '0', MAX_RUNNING_TASKS: '1' },
    });
    try {
      await sent(studio);
      const second = await studio.create({ image });
      expect(second.status).toBe(429);
      const { error } = apiErrorSchema.parse(await second.json());
      expect(error.code).toBe('too_many_running');
      expect(error.message).toMatch(/1 task is already queued or running/);
      expect((await ctx.sim.stats()).creates).toBe(1);
      // A batch that would go past the limit is refused whole.
      const batch = await studio.fetch('/api/tasks/batch', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ request: { image }, count: 2 }),
      });
      expect(batch.status).toBe(429);
      expect(apiErrorSchema.parse(await batch.json()).error.code).toBe('too_many_running');
    } finally {
      await studio.close();
    }
  });
});
