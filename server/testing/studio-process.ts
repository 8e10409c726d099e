import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnUntilReady } from './spawn-until-ready.ts';
import { databaseForDataDir } from './test-database.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The studio as `npm start` runs it (tsx server/main.ts), as a child process a test can kill -9. */
export interface StudioProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startStudioProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<StudioProcess> {
  // A file running its studios on PostgreSQL gives each DATA_DIR its database (test-database.ts).
  const database = env.DATABASE_URL || !env.DATA_DIR ? undefined : await databaseForDataDir(env.DATA_DIR);
  // PORT=0: the address is only known from the line the studio prints.
  // STUDIO_CPU_PROF=<dir>: each studio writes a V8 CPU profile there when it exits by SIGTERM (profiling
  // the benchmarks' replicas; a SIGKILL writes none).
  const running = await spawnUntilReady(
    process.execPath,
    [
      ...(process.env.STUDIO_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.STUDIO_CPU_PROF}`] : []),
      '--import',
      'tsx',
      'server/main.ts',
    ],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: '0',
        MIN_FREE_DISK_BYTES: '0',
        ...(database ? { DATABASE_URL: database } : {}),
        ...env,
      },
      ready: { output: /Motion Studio is running at (http:\/\/\S+)/ },
      name: 'studio',
      timeoutMs,
    },
  );
  return {
    url: running.match![1]!,
    child: running.child,
    output: running.output,
    kill: (signal = 'SIGKILL') => running.kill(signal),
  };
}
