import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type TestPostgres } from './postgres.ts';
import { type RoundRobinProxy, startRoundRobinProxy } from './round-robin-proxy.ts';
import { type RunningS3, startS3 } from './s3-server.ts';
import { type StudioProcess, startStudioProcess } from './studio-process.ts';

/**
 * Test and bench support (not a test): a studio cluster as the README's "Running as a cluster" describes
 * it — a throwaway PostgreSQL, an S3-compatible store (s3rver), N studio processes (`tsx server/main.ts`,
 * each its own DATA_DIR and REPLICA_ID) against one upstream, and a round-robin proxy in front, trusted
 * by every replica. Everything it starts, `stop()` stops by pid (or by handle) and removes.
 */
export interface ClusterReplica {
  id: string;
  url: string;
  dataDir: string;
  process: StudioProcess;
}

export interface StudioCluster {
  pg: TestPostgres;
  s3: RunningS3;
  replicas: ClusterReplica[];
  proxy: RoundRobinProxy;
  /** The replicas not killed through `kill`. */
  alive(): ClusterReplica[];
  /** kill -9 of one replica: no shutdown, its leases lapse rather than being let go. */
  kill(replica: ClusterReplica): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Kling's (or the simulator's) base URL and the key pair to sign with. */
  upstream: { baseUrl: string; accessKey: string; secretKey: string };
  replicas?: number;
  /** Added to every replica's environment (poll intervals, lease length, limits…). */
  env?: Record<string, string>;
}

export async function startStudioCluster(opts: ClusterOptions): Promise<StudioCluster> {
  const count = opts.replicas ?? 3;
  const stops: (() => Promise<void>)[] = [];
  const replicas: ClusterReplica[] = [];
  const killed = new Set<ClusterReplica>();
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => {});
  };
  try {
    const [pg, s3] = await Promise.all([startPostgres(), startS3()]);
    stops.push(
      () => pg.stop(),
      () => s3.stop(),
    );
    const shared = {
      DATABASE_URL: pg.url,
      ...s3.env,
      KLING_ACCESS_KEY: opts.upstream.accessKey,
      KLING_SECRET_KEY: opts.upstream.secretKey,
      KLING_BASE_URL: opts.upstream.baseUrl,
      TRUST_PROXY: '127.0.0.1',
      ...opts.env,
    };
    // Started together on purpose: replicas starting at once must migrate the database once.
    const started = await Promise.allSettled(
      Array.from({ length: count }, async (_, i) => {
        const id = `r${i + 1}`;
        const dataDir = mkdtempSync(join(tmpdir(), `ms-cluster-${id}-`));
        stops.push(async () => rmSync(dataDir, { recursive: true, force: true }));
        const studio = await startStudioProcess({ ...shared, DATA_DIR: dataDir, REPLICA_ID: id }, 60_000);
        stops.push(async () => {
          await studio.kill('SIGKILL');
        });
        return { id, url: studio.url, dataDir, process: studio };
      }),
    );
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    for (const s of started) if (s.status === 'fulfilled') replicas.push(s.value);
    const proxy = await startRoundRobinProxy(replicas.map((r) => r.url));
    stops.push(() => proxy.close());
    return {
      pg,
      s3,
      replicas,
      proxy,
      alive: () => replicas.filter((r) => !killed.has(r)),
      async kill(replica) {
        killed.add(replica);
        await replica.process.kill('SIGKILL');
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
