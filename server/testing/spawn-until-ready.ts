import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Test and bench support (not a test): one way to start a child process and wait until it serves, for the
 * studio and the simulator alike. Readiness is either a URL answering 2xx, or a line on stdout/stderr
 * (when the port is only known once the child prints it, e.g. PORT=0).
 */
export type Readiness = { health: string; intervalMs?: number } | { output: RegExp };

export interface SpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  ready: Readiness;
  /** For error messages: "studio", "simulator". */
  name: string;
  timeoutMs?: number;
  /** Copy the child's stderr to ours as it comes (bench runs, where a crash should be visible at once). */
  echoStderr?: boolean;
}

export interface ReadyChild {
  child: ChildProcess;
  /** What `ready.output` matched; undefined for a health check. */
  match: RegExpExecArray | undefined;
  /** The tail of everything the child printed (stdout and stderr interleaved). */
  output(): string;
  /** Resolves with the exit code once the child has exited (also when it already had). */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

// Enough for any start-up message or crash report; a long bench run must not hoard the child's logs.
const OUTPUT_TAIL_CHARS = 64 * 1024;

export async function spawnUntilReady(
  command: string,
  args: string[],
  opts: SpawnOptions,
): Promise<ReadyChild> {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let match: RegExpExecArray | undefined;
  let onOutput = () => {};
  const collect = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    onOutput();
  };
  // Both pipes are always drained: a child blocked on a full pipe would look like a hang.
  child.stdout.on('data', collect);
  child.stderr.on('data', (chunk: Buffer) => {
    if (opts.echoStderr) process.stderr.write(chunk);
    collect(chunk);
  });
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  const running: ReadyChild = {
    child,
    get match() {
      return match;
    },
    output: () => out,
    exited,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };

  const timeoutMs = opts.timeoutMs ?? 60_000;
  const ready = opts.ready;
  const waitReady =
    'output' in ready
      ? new Promise<void>((resolve) => {
          onOutput = () => {
            const m = ready.output.exec(out);
            if (m) {
              match = m;
              onOutput = () => {};
              resolve();
            }
          };
          onOutput();
        })
      : (async () => {
          for (;;) {
            try {
              if ((await fetch(ready.health)).ok) return;
            } catch {}
            if (child.exitCode !== null) return;
            await new Promise((r) => setTimeout(r, ready.intervalMs ?? 200));
          }
        })();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    waitReady.then(() => (child.exitCode === null ? 'ready' : 'exited')),
    exited.then(() => 'exited' as const),
    new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (outcome === 'ready') return running;
  await running.kill('SIGKILL');
  const why =
    outcome === 'timeout' ? `did not start within ${timeoutMs} ms` : `exited with ${child.exitCode}`;
  throw new Error(`${opts.name} ${why}:\n${out}`);
}
