import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { spawnUntilReady } from '../../server/testing/spawn-until-ready.ts';

const root = new URL('../..', import.meta.url).pathname;

export interface SimulatorProcess {
  baseUrl: string;
  accessKey: string;
  secretKey: string;
  child: ChildProcess;
  /** A Kling JWT signed the way Kling documents it (iss = access key, 30 min, nbf − 5 s). */
  token(): Promise<string>;
  stats(): Promise<{ creates: number; queries: number; queriesByTask: Record<string, number> }>;
  stop(): Promise<void>;
}

/** `npm run simulator` as its own process, so neither the studio nor the load generator shares its CPU time. */
export async function startSimulatorProcess(
  env: Record<string, string> = {},
  port = 8891,
): Promise<SimulatorProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ms-bench-sim-'));
  const accessKey = 'bench-access-key';
  const secretKey = 'bench-secret-key-0123456789';
  const baseUrl = `http://127.0.0.1:${port}`;
  const running = await spawnUntilReady(
    process.execPath,
    ['--import', 'tsx', join(root, 'server/simulator/main.ts')],
    {
      cwd: root,
      env: {
        ...process.env,
        SIM_PORT: String(port),
        SIM_HOST: '127.0.0.1',
        SIM_ACCESS_KEY: accessKey,
        SIM_SECRET_KEY: secretKey,
        SIM_DATA_DIR: dataDir,
        ...env,
      },
      ready: { health: `${baseUrl}/__sim/stats` },
      name: 'simulator',
      echoStderr: true,
    },
  ).catch((err) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  const child = running.child;
  const key = new TextEncoder().encode(secretKey);
  return {
    baseUrl,
    accessKey,
    secretKey,
    child,
    token: () => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(accessKey)
        .setExpirationTime(now + 1800)
        .setNotBefore(now - 5)
        .sign(key);
    },
    stats: async () => (await fetch(`${baseUrl}/__sim/stats`)).json(),
    async stop() {
      await running.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
