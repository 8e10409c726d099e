import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type StudioTask, taskEnvelopeSchema } from '../../contract/schemas/studio-api.ts';
import { createJwtAuth } from '../auth/kling-auth.ts';
import { memoryLogger } from '../lib/logger.ts';
import type { TaskStore } from '../tasks/task-store.ts';
import {
  b64,
  png,
  SIM_KEYS,
  type Studio,
  startStudio,
  tempDir,
  waitForTask,
  withSim,
} from '../testing/studio-harness.ts';
import { createKlingClient } from '../upstream/kling-client.ts';
import { SENT_AGAIN } from './queue-words.ts';

/**
 * A sender that dies with a create on its way (kill -9 of the one process, or of the replica sending the
 * queue). Whoever sends next asks Kling for each such task by its external id: one Kling has is followed;
 * one it never received goes out again under the same id, and if the old request lands after all, Kling
 * refuses one of the two (external ids are unique) and the studio follows the task it has. Either way
 * Kling runs it exactly once and the creator gets the video.
 */
const ctx = withSim({ phaseMs: 200 });
let image: string;

beforeAll(async () => {
  image = b64(await png(640, 360));
});

type Patch = Record<string, unknown>;

/**
 * The store of a studio that dies at one write: `at` picks it; it lands (`landed`) or not, and its caller
 * never hears back (nor does anything after it: the sender is stuck there, as if its process were gone).
 */
function diesAt(at: (method: string, patch: Patch) => boolean, landed: boolean) {
  let died = false;
  const decorate = (store: TaskStore): TaskStore =>
    new Proxy(store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'update' && key !== 'updateIfStatus') return value;
        return async (...args: unknown[]) => {
          const patch = (key === 'update' ? args[1] : args[2]) as Patch;
          if (died || !at(String(key), patch))
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          died = true;
          if (landed) await (value as (...a: unknown[]) => unknown).apply(target, args);
          return new Promise(() => {});
        };
      },
    });
  return { decorate, died: () => died };
}

const departureMark = (method: string, p: Patch) =>
  method === 'updateIfStatus' && typeof p.callbackTokenHash === 'string';

async function createOne(studio: Studio, prompt: string): Promise<StudioTask> {
  const res = await studio.create({ image, prompt });
  expect(res.status).toBe(201);
  return taskEnvelopeSchema.parse(await res.json()).task;
}

const createsOf = async (prompt: string) =>
  ((await ctx.sim.requests()) as { body: Record<string, unknown>; response?: { code: number } }[]).filter(
    (r) => r.body.prompt === prompt,
  );

/** Runs a first studio until it dies at `at`, closes it, and gives back its data dir and the task. */
async function orphaned(prompt: string, at: (method: string, patch: Patch) => boolean, landed: boolean) {
  const dataDir = tempDir('orphan');
  const dying = diesAt(at, landed);
  const first = await startStudio(ctx.sim, { dataDir, decorateStore: dying.decorate });
  const task = await createOne(first, prompt);
  await vi.waitFor(() => expect(dying.died()).toBe(true), { timeout: 10_000, interval: 10 });
  await first.close();
  return { dataDir, task };
}

const studios: Studio[] = [];
afterAll(async () => {
  for (const s of studios) await s.close();
});

/** The next studio on `dataDir` finishes the task with exactly one create for it at Kling, and says `said`. */
async function nextSenderFinishesOnce(dataDir: string, task: StudioTask, prompt: string, said: RegExp) {
  const next = await startStudio(ctx.sim, { dataDir });
  studios.push(next);
  const done = await waitForTask(next, task.id, undefined, 20_000);
  expect(done.status, done.statusMessage ?? '').toBe('succeed');
  expect(done.statusMessage).toBeNull();
  const creates = await createsOf(prompt);
  expect(creates.map((r) => [r.body.external_task_id, r.response?.code])).toEqual([[task.externalTaskId, 0]]);
  expect(next.logLines.join('\n')).toMatch(said);
}

describe('a create whose sender died on its way', () => {
  it('never reached Kling: the next sender sends it again under the same external id, and it runs once', async () => {
    const prompt = 'orphan: died after the departure mark';
    const { dataDir, task } = await orphaned(prompt, departureMark, true);
    expect(await createsOf(prompt)).toEqual([]);
    await nextSenderFinishesOnce(dataDir, task, prompt, /never reached Kling; queued again/);
  });

  it('reached Kling, the answer unstored: the next sender finds it by external id and sends nothing', async () => {
    const prompt = 'orphan: died before storing the answer';
    // Kling answered the create; the studio dies as it writes that answer (Kling's task id), unwritten.
    const { dataDir, task } = await orphaned(
      prompt,
      (method, p) => method === 'update' && 'klingTaskId' in p,
      false,
    );
    await nextSenderFinishesOnce(dataDir, task, prompt, /is at Kling; following it/);
  });

  it('the old request lands after the lookup: the resend is refused (1201) and the task Kling made is followed', async () => {
    const prompt = 'orphan: the old request lands late';
    const { dataDir, task } = await orphaned(prompt, departureMark, true);
    const kling = createKlingClient({
      baseUrl: ctx.sim.baseUrl,
      auth: createJwtAuth(SIM_KEYS),
      timeoutMs: 3000,
      log: memoryLogger(),
    });
    let landing = false;
    let late: string | undefined;
    // Between the lookup (nothing there) and the resend, the dead sender's create arrives.
    const landsLate = (store: TaskStore): TaskStore =>
      new Proxy(store, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver);
          if (key !== 'updateIfStatus') return value;
          return async (...args: unknown[]) => {
            const patch = args[2] as Patch;
            if (patch.statusMessage === SENT_AGAIN && !landing) {
              landing = true;
              late = (await kling.createTask({ image, prompt, external_task_id: task.externalTaskId }))
                .task_id;
            }
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    const next = await startStudio(ctx.sim, { dataDir, decorateStore: landsLate });
    studios.push(next);
    const done = await waitForTask(next, task.id, undefined, 20_000);
    expect(done.status, done.statusMessage ?? '').toBe('succeed');
    expect(late).toMatch(/^\d+$/);
    expect(done.klingTaskId).toBe(late);
    const creates = await createsOf(prompt);
    expect(creates.map((r) => r.response?.code)).toEqual([0, 1201]);
    const atKling = (await ctx.sim.tasks()) as unknown as { task_info: { external_task_id?: string } }[];
    expect(atKling.filter((t) => t.task_info.external_task_id === task.externalTaskId)).toHaveLength(1);
    expect(next.logLines.join('\n')).toMatch(/Kling has the task under this external id/);
  });
});
