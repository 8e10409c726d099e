import type { Config } from '../config/config.ts';
import type { FileStorage } from '../files/file-storage.ts';
import type { Clock } from '../lib/clock.ts';
import type { Lifecycle } from '../lib/lifecycle.ts';
import type { Logger } from '../lib/logger.ts';
import type { SafeFetchOptions } from '../lib/safe-fetch.ts';
import type { Dispatcher } from '../queue/dispatcher.ts';
import type { DailyBudget } from '../tasks/daily-budget.ts';
import type { TaskStore } from '../tasks/task-store.ts';
import type { WalletGuard } from '../tasks/wallet-guard.ts';
import type { TaskEvents } from '../tracker/task-events.ts';
import type { TaskTracker } from '../tracker/task-tracker.ts';
import type { UploadStore } from '../uploads/upload-store.ts';
import type { KlingClient } from '../upstream/kling-client.ts';

/** Everything createApp needs, built by wire.ts (main.ts and tests alike). */
export interface AppDeps {
  config: Config;
  /** What /api/health reports; the simulator's address when it is the upstream. */
  upstream: { kind: 'kling' | 'simulator'; baseUrl: string };
  /** Signs every call itself (the JWT signer lives inside it). */
  client: KlingClient;
  store: TaskStore;
  tracker: TaskTracker;
  events: TaskEvents;
  guard: WalletGuard;
  /** BUDGET_UNITS_PER_DAY. */
  budget: DailyBudget;
  /** Sends queued tasks to Kling as slots free (server/queue). */
  dispatcher: Dispatcher;
  clock: Clock;
  log: Logger;
  /** For image URLs in create requests (the byte cap is the image limit). */
  imageFetch: Omit<SafeFetchOptions, 'maxBytes'>;
  /** Started / shutting down, for GET /api/ready (main.ts sets it; see server/lib/lifecycle.ts). */
  lifecycle: Lifecycle;
  /** Inputs, uploads, archived videos and posters: DATA_DIR, or the bucket with S3_BUCKET. */
  files: FileStorage;
  /** Uploaded reference videos (a motion-control create needs only its `Uploads` part). */
  uploads: UploadStore;
}
