// The studio as the e2e suite sees it: a fresh DATA_DIR, no Kling keys (so the built-in simulator),
// and short simulator phases so journeys finish in seconds.
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// One data dir per port, so two runs on different ports (two developers' helpers, say) never share one.
const dataDir = join(root, `e2e/.tmp/data-${process.env.PORT ?? 'default'}`);
rmSync(dataDir, { recursive: true, force: true });
for (const k of ['KLING_ACCESS_KEY', 'KLING_SECRET_KEY', 'KLING_API_KEY', 'APP_TOKEN', 'PUBLIC_URL'])
  delete process.env[k];
process.env.DATA_DIR = dataDir;
process.env.SIM_PHASE_MS ??= '400';
process.env.POLL_MIN_MS ??= '300';
process.env.POLL_MAX_MS ??= '1000';
// Journeys run in parallel against one simulator: its account limit (1303), the studio's queue slots and
// its wallet guard are raised so that parallel specs never throttle each other. Tests of those limits set
// their own.
process.env.SIM_CONCURRENCY ??= '100';
process.env.KLING_CONCURRENCY ??= '100';
process.env.RATE_LIMIT_CREATES_PER_MIN ??= '1000';
process.env.MAX_RUNNING_TASKS ??= '100';
// The journeys are not about the disk: a CI machine with little free space must not turn creates into 507s.
process.env.MIN_FREE_DISK_BYTES ??= '0';
// A hung upstream is given up on in seconds, so the fault journeys can watch it happen.
process.env.UPSTREAM_TIMEOUT_MS ??= '4000';
// One model the operator has retired, so models-v3.spec.ts can watch the studio refuse it (no other spec
// uses kling-v2-1-master).
process.env.RETIRED_MODELS ??= 'kling-v2-1-master';
await import('./start.mjs');
