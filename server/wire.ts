import { createKlingAuth, type KlingAuth } from './auth/kling-auth.ts';
import { type ChangeFeed, createPostgresChangeFeed } from './cluster/change-feed.ts';
import {
  type AnnouncingEvents,
  announcingEvents,
  createAnnouncer,
  createTaskFanout,
} from './cluster/task-fanout.ts';
import type { Config, KlingCredentials } from './config/config.ts';
import { createFileStorage } from './files/file-storage.ts';
import { removeStaleDownloads } from './inputs/reference-video.ts';
import { type Clock, systemClock } from './lib/clock.ts';
import { createLifecycle, type Lifecycle } from './lib/lifecycle.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { hostEntry } from './lib/safe-fetch.ts';
import { createDispatcher, type Dispatcher } from './queue/dispatcher.ts';
import type { AppDeps } from './routes/app-deps.ts';
import { createDailyBudget } from './tasks/daily-budget.ts';
import { createPostgresTaskStore } from './tasks/postgres/pg-task-store.ts';
import { openDatabase } from './tasks/sqlite/database.ts';
import { createSqliteTaskStore } from './tasks/sqlite/sqlite-task-store.ts';
import { type TaskRecord, toStudioTask } from './tasks/task-record.ts';
import type { TaskStore } from './tasks/task-store.ts';
import { createWalletGuard } from './tasks/wallet-guard.ts';
import { createTaskEvents } from './tracker/task-events.ts';
import { createTaskTracker } from './tracker/task-tracker.ts';
import { createUploadStore } from './uploads/upload-store.ts';
import { sharedUrlKey } from './uploads/url-signing.ts';
import { createKlingClient } from './upstream/kling-client.ts';

/** The upstream after startup decided it: real Kling, a standalone simulator, or the built-in one. */
export interface ResolvedUpstream {
  kind: 'kling' | 'simulator';
  baseUrl: string;
  credentials: KlingCredentials;
}

export interface Services extends AppDeps {
  auth: KlingAuth;
  /** Stops the dispatcher and the tracker and closes the database. */
  close(): Promise<void>;
}

/**
 * Where a simulator (built-in or standalone at KLING_BASE_URL) serves its results, `GET /__sim/videos/<id>.mp4`
 * (server/simulator/routes.ts). Real Kling links point at a public CDN and need no exemption.
 */
export const UPSTREAM_VIDEO_PREFIX = '/__sim/videos/';

/** Builds every dependency of createApp from the config; main.ts and the tests share it. */
export async function createServices(opts: {
  config: Config;
  upstream: ResolvedUpstream;
  clock?: Clock;
  log?: Logger;
  auth?: KlingAuth;
  lifecycle?: Lifecycle;
  /** Tests: wraps the store every service uses (a store that answers late, as over a network, say). */
  decorateStore?: (store: TaskStore) => TaskStore;
}): Promise<Services> {
  const { config, upstream } = opts;
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger({ level: config.logLevel });
  const opened = await openStore(config, clock);
  const store = opts.decorateStore ? opts.decorateStore(opened) : opened;
  // Inputs, uploads, videos and posters: DATA_DIR, or the bucket with S3_BUCKET (server/files).
  const files = createFileStorage(config);
  // Cluster mode (DATABASE_URL): changes cross replicas on LISTEN/NOTIFY. One process needs none of it.
  const cluster = config.cluster.databaseUrl
    ? await clusterFeed(config.cluster.databaseUrl, config.cluster.listenUrl, config.cluster.replicaId, log)
    : undefined;
  const auth = opts.auth ?? createKlingAuth(upstream.credentials, clock);
  const client = createKlingClient({
    baseUrl: upstream.baseUrl,
    auth,
    timeoutMs: config.upstreamTimeoutMs,
    log,
  });
  const bus = createTaskEvents();
  // Every publish also tells the other replicas which task changed; they read it and tell their clients.
  const events = cluster ? announcingEvents(bus, cluster.feed, log) : bus;
  const queueNews = cluster ? createAnnouncer(cluster.feed, 'queue', log) : undefined;
  const lease = cluster ? { owner: config.cluster.replicaId, leaseMs: config.cluster.leaseMs } : undefined;
  // The operator's own list applies to every fetch. The upstream may live on loopback (a simulator), but
  // only its video links are trusted, only for the archive, and never as a redirect target: a creator's
  // image URL (or a redirect) aimed at it is refused like any other private address.
  const allowHosts: ReadonlySet<string> = new Set(config.urlFetch.allowHosts);
  const exemptFirstHop = { host: hostEntry(new URL(upstream.baseUrl)), pathPrefix: UPSTREAM_VIDEO_PREFIX };
  // The tracker tells the dispatcher when a slot frees: Kling is done with a task (before the archive), or
  // a task ended.
  let upstreamFinished: (id: string, status: TaskRecord['status'], endedAt: number) => void = () => {};
  let taskEnded: (id: string) => void = () => {};
  let catchUpAfterTakeOver: () => void = () => {};
  const tracker = createTaskTracker({
    store,
    client,
    events,
    clock,
    log,
    files,
    archiveFetch: {
      maxBytes: config.archive.maxBytes,
      timeoutMs: config.archive.timeoutMs,
      allowHosts,
      exemptFirstHop,
    },
    pollMinMs: config.tracker.pollMinMs,
    pollMaxMs: config.tracker.pollMaxMs,
    confirmWindowMs: config.tracker.confirmWindowMs,
    callbacks: config.publicUrl !== undefined,
    onUpstreamFinal: (id, status, endedAt) => upstreamFinished(id, status, endedAt),
    onFinal: (id) => taskEnded(id),
    ...(lease ? { lease, onTakeOver: () => catchUpAfterTakeOver() } : {}),
  });
  const uploads = createUploadStore({
    // Kling's download of a signed link may land on any replica: they share one key, in the database.
    ...(cluster ? { signingKey: await sharedUrlKey(store) } : {}),
    rows: store.uploads,
    files,
    dataDir: config.dataDir,
    clock,
    log,
    ttlMs: config.uploadTtlMs,
  });
  // Before the first request can arrive: leftovers of a crash go first, then old unused uploads.
  await uploads.start();
  removeStaleDownloads(config.dataDir);
  const guard = createWalletGuard({
    createsPerMinute: config.walletGuard.createsPerMinute,
    maxRunningTasks: config.walletGuard.maxRunningTasks,
    counts: store,
    clock,
  });
  const budget = createDailyBudget({
    unitsPerDay: config.queue.budgetUnitsPerDay,
    spending: store,
    clock,
  });
  const dispatcher = createDispatcher({
    store,
    client,
    tracker,
    clock,
    log,
    files,
    publicUrl: config.publicUrl,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    uploads,
    concurrency: config.queue.concurrency,
    // By then the studio has heard of every task that ended before a moment: its slowest poll, or a
    // callback (polls are then the fallback).
    verifyMs: Math.min(config.tracker.pollMaxMs, config.publicUrl ? 2000 : Number.POSITIVE_INFINITY) + 500,
    ...(lease ? { role: lease, onTakeOver: () => catchUpAfterTakeOver() } : {}),
  });
  upstreamFinished = (id, status, endedAt) => dispatcher.upstreamFinished(id, status, endedAt);
  taskEnded = (id) => {
    dispatcher.taskEnded(id);
    // The replica that sends the queue may be another: a slot freed here frees it there.
    queueNews?.add(id);
  };
  // A create, cancel or move on any replica wakes the sender wherever it runs.
  const queue: Dispatcher = queueNews
    ? {
        ...dispatcher,
        wake() {
          dispatcher.wake();
          queueNews.add('wake');
        },
      }
    : dispatcher;
  const fanout = cluster
    ? createTaskFanout({
        feed: cluster.feed,
        store,
        events: bus,
        log,
        present: async (r) => toStudioTask(r, await dispatcher.placeOf(r)),
        // A replica killed between a write and its NOTIFY: its clients' news reaches the others this late.
        sweepMs: 5000,
      })
    : undefined;
  // A replica that died may have written its last changes without announcing them: whoever takes its
  // work over reads what changed lately and tells its own clients.
  catchUpAfterTakeOver = () => {
    if (!fanout || !lease) return;
    fanout.catchUp(Date.now() - 2 * lease.leaseMs - 5000).catch((e: unknown) => {
      log.warn('catching up after a takeover failed', { error: e });
    });
  };
  const stopHearingQueue = cluster?.feed.subscribe((change) => {
    if (change.topic === 'queue' && !change.fromSelf) dispatcher.wake();
  });
  return {
    config,
    upstream: { kind: upstream.kind, baseUrl: upstream.baseUrl },
    client,
    store,
    tracker,
    events,
    guard,
    budget,
    dispatcher: queue,
    clock,
    log,
    auth,
    imageFetch: { timeoutMs: config.urlFetch.timeoutMs, allowHosts },
    uploads,
    files,
    lifecycle: opts.lifecycle ?? createLifecycle(),
    async close() {
      uploads.stop();
      await dispatcher.stop();
      await tracker.stop();
      // What this replica changed last still reaches the others before the connections go.
      stopHearingQueue?.();
      await (events as Partial<AnnouncingEvents>).flush?.();
      await queueNews?.flush();
      await fanout?.stop();
      await cluster?.feed.close();
      await store.close();
      await files.close();
    },
  };
}

/** DATA_DIR/studio.db, or PostgreSQL when DATABASE_URL is set (cluster mode). */
async function openStore(config: Config, clock: Clock): Promise<TaskStore> {
  if (config.cluster.databaseUrl) return createPostgresTaskStore({ url: config.cluster.databaseUrl, clock });
  return createSqliteTaskStore(openDatabase(config.dataDir), { clock });
}

/** The change feed between replicas, on its own listening connection (DATABASE_LISTEN_URL). */
async function clusterFeed(
  databaseUrl: string,
  listenUrl: string | undefined,
  replicaId: string,
  log: Logger,
): Promise<{ feed: ChangeFeed }> {
  const feed = await createPostgresChangeFeed({
    listenUrl: listenUrl ?? databaseUrl,
    notify: { url: databaseUrl },
    log,
    applicationName: `motion-studio ${replicaId}`.slice(0, 63),
  });
  return { feed };
}
