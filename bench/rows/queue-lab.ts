import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSimulator, startSimulator } from '../../server/simulator/index.ts';
import { fakeRenderer } from '../../server/simulator/test-support.ts';
import { type StudioProcess, startStudioProcess } from '../../server/testing/studio-process.ts';
import { scenePng } from '../fixtures/scene.ts';

/**
 * The queue rows' lab: the studio as its own process (tsx server/main.ts, the production path) against a
 * simulator in this process that renders nothing (a fixed fake MP4), so the CPU goes to the studio and
 * every timestamp the rows compare (the simulator's task transitions, the creates it receives) comes from
 * one clock.
 */
export interface QueueLab {
  sim: RunningSimulator;
  studio: StudioProcess;
  image: string;
  create(prompt: string, client?: string): Promise<{ status: number; ms: number; id?: string }>;
  stop(): Promise<void>;
}

export async function startQueueLab(opts: {
  sim: { concurrency: number; phaseMs: number };
  studioEnv: Record<string, string>;
  /** Fixed so PUBLIC_URL can name it before the studio starts (callback rows). */
  port?: number;
}): Promise<QueueLab> {
  const simDir = mkdtempSync(join(tmpdir(), 'ms-bench-queue-sim-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'ms-bench-queue-'));
  const sim = await startSimulator({
    accessKey: 'bench-queue-ak',
    secretKey: 'bench-queue-secret-key-0123456789',
    dataDir: simDir,
    render: fakeRenderer().render,
    ...opts.sim,
  });
  let studio: StudioProcess;
  try {
    studio = await startStudioProcess({
      DATA_DIR: dataDir,
      KLING_ACCESS_KEY: sim.accessKey,
      KLING_SECRET_KEY: sim.secretKey,
      KLING_BASE_URL: sim.baseUrl,
      RATE_LIMIT_CREATES_PER_MIN: '0',
      MAX_RUNNING_TASKS: '0',
      LOG_LEVEL: 'warn',
      ...(opts.port ? { PORT: String(opts.port) } : {}),
      ...opts.studioEnv,
    });
  } catch (err) {
    await sim.close();
    rmSync(simDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  // The smallest picture Kling takes at 16:9, drawn (not a flat colour): the create's own checks stay cheap.
  const image = (await scenePng(640, 360)).toString('base64');
  return {
    sim,
    studio,
    image,
    async create(prompt, client) {
      const started = performance.now();
      const res = await fetch(`${studio.url}/api/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(client ? { 'x-studio-client': client } : {}) },
        body: JSON.stringify({ image, prompt }),
      });
      const json = (await res.json()) as { task?: { id: string } };
      return { status: res.status, ms: performance.now() - started, id: json.task?.id };
    },
    async stop() {
      await studio.kill('SIGTERM');
      await sim.close();
      rmSync(simDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `done` holds (bench rows have no test runner's waitFor). */
export async function until(what: string, done: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every create the simulator received, with its answer code and the time it arrived. */
export const received = (lab: QueueLab) =>
  lab.sim.sim.requests.map((r) => ({
    at: r.receivedAt,
    code: r.response?.code,
    externalTaskId: (r.body as { external_task_id?: string }).external_task_id,
  }));
