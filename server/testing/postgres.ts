import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * Test and bench support (not a test): a throwaway PostgreSQL 15 cluster in a temp dir, on a free loopback
 * port, tuned for speed over durability (the data is thrown away). Tests that need PostgreSQL fail when it
 * is not installed rather than skip: a suite that silently skips would hide that cluster mode is untested.
 */

export const PG_BIN = '/usr/lib/postgresql/15/bin';
const SUPERUSER = 'postgres';
const run = promisify(execFile);

export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/studio`: trust auth, no password. */
  url: string;
  /** The postmaster's (benchmarks read the CPU time of it and its backends). */
  pid: number;
  stop(): Promise<void>;
}

interface Running {
  dataDir: string;
  dir: string;
  pid: number;
  watchdog: ChildProcess;
}

const running = new Set<Running>();
let exitHookInstalled = false;

/**
 * Kills every cluster this process started, synchronously (an `exit` handler cannot wait). Installed on
 * `exit` by the first `startPostgres`; a run killed outright is covered by each cluster's watchdog.
 */
export function killStartedClusters(): void {
  for (const r of running) {
    // SIGQUIT is PostgreSQL's immediate shutdown: the postmaster takes its backends down with it.
    try {
      process.kill(r.pid, 'SIGQUIT');
    } catch {}
    r.watchdog.kill('SIGKILL');
    rmSync(r.dir, { recursive: true, force: true });
  }
  running.clear();
}

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', killStartedClusters);
}

/** Root may not run PostgreSQL: the binaries then run as `postgres` (or `nobody`) via runuser. */
function runAs(): { user: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const user of [SUPERUSER, 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
      return { user, uid, gid };
    } catch {}
  }
  throw new Error('startPostgres runs as root and found neither a "postgres" nor a "nobody" user');
}

function command(user: string | undefined, bin: string, args: string[]): [string, string[]] {
  const path = join(PG_BIN, bin);
  return user ? ['runuser', ['-u', user, '--', path, ...args]] : [path, args];
}

async function pgRun(user: string | undefined, bin: string, args: string[]) {
  const [cmd, argv] = command(user, bin, args);
  try {
    return await run(cmd, argv, { encoding: 'utf8' });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${bin} failed: ${err.stderr || err.stdout || err.message}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Kills the cluster when this process is gone however it went (a SIGKILLed test run fires no `exit`).
 * Detached so that a signal to our process group does not take the watchdog down before it acts.
 */
function startWatchdog(pid: number, dir: string): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -QUIT ${pid} 2>/dev/null; sleep 1; rm -rf '${dir}'`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}

/** Starts a fresh cluster with one database, `studio`. */
export async function startPostgres(): Promise<TestPostgres> {
  if (!existsSync(join(PG_BIN, 'initdb')) || !existsSync(join(PG_BIN, 'pg_ctl')))
    throw new Error('PostgreSQL 15 is not installed: apt-get install postgresql-15');
  const owner = runAs();
  const user = owner?.user;
  const dir = mkdtempSync(join(tmpdir(), 'studio-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const dataDir = join(dir, 'data');
  try {
    await pgRun(user, 'initdb', [
      '-D',
      dataDir,
      '-U',
      SUPERUSER,
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);
    const port = await startServer(user, dir, dataDir);
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const r: Running = { dataDir, dir, pid, watchdog: startWatchdog(pid, dir) };
    running.add(r);
    installExitHook();
    const base = `postgres://${SUPERUSER}@127.0.0.1:${port}`;
    const url = await createDatabase(`${base}/postgres`, 'studio');
    let stopped: Promise<void> | undefined;
    return {
      url,
      pid,
      stop: () => {
        stopped ??= stopCluster(user, r);
        return stopped;
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

// A free port can be taken between finding it and binding it (other suites start servers too): try again.
async function startServer(user: string | undefined, dir: string, dataDir: string): Promise<number> {
  const log = join(dir, 'server.log');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const options = [
      `-c listen_addresses=127.0.0.1`,
      `-c port=${port}`,
      `-c unix_socket_directories=${dir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    try {
      await pgRun(user, 'pg_ctl', ['start', '-w', '-t', '60', '-D', dataDir, '-l', log, '-o', options]);
      return port;
    } catch (e) {
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
      if (attempt < 5 && /could not bind|already in use/i.test(text)) continue;
      throw new Error(`${(e as Error).message}\n${text.slice(-4000)}`);
    }
  }
}

async function stopCluster(user: string | undefined, r: Running): Promise<void> {
  r.watchdog.kill('SIGKILL');
  try {
    await pgRun(user, 'pg_ctl', ['stop', '-D', r.dataDir, '-m', 'immediate', '-w', '-t', '30']);
  } catch {
    try {
      process.kill(r.pid, 'SIGKILL');
    } catch {}
  }
  running.delete(r);
  rmSync(r.dir, { recursive: true, force: true });
}

/**
 * A fresh, empty database on the cluster at `url` (one per test file, so files sharing a cluster do not
 * see each other's rows); answers its URL.
 */
export async function createDatabase(url: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
}
