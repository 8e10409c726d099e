import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnUntilReady } from '../../server/testing/spawn-until-ready.ts';
import { startSimulatorProcess } from './simulator-process.ts';

const root = new URL('../..', import.meta.url).pathname;

export interface RunningStudio {
  url: string;
  pid: number;
  child: ChildProcess;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts the real studio (`scripts/start.mjs`, production build) as a child process and waits for health. */
export async function startStudio(env: Record<string, string> = {}, port = 8890): Promise<RunningStudio> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ms-bench-'));
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['KLING_ACCESS_KEY', 'KLING_SECRET_KEY', 'KLING_API_KEY', 'APP_TOKEN', 'PUBLIC_URL'])
    delete clean[k];
  const url = `http://127.0.0.1:${port}`;
  const running = await spawnUntilReady(process.execPath, [join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: { ...clean, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    ready: { health: `${url}/api/health` },
    name: 'studio',
    timeoutMs: 120_000,
    echoStderr: true,
  }).catch((err) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  const child = running.child;
  // start.mjs spawns the server: the server's pid is the child's child; memory rows look it up.
  return {
    url,
    pid: child.pid!,
    child,
    dataDir,
    async stop() {
      await running.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The studio signing real JWTs for a simulator in its own process (the production path), with the
 * wallet guard off. The simulator's tasks never leave `submitted` unless `simEnv` says otherwise, so no
 * render competes for the CPU; `studioEnv` tunes the studio (polling, say).
 */
export async function startStudioOnSimulator(studioEnv: Record<string, string> = {}) {
  const sim = await startSimulatorProcess({ SIM_PHASE_MS: '3600000', SIM_CONCURRENCY: '1000000' });
  try {
    const studio = await startStudio({
      KLING_ACCESS_KEY: sim.accessKey,
      KLING_SECRET_KEY: sim.secretKey,
      KLING_BASE_URL: sim.baseUrl,
      RATE_LIMIT_CREATES_PER_MIN: '0',
      MAX_RUNNING_TASKS: '0',
      POLL_MIN_MS: '3600000',
      POLL_MAX_MS: '3600000',
      ...studioEnv,
    });
    return {
      sim,
      studio,
      async stop() {
        await studio.stop();
        await sim.stop();
      },
    };
  } catch (err) {
    await sim.stop();
    throw err;
  }
}
