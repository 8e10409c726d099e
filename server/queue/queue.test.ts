import { beforeAll, describe, expect, it } from 'vitest';
import { image2videoUnits } from '../../contract/pricing/prices.ts';
import {
  apiErrorSchema,
  batchResponseSchema,
  queueStateSchema,
  type StudioTask,
  taskEnvelopeSchema,
  taskListSchema,
} from '../../contract/schemas/studio-api.ts';
import type { TaskStore } from '../tasks/task-store.ts';
import { slowStore } from '../testing/slow-store.ts';
import {
  b64,
  png,
  type Studio,
  startCallbackStudio,
  startStudio,
  waitForTask,
  withSim,
} from '../testing/studio-harness.ts';
import { CANCELLED } from './queue-words.ts';

/**
 * The queue against the simulator: every create is accepted at once and sent when Kling has a slot,
 * fairly between creators, never more than Kling allows, a task never sent twice; cancel, move to front,
 * batches and the daily budget. Each describe has its own simulator, so counts are its own.
 */
let image: string;
beforeAll(async () => {
  image = b64(await png(640, 360));
});

const queueState = async (s: Studio) => queueStateSchema.parse(await (await s.fetch('/api/queue')).json());
const taskOf = async (s: Studio, id: string) =>
  taskEnvelopeSchema.parse(await (await s.fetch(`/api/tasks/${id}`)).json()).task;
const post = (s: Studio, path: string, body?: unknown) =>
  s.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function queued(s: Studio, body: unknown, client?: string): Promise<StudioTask> {
  const res = await s.create(body, client ? { 'x-studio-client': client } : {});
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(201);
  const { task } = taskEnvelopeSchema.parse(json);
  expect(task.status).toBe('queued');
  return task;
}

// The store as it is, and one answering after a round trip as PostgreSQL does: there, a send can settle
// while the dispatcher is counting what runs, which once made it believe Kling held one more than it did.
describe.each([
  { store: 'the store', decorateStore: undefined, phaseMs: 150, kling: '' },
  // Creates take longer there: Kling keeps each task longer, so all twelve are waiting when slots free.
  {
    store: 'a store behind a round trip',
    decorateStore: (s: TaskStore) => slowStore(s, 8),
    phaseMs: 600,
    kling: '',
  },
  // Counts slower than Kling's answers, which take a while: a send nearly always settles while the
  // dispatcher counts (the race that made the old count one too many, seen with the old count here).
  {
    store: 'a store whose counts are slow',
    decorateStore: (s: TaskStore) =>
      slowStore(s, 20, { only: ['countRunning', 'listConfirmedRunningIds'], answerMs: 0 }),
    phaseMs: 300,
    kling: '',
  },
])(
  'a Kling that runs 2 at once (SIM_CONCURRENCY=2), the studio configured for 5, on $store',
  ({ decorateStore, phaseMs, kling }) => {
    const ctx = withSim({ concurrency: 2, phaseMs });

    it('12 creates from two clients: all accepted, ≤ 2 running, one 1303, interleaved, all archived', async () => {
      const studio = await startStudio(ctx.sim, decorateStore ? { decorateStore } : {});
      try {
        // What Kling holds at any moment, sampled while the queue drains.
        let maxAtKling = 0;
        let sampling = true;
        const sampler = (async () => {
          while (sampling) {
            const running = (await ctx.sim.tasks()).filter((t) =>
              ['submitted', 'processing'].includes(t.task_status),
            ).length;
            maxAtKling = Math.max(maxAtKling, running);
            await new Promise((r) => setTimeout(r, 15));
          }
        })();

        const clientOf = new Map<string, 'alice' | 'bob'>();
        // By when each task was surely in the queue: its 201 had come back. Its createdAt is earlier than
        // that by the time the create takes to store its inputs, and the queue cannot see it meanwhile.
        const queuedBy = new Map<string, number>();
        for (const client of ['alice', 'bob'] as const)
          for (let i = 0; i < 6; i++) {
            const t = await queued(studio, { image, prompt: `${client} ${i}${kling}` }, client);
            clientOf.set(t.externalTaskId, client);
            queuedBy.set(t.externalTaskId, Date.now());
          }
        const all = taskListSchema.parse(await (await studio.fetch('/api/tasks?pageSize=100')).json()).tasks;
        expect(all).toHaveLength(12);
        const done = await Promise.all(all.map((t) => waitForTask(studio, t.id, undefined, 60_000)));
        sampling = false;
        await sampler;

        for (const t of done) {
          expect(t.status, t.statusMessage ?? '').toBe('succeed');
          expect(t.video?.bytes).toBeGreaterThan(0);
        }
        expect(maxAtKling, 'at Kling').toBeLessThanOrEqual(2);
        // Exactly, from Kling's own record: no moment had three tasks between creation and their end.
        const spans = (await ctx.sim.tasks()) as unknown as { created_at: number; updated_at: number }[];
        expect(spans).toHaveLength(12);
        expect(spans.every((t) => t.created_at > 0 && t.updated_at > t.created_at)).toBe(true);
        const edges = spans.flatMap((t) => [
          [t.created_at, 1],
          [t.updated_at, -1],
        ]);
        // An end and a start at the same millisecond: the end first (the slot was free).
        edges.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
        let open = 0;
        let maxOpen = 0;
        for (const [, d] of edges) {
          open += d!;
          maxOpen = Math.max(maxOpen, open);
        }
        expect(maxOpen, 'overlapping at Kling').toBeLessThanOrEqual(2);

        const received = await ctx.sim.requests();
        // One probe found the limit: a single 1303, then never again.
        expect(received.filter((r) => r.response?.code === 1303)).toHaveLength(1);
        const accepted = received.filter((r) => r.response?.code === 0);
        const ext = accepted.map((r) => String(r.body.external_task_id));
        // Each task went to Kling exactly once.
        expect(new Set(ext).size).toBe(12);
        expect(ext).toHaveLength(12);
        // Round-robin: while both clients had tasks waiting, neither had three sent in a row (bob's first
        // did not wait for alice's six). Judged from when each task was queued and sent, not from the
        // order alone: on a loaded machine Kling may free a slot before bob's first create is in.
        const sends = [...done].sort((a, b) => a.sentAt! - b.sentAt!);
        const clientOfTask = (t: StudioTask) => clientOf.get(t.externalTaskId)!;
        for (let i = 2; i < sends.length; i++) {
          const run = sends.slice(i - 2, i + 1);
          const client = clientOfTask(run[0]!);
          if (!run.every((t) => clientOfTask(t) === client)) continue;
          // The other client had a task in the queue before the second of the three went out.
          const otherWaiting = sends.filter(
            (t) =>
              clientOfTask(t) !== client &&
              queuedBy.get(t.externalTaskId)! < run[1]!.sentAt! &&
              t.sentAt! > run[2]!.sentAt!,
          );
          expect(
            otherWaiting.map((t) => t.prompt),
            `${client} sent three in a row`,
          ).toEqual([]);
        }
        expect(new Set(sends.map(clientOfTask)).size).toBe(2);

        expect(await queueState(studio)).toEqual({
          queued: 0,
          running: 0,
          slots: { configured: 5, learned: 2 },
          budget: null,
        });
        // Each task's progress starts when it was sent, after it was queued.
        for (const t of done) expect(t.sentAt).toBeGreaterThanOrEqual(t.createdAt);
      } finally {
        await studio.close();
      }
    });
  },
);

describe('a slot freed by a callback', () => {
  const ctx = withSim({ phaseMs: 300 });

  it('sends the next task at once, with polling a minute away', async () => {
    const studio = await startCallbackStudio(ctx.sim, { env: { KLING_CONCURRENCY: '1' } });
    try {
      const first = await queued(studio, { image, prompt: 'first' });
      const second = await queued(studio, { image, prompt: 'second' });
      const a = await waitForTask(studio, first.id);
      const b = await waitForTask(studio, second.id, undefined, 20_000);
      expect([a.status, b.status]).toEqual(['succeed', 'succeed']);
      // The second went out when Kling said the first was done: before the first's video was archived.
      expect(b.sentAt).toBeGreaterThanOrEqual(a.sentAt!);
      expect(b.sentAt! - a.finishedAt!).toBeLessThan(100);
    } finally {
      await studio.close();
    }
  });
});

describe('cancel and move to front', () => {
  // Kling keeps each task a minute: the first holds the only slot while the rest wait.
  const ctx = withSim({ phaseMs: 60_000 });

  it('a waiting task is cancelled and never sent; a sent one is not (409, why); the order can change', async () => {
    const studio = await startStudio(ctx.sim, { env: { KLING_CONCURRENCY: '1' } });
    try {
      const running = await queued(studio, { image, prompt: 'holds the slot' });
      await waitForTask(studio, running.id, (t) => t.status === 'submitted');
      const [t2, t3, t4] = [
        await queued(studio, { image, prompt: 'second' }),
        await queued(studio, { image, prompt: 'third' }),
        await queued(studio, { image, prompt: 'fourth' }),
      ];
      expect(t4.queue).toEqual({ position: 3 });
      expect((await taskOf(studio, t2.id)).queue).toEqual({ position: 1 });

      const moved = await post(studio, `/api/tasks/${t4.id}/move-to-front`);
      expect(moved.status).toBe(200);
      expect(taskEnvelopeSchema.parse(await moved.json()).task.queue).toEqual({ position: 1 });
      const list = taskListSchema.parse(await (await studio.fetch('/api/tasks?status=queued')).json());
      expect(Object.fromEntries(list.tasks.map((t) => [t.prompt, t.queue?.position]))).toEqual({
        fourth: 1,
        second: 2,
        third: 3,
      });

      const cancelled = await post(studio, `/api/tasks/${t2.id}/cancel`);
      expect(cancelled.status).toBe(200);
      const c = taskEnvelopeSchema.parse(await cancelled.json()).task;
      expect(c).toMatchObject({ status: 'cancelled', statusMessage: CANCELLED, sentAt: null });
      expect(c.queue).toBeUndefined();
      expect(c.finishedAt).not.toBeNull();
      expect((await taskOf(studio, t3.id)).queue).toEqual({ position: 2 });
      // Twice is still cancelled.
      expect((await post(studio, `/api/tasks/${t2.id}/cancel`)).status).toBe(200);

      const late = await post(studio, `/api/tasks/${running.id}/cancel`);
      expect(late.status).toBe(409);
      const { error } = apiErrorSchema.parse(await late.json());
      expect(error.code).toBe('not_cancellable');
      expect(error.message).toMatch(/already sent to Kling, which cannot stop it/);
      expect((await post(studio, `/api/tasks/${running.id}/move-to-front`)).status).toBe(409);
      expect((await post(studio, '/api/tasks/00000000-0000-4000-8000-000000000000/cancel')).status).toBe(404);

      expect(await queueState(studio)).toMatchObject({ queued: 2, running: 1 });
      // Kling saw the running task only.
      await new Promise((r) => setTimeout(r, 300));
      const sent = (await ctx.sim.requests()).map((r) => r.body.external_task_id);
      expect(sent).toEqual([running.externalTaskId]);
    } finally {
      await studio.close();
    }
  });
});

/** One camera move for every picture (kling-v1-5 pro is the setup with simple camera control). */
const camera = {
  model_name: 'kling-v1-5',
  mode: 'pro',
  duration: '5',
  camera_control: {
    type: 'simple',
    config: { horizontal: 0, vertical: 0, pan: 5, tilt: 0, roll: 0, zoom: 0 },
  },
};

describe('POST /api/tasks/batch', () => {
  const ctx = withSim({ resetBeforeEach: true });
  let studio: Studio;
  beforeAll(async () => {
    studio = await startStudio(ctx.sim);
    return () => studio.close();
  });

  it('five frames, one too small: four tasks queued in order, the bad one refused alone by its index', async () => {
    const frames = await Promise.all(
      [10, 60, -1, 110, 160].map(async (r) =>
        b64(await (r < 0 ? png(200, 200) : png(640, 360, { r, g: 0, b: 0 }))),
      ),
    );
    const res = await post(studio, '/api/tasks/batch', {
      request: { ...camera, prompt: 'one setup, many pictures' },
      images: frames,
    });
    const json = await res.json();
    expect(res.status, JSON.stringify(json)).toBe(201);
    const batch = batchResponseSchema.parse(json);
    expect(batch.tasks.map((t) => t.batch)).toEqual(
      [0, 1, 3, 4].map((index) => ({ id: batch.batchId, index, size: 5 })),
    );
    expect(batch.tasks.every((t) => t.status === 'queued' && t.motion === 'camera')).toBe(true);
    expect(batch.refused).toHaveLength(1);
    expect(batch.refused[0]!.index).toBe(2);
    expect(batch.refused[0]!.error.issues).toContainEqual(
      expect.objectContaining({ field: 'image', rule: 'image_too_small' }),
    );

    const done = await Promise.all(batch.tasks.map((t) => waitForTask(studio, t.id)));
    expect(done.map((t) => t.status)).toEqual(['succeed', 'succeed', 'succeed', 'succeed']);
    // Each task carried its own frame and the shared setup; the refused frame never left the studio.
    const received = await ctx.sim.requests();
    expect(received).toHaveLength(4);
    for (const [i, t] of batch.tasks.entries()) {
      const body = received.find((r) => r.body.external_task_id === t.externalTaskId)!.body;
      expect(body.image).toBe(frames[t.batch!.index]);
      expect(body.camera_control).toEqual(camera.camera_control);
      expect(i).toBe(batch.tasks.indexOf(t));
    }
  });

  it('count: identical takes, each its own task and external id', async () => {
    const res = await post(studio, '/api/tasks/batch', { request: { image, prompt: 'take' }, count: 3 });
    expect(res.status).toBe(201);
    const batch = batchResponseSchema.parse(await res.json());
    expect(batch.refused).toEqual([]);
    expect(batch.tasks.map((t) => t.batch?.index)).toEqual([0, 1, 2]);
    expect(new Set(batch.tasks.map((t) => t.externalTaskId)).size).toBe(3);
    await Promise.all(batch.tasks.map((t) => waitForTask(studio, t.id)));
    const received = await ctx.sim.requests();
    expect(received.map((r) => r.body.prompt)).toEqual(['take', 'take', 'take']);
  });

  it('every frame refused: 400 naming each frame; a bad shape: 400; nothing stored or sent', async () => {
    const before = taskListSchema.parse(await (await studio.fetch('/api/tasks?pageSize=100')).json()).tasks
      .length;
    const small = b64(await png(200, 200));
    const none = await post(studio, '/api/tasks/batch', { request: { prompt: 'x' }, images: [small, small] });
    expect(none.status).toBe(400);
    const { error } = apiErrorSchema.parse(await none.json());
    expect(error.code).toBe('batch_refused');
    expect(error.issues?.map((i) => `${i.field} ${i.rule}`)).toEqual([
      'images[0] image_too_small',
      'images[1] image_too_small',
    ]);
    expect(error.issues?.[1]?.message).toMatch(/^Picture 2 \(images\[1\]\): /);

    for (const [body, field] of [
      [{ request: { image }, count: 2, images: [image] }, 'count'],
      [{ request: { image } }, 'count'],
      [{ request: { image }, count: 9 }, 'count'],
      [{ request: { image }, images: Array.from({ length: 21 }, () => image) }, 'images'],
      [{ request: { image, external_task_id: 'mine' }, count: 2 }, 'external_task_id'],
      [{ request: { image }, count: 2, extra: true }, 'extra'],
    ] as const) {
      const res = await post(studio, '/api/tasks/batch', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(apiErrorSchema.parse(await res.json()).error.issues?.[0]?.field).toBe(field);
    }
    // A shared request the rules refuse is refused as a single create would be.
    const bad = await post(studio, '/api/tasks/batch', { request: { image, duration: '7' }, count: 2 });
    expect(bad.status).toBe(400);
    expect(apiErrorSchema.parse(await bad.json()).error.issues?.[0]?.field).toBe('duration');
    expect(
      taskListSchema.parse(await (await studio.fetch('/api/tasks?pageSize=100')).json()).tasks,
    ).toHaveLength(before);
    expect(await ctx.sim.requests()).toEqual([]);
  });
});

describe('BUDGET_UNITS_PER_DAY', () => {
  const ctx = withSim();
  const unit = image2videoUnits({ model: 'kling-v1', mode: 'std', duration: '5' });

  it('refuses what would go over today’s cap with the numbers, before anything is stored or sent', async () => {
    const studio = await startStudio(ctx.sim, { env: { BUDGET_UNITS_PER_DAY: String(2.5 * unit) } });
    try {
      const sent = [await queued(studio, { image }), await queued(studio, { image })];
      await Promise.all(sent.map((t) => waitForTask(studio, t.id, (x) => x.status !== 'queued')));
      const upstream = (await ctx.sim.requests()).length;

      const third = await studio.create({ image });
      expect(third.status).toBe(429);
      const { error } = apiErrorSchema.parse(await third.json());
      expect(error.code).toBe('budget_exceeded');
      expect(error.message).toContain(`today ${2 * unit} of ${2.5 * unit} units; this needs ${unit}`);
      expect(error.budget).toMatchObject({
        unitsPerDay: 2.5 * unit,
        spentUnits: 2 * unit,
        neededUnits: unit,
      });
      // A batch is refused whole.
      const batch = await post(studio, '/api/tasks/batch', { request: { image }, count: 2 });
      expect(batch.status).toBe(429);
      expect(apiErrorSchema.parse(await batch.json()).error.budget?.neededUnits).toBe(2 * unit);

      expect(
        taskListSchema.parse(await (await studio.fetch('/api/tasks?pageSize=100')).json()).tasks,
      ).toHaveLength(2);
      await new Promise((r) => setTimeout(r, 200));
      expect(await ctx.sim.requests()).toHaveLength(upstream);
      expect((await queueState(studio)).budget).toMatchObject({
        unitsPerDay: 2.5 * unit,
        spentUnits: 2 * unit,
        leftUnits: 0.5 * unit,
      });
    } finally {
      await studio.close();
    }
  });
});
