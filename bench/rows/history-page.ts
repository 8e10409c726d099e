import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskList } from '../../contract/schemas/studio-api.ts';
import { createDatabase, startPostgres } from '../../server/testing/postgres.ts';
import { startStudioProcess } from '../../server/testing/studio-process.ts';
import { fillPostgresHistory, fillSqliteHistory } from '../lib/history-fill.ts';
import { cpuMs } from '../lib/proc.ts';
import { limitRow, type RowResult } from '../lib/row.ts';
import { median, percentile } from '../lib/stats.ts';

const LARGE = 1_000_000;
const SMALL = 1_000;
/** The gallery's page (web/features/tasks/use-gallery-history.ts): what a browser really asks for. */
const PAGE_SIZE = 100;
const WARMUP = 30;
const SAMPLES = 200;
/** Pages read in a row by nextCursor from the deep cursor on, as a gallery scrolled that far would. */
const WALK_PAGES = 50;
const GOAL_MS = 5;

interface Measured {
  first: number[];
  deep: number[];
  walk: number[];
  /** The studio process's CPU per GET, over the first and deep samples. */
  cpuMsPerGet: number;
  fillSeconds: number;
}

/**
 * GET /api/tasks at a million tasks on each store, through the real route: a studio process (`npm start`'s
 * server/main.ts, the built-in simulator as upstream) on a history written straight into its database,
 * asked sequentially by one keep-alive client, as the gallery asks (pageSize 100). First page: no cursor.
 * Deep page: the cursor of the page that ends at the 900,000th newest task (built from the database, as
 * nextCursor would be after 9,000 pages). Baseline: the same two requests on a history of 1,000 (its deep
 * cursor at the 900th), in the same run and the same way.
 */
export async function historyPageRows(): Promise<RowResult[]> {
  const sqlite = { small: await onSqlite(SMALL), large: await onSqlite(LARGE) };
  const pgCluster = await startPostgres();
  let postgres: { small: Measured; large: Measured };
  try {
    postgres = {
      small: await onPostgres(pgCluster.url, 'history_small', SMALL),
      large: await onPostgres(pgCluster.url, 'history_large', LARGE),
    };
  } finally {
    await pgCluster.stop();
  }
  const load = os.loadavg()[0]!.toFixed(1);
  const lines = (store: string, m: { small: Measured; large: Measured }): RowResult[] => {
    const facts = (x: Measured) =>
      `p95 ${percentile(x.first, 95).toFixed(1)} ms first, ${percentile(x.deep, 95).toFixed(1)} ms deep; the studio's CPU ${x.cpuMsPerGet.toFixed(2)} ms per GET`;
    return [
      limitRow({
        row: 'history_page',
        metric: `p50 GET /api/tasks first page (${PAGE_SIZE}), ${LARGE.toLocaleString('en')} tasks, ${store}`,
        value: median(m.large.first),
        baseline: median(m.small.first),
        unit: 'ms',
        limit: { max: GOAL_MS },
        how: `${SAMPLES} sequential GETs after ${WARMUP} warm-up ones, client round trip; baseline = the same at ${SMALL.toLocaleString('en')} tasks (${facts(m.small)}); at ${LARGE.toLocaleString('en')}: ${facts(m.large)}; history filled in ${m.large.fillSeconds.toFixed(0)} s; 1-min load average ${load} on ${os.cpus().length} cores`,
        samples: { large: m.large.first, small: m.small.first },
      }),
      limitRow({
        row: 'history_page',
        metric: `p50 GET /api/tasks deep page (after the 900,000th), ${LARGE.toLocaleString('en')} tasks, ${store}`,
        value: median(m.large.deep),
        baseline: median(m.small.deep),
        unit: 'ms',
        limit: { max: GOAL_MS },
        how: `${SAMPLES} GETs of the page after the 900,000th newest task (its cursor built from the database); baseline = the page after the 900th of ${SMALL.toLocaleString('en')}; following nextCursor on from there for ${WALK_PAGES} pages: p50 ${median(m.large.walk).toFixed(2)} ms, each a different page`,
        samples: { large: m.large.deep, small: m.small.deep, walk: m.large.walk },
      }),
    ];
  };
  return [...lines('SQLite', sqlite), ...lines('PostgreSQL', postgres)];
}

async function onSqlite(count: number): Promise<Measured> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ms-bench-history-'));
  try {
    const t0 = performance.now();
    const deepCursor = fillSqliteHistory(dataDir, count, Math.round(count * 0.9));
    const fillSeconds = (performance.now() - t0) / 1000;
    return await measure({ DATA_DIR: dataDir }, deepCursor, count, fillSeconds);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function onPostgres(clusterUrl: string, name: string, count: number): Promise<Measured> {
  const url = await createDatabase(clusterUrl, name);
  const dataDir = mkdtempSync(join(tmpdir(), 'ms-bench-history-'));
  try {
    const t0 = performance.now();
    const deepCursor = await fillPostgresHistory(url, count, Math.round(count * 0.9));
    const fillSeconds = (performance.now() - t0) / 1000;
    return await measure({ DATA_DIR: dataDir, DATABASE_URL: url }, deepCursor, count, fillSeconds);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measure(
  env: Record<string, string>,
  deepCursor: string,
  count: number,
  fillSeconds: number,
): Promise<Measured> {
  const studio = await startStudioProcess({ ...env, LOG_LEVEL: 'warn' }, 120_000);
  try {
    const expectStore = env.DATABASE_URL ? 'postgres' : 'sqlite';
    const health = (await (await fetch(`${studio.url}/api/health`)).json()) as { store?: string };
    if (health.store !== expectStore)
      throw new Error(`the studio runs on ${health.store}, not ${expectStore}`);
    const page = async (cursor?: string) => {
      const q = new URLSearchParams({ pageSize: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) });
      const started = performance.now();
      const res = await fetch(`${studio.url}/api/tasks?${q}`);
      const body = (await res.json()) as TaskList;
      const ms = performance.now() - started;
      if (res.status !== 200 || body.tasks.length !== PAGE_SIZE)
        throw new Error(`GET /api/tasks?${q} answered ${res.status} with ${body.tasks?.length} tasks`);
      return { ms, body };
    };
    for (let i = 0; i < WARMUP; i++) await page(i % 2 ? deepCursor : undefined);

    const pid = studio.child.pid!;
    const cpuBefore = cpuMs(pid);
    const first: number[] = [];
    for (let i = 0; i < SAMPLES; i++) first.push((await page()).ms);
    const deep: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const { ms, body } = await page(deepCursor);
      deep.push(ms);
      // At 1,000 the page after the 900th is the last; at a million there are 99,900 more.
      if ((body.nextCursor === null) !== (count === SMALL)) throw new Error('the deep page ends wrongly');
    }
    const cpuMsPerGet = (cpuMs(pid) - cpuBefore) / (2 * SAMPLES);

    const walk: number[] = [];
    const seen = new Set<string>();
    let cursor: string | null = deepCursor;
    for (let i = 0; i < WALK_PAGES && cursor; i++) {
      const { ms, body } = await page(cursor);
      walk.push(ms);
      for (const t of body.tasks) seen.add(t.id);
      cursor = body.nextCursor;
    }
    if (seen.size !== walk.length * PAGE_SIZE) throw new Error('walking nextCursor repeated a task');
    return { first, deep, walk, cpuMsPerGet, fillSeconds };
  } finally {
    await studio.kill('SIGTERM');
  }
}
