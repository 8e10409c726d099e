import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createPostgresTaskStore } from '../../server/tasks/postgres/pg-task-store.ts';
import { migrate } from '../../server/tasks/sqlite/database.ts';
import { encodeCursor } from '../../server/tasks/task-store.ts';

/**
 * A long task history written straight into a store's table, for the history-paging rows: a million
 * tasks in seconds, by one INSERT … SELECT the database runs itself (SQLite: rows from a recursive CTE;
 * PostgreSQL: generate_series), since a million creates through the API would take hours. The rows are
 * what real creates leave behind: a create request and stored inputs of normal size (frames, camera
 * moves, motion-brush masks with trajectories), mostly succeeded with an archived video, some failed or
 * cancelled, created over about two years by a handful of clients. Only final statuses: a studio started
 * on this history has nothing to track or send, so only the requests under test use its CPU.
 */

/** The stored shapes of a few kinds of create, with `@EXT@` standing for the task's external id. */
interface Shape {
  model: string;
  mode: string;
  duration: string;
  motion: 'none' | 'camera' | 'brush' | 'frames';
  priceUnits: number;
  request: Record<string, unknown>;
  inputs: Record<string, unknown>;
}

const frame = (file: string, w: number, h: number, bytes: number, source = 'base64') => ({
  file,
  format: file.endsWith('.png') ? 'png' : 'jpeg',
  width: w,
  height: h,
  bytes,
  source,
});

const trajectory = (n: number, x0: number, y0: number) =>
  Array.from({ length: n }, (_, i) => ({ x: x0 + i * 23, y: y0 + Math.round(40 * Math.sin(i / 3)) }));

const SHAPES: Shape[] = [
  {
    model: 'kling-v2-6',
    mode: 'pro',
    duration: '5',
    motion: 'none',
    priceUnits: 3.5,
    request: { model_name: 'kling-v2-6', image: 'input:image', mode: 'pro', duration: '5' },
    inputs: { image: frame('image.jpg', 1920, 1080, 412_338) },
  },
  {
    model: 'kling-v2-1',
    mode: 'pro',
    duration: '10',
    motion: 'frames',
    priceUnits: 7,
    request: {
      model_name: 'kling-v2-1',
      image: 'input:image',
      image_tail: 'input:image_tail',
      mode: 'pro',
      duration: '10',
    },
    inputs: {
      image: frame('image.png', 1280, 720, 1_204_551),
      image_tail: frame('image_tail.png', 1280, 720, 1_187_020),
    },
  },
  {
    model: 'kling-v1-6',
    mode: 'std',
    duration: '5',
    motion: 'camera',
    priceUnits: 1,
    request: {
      model_name: 'kling-v1-6',
      image: 'input:image',
      mode: 'std',
      duration: '5',
      cfg_scale: 0.5,
      camera_control: {
        type: 'simple',
        config: { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 6 },
      },
    },
    inputs: { image: frame('image.jpg', 1024, 1024, 288_104, 'url') },
  },
  {
    model: 'kling-v1-6',
    mode: 'pro',
    duration: '5',
    motion: 'brush',
    priceUnits: 3.5,
    request: {
      model_name: 'kling-v1-6',
      image: 'input:image',
      mode: 'pro',
      duration: '5',
      cfg_scale: 0.5,
      static_mask: 'input:static_mask',
      dynamic_masks: [
        { mask: 'input:dynamic_masks[0].mask', trajectories: trajectory(12, 220, 380) },
        { mask: 'input:dynamic_masks[1].mask', trajectories: trajectory(8, 900, 240) },
      ],
    },
    inputs: {
      image: frame('image.png', 1280, 720, 1_420_877),
      static_mask: frame('static_mask.png', 1280, 720, 9_412),
      'dynamic_masks[0].mask': frame('dynamic_masks-0-mask.png', 1280, 720, 6_108),
      'dynamic_masks[1].mask': frame('dynamic_masks-1-mask.png', 1280, 720, 5_730),
    },
  },
  {
    model: 'kling-v2-5-turbo',
    mode: 'pro',
    duration: '5',
    motion: 'none',
    priceUnits: 2.5,
    request: { model_name: 'kling-v2-5-turbo', image: 'input:image', mode: 'pro', duration: '5' },
    inputs: { image: frame('image.jpg', 1080, 1920, 530_912) },
  },
];

const PROMPTS = [
  'A lighthouse on a cliff at dusk, waves crashing below, slow dolly in, cinematic lighting, volumetric fog',
  'The woman turns toward the camera and smiles, wind in her hair, golden hour, shallow depth of field',
  'Steam rises from the coffee cup, the spoon stirs slowly, morning light through the window, macro shot',
  'A red fox trots through fresh snow in a birch forest, snowflakes drifting, tracking shot at ground level',
  'Neon signs flicker in the rain-soaked alley, a cyclist passes through puddles, reflections, night, 35mm film look',
  'The paper boat drifts down the stream past mossy stones, leaves falling, soft focus background',
  'Product shot: the sneaker rotates on a turntable, studio light sweeps across the leather, white background',
  'Clouds race over the mountain ridge in a timelapse, shadows sweep across the valley, epic wide shot',
];
const NEGATIVE = 'blurry, low quality, watermark, distorted hands, text';

/** The SQL literal of a string (standard quoting, the same in both dialects). */
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** CASE `key` WHEN 0 THEN values[0] … END: picks one of `values` by a number the row computes. */
const pick = (key: string, values: readonly string[]) =>
  `(CASE ${key} % ${values.length} ${values.map((v, i) => `WHEN ${i} THEN ${v}`).join(' ')} END)`;

export type Dialect = 'sqlite' | 'postgres';

export interface HistoryOptions {
  count: number;
  /** The newest task's created_at (ms); the oldest is about two years earlier at a million tasks. */
  newest: number;
}

/** Mean gap between two creates: a million over about two years, the same gap for a smaller history. */
const GAP_MS = 60_000;
/** One task in BATCH_EVERY starts a batch of BATCH_SIZE takes created in the same millisecond. */
const BATCH_EVERY = 16;
const BATCH_SIZE = 4;
/** The row whose moment a batch's take shares (its batch's first; itself outside a batch). */
const batchBase = (i: string) =>
  `(CASE WHEN ${i} % ${BATCH_EVERY} < ${BATCH_SIZE} THEN ${i} - ${i} % ${BATCH_EVERY} ELSE ${i} END)`;

/**
 * The one statement that writes `count` tasks into an empty `tasks` table (the store's migrations already
 * applied). Row i is created about GAP_MS after row i − 1 (jittered), and a batch's takes in the same
 * millisecond, so pages cross created_at ties, which the keyset's insertion order breaks.
 */
export function historyInsertSql(dialect: Dialect, opts: HistoryOptions): string {
  const { count, newest } = opts;
  const oldest = newest - count * GAP_MS;
  const hex = (expr: string, width: number) =>
    dialect === 'sqlite' ? `printf('%0${width}x', ${expr})` : `lpad(to_hex(${expr}), ${width}, '0')`;
  // h: a per-row scramble of i (Knuth's multiplicative hash), for ids and the choices that look random.
  const source =
    dialect === 'sqlite'
      ? `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count}),
         r AS (SELECT i, (i * 2654435761) % 4294967296 AS h, ${batchBase('i')} AS b FROM n)`
      : `WITH r AS (SELECT i::bigint AS i, (i::bigint * 2654435761) % 4294967296 AS h,
                    ${batchBase('i::bigint')} AS b FROM generate_series(1, ${count}) AS i)`;
  const id = `${hex('h', 8)} || '-' || ${hex('i % 65536', 4)} || '-4' || ${hex('(i / 65536) % 4096', 3)} || '-a' || ${hex('h % 4096', 3)} || '-' || ${hex('(i * 40503) % 281474976710656', 12)}`;
  const status = `(CASE WHEN h % 100 < 86 THEN 'succeed' WHEN h % 100 < 95 THEN 'failed' ELSE 'cancelled' END)`;
  const shape = (f: (s: Shape) => string) => pick('(h / 100)', SHAPES.map(f));
  const prompt = pick('(h / 1000)', PROMPTS.map(lit));
  const promptJson = pick(
    '(h / 1000)',
    PROMPTS.map((p) => lit(JSON.stringify(p))),
  );
  // The stored request as create writes it: the images as input references, the external id last.
  const request = shape((s) => {
    const { model_name, image, ...rest } = s.request;
    const head = JSON.stringify({ model_name, image }).slice(0, -1);
    const tail = JSON.stringify({ negative_prompt: NEGATIVE, ...rest, external_task_id: '@EXT@' }).slice(1);
    return lit(`${head},"prompt":@PROMPT@,${tail}`);
  });
  // A batch's takes share their first one's moment; otherwise each row its own, jittered.
  const created = `(${oldest} + b * ${GAP_MS} - ((b * 2654435761) % 4294967296) % 45000)`;
  const inBatch = `i % ${BATCH_EVERY} < ${BATCH_SIZE}`;
  const finished = `(${created} + 60000 + h % 240000)`;
  const columns: Record<string, string> = {
    id: 'id',
    kind: `'image2video'`,
    external_task_id: `'ms-' || id`,
    kling_task_id: `(CASE WHEN status = 'cancelled' THEN NULL ELSE '7' || ${hex('h', 8)} || ${hex('i', 10)} END)`,
    status: 'status',
    status_message: `(CASE status WHEN 'failed' THEN 'Failure to pass the risk control system' WHEN 'cancelled' THEN 'Cancelled before it was sent' ELSE NULL END)`,
    model: shape((s) => lit(s.model)),
    mode: shape((s) => lit(s.mode)),
    duration: shape((s) => lit(s.duration)),
    motion: shape((s) => lit(s.motion)),
    prompt,
    units: `(CASE WHEN status = 'succeed' THEN ${shape((s) => lit(String(s.priceUnits)))} ELSE NULL END)`,
    created_at: 'created',
    updated_at: `(CASE WHEN status = 'succeed' THEN finished + 2000 ELSE finished END)`,
    finished_at: 'finished',
    confirmed_at: `(CASE WHEN status = 'cancelled' THEN NULL ELSE created + 900 END)`,
    result_url: `(CASE WHEN status = 'succeed' THEN 'https://cdn-kling.example.com/bs2/upload-kling-api/' || ${hex('h', 8)} || '/image2video/' || id || '-result.mp4' ELSE NULL END)`,
    result_duration: `(CASE WHEN status = 'succeed' THEN ${shape((s) => lit(`${s.duration}.041`))} ELSE NULL END)`,
    video_path: `(CASE WHEN status = 'succeed' THEN 'videos/' || id || '.mp4' ELSE NULL END)`,
    video_bytes: `(CASE WHEN status = 'succeed' THEN 2000000 + h % 9000000 ELSE NULL END)`,
    video_duration: `(CASE WHEN status = 'succeed' THEN ${shape((s) => lit(`${s.duration}.041`))} ELSE NULL END)`,
    archived_at: `(CASE WHEN status = 'succeed' THEN finished + 2000 ELSE NULL END)`,
    callback_token_hash: 'NULL',
    request_json: `replace(replace(${request}, '@EXT@', 'ms-' || id), '@PROMPT@', ${promptJson})`,
    inputs_json: shape((s) => lit(JSON.stringify(s.inputs))),
    reference_json: 'NULL',
    has_thumbnail: '1',
    client_id: `'10.0.0.' || (h % 7 + 10)`,
    sent_at: `(CASE WHEN status = 'cancelled' THEN NULL ELSE created + 5 END)`,
    queue_seq: 'i',
    price_units: shape((s) => String(s.priceUnits)),
    batch_id: `(CASE WHEN ${inBatch} THEN 'batch-' || ${hex('b', 10)} ELSE NULL END)`,
    batch_index: `(CASE WHEN ${inBatch} THEN i % ${BATCH_EVERY} ELSE NULL END)`,
    batch_size: `(CASE WHEN ${inBatch} THEN ${BATCH_SIZE} ELSE NULL END)`,
    upload_base: 'NULL',
  };
  const names = Object.keys(columns);
  return `INSERT INTO tasks (${names.join(', ')})
    ${source},
    s AS (SELECT i, h, b, ${id} AS id, ${status} AS status, ${created} AS created, ${finished} AS finished FROM r)
    SELECT ${names.map((n) => columns[n]).join(',\n      ')} FROM s`;
}

/** The cursor of the task at `rank` (1: the newest) in a history of `count`: what the page before it ends on. */
export function cursorAtSql(dialect: Dialect, rank: number): string {
  const seq = dialect === 'sqlite' ? 'rowid' : 'seq';
  return `SELECT created_at AS "createdAt", ${seq} AS seq FROM tasks
    ORDER BY created_at DESC, ${seq} DESC LIMIT 1 OFFSET ${rank - 1}`;
}

/**
 * DATA_DIR/studio.db with the store's migrations and `count` tasks; answers the cursor that the page
 * before the task at `deepRank` ends on. The secondary indexes are dropped for the insert and made again
 * after it (one sort each, instead of a million random inserts); no ANALYZE, as a studio never runs one.
 */
export function fillSqliteHistory(dataDir: string, count: number, deepRank: number): string {
  const db = new Database(join(dataDir, 'studio.db'));
  try {
    // Thrown away if the fill fails: no journal, no syncs. The studio turns WAL on when it opens the file.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1000000');
    migrate(db);
    const indexes = db
      .prepare<[], { name: string; sql: string }>(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks' AND sql IS NOT NULL`,
      )
      .all();
    for (const i of indexes) db.exec(`DROP INDEX ${i.name}`);
    db.exec(historyInsertSql('sqlite', { count, newest: Date.now() }));
    for (const i of indexes) db.exec(i.sql);
    const at = db.prepare<[], { createdAt: number; seq: number }>(cursorAtSql('sqlite', deepRank)).get();
    if (!at) throw new Error(`no task at rank ${deepRank}`);
    return encodeCursor(at.createdAt, at.seq);
  } finally {
    db.close();
  }
}

/**
 * The same on PostgreSQL at `url` (an empty database): the store migrates it, then the insert runs with
 * the tasks table's indexes and unique constraints dropped and made again after it, and VACUUM ANALYZE
 * leaves the statistics and visibility map autovacuum would have made by the time a history is this long.
 */
export async function fillPostgresHistory(url: string, count: number, deepRank: number): Promise<string> {
  await (await createPostgresTaskStore({ url, poolSize: 1 })).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'tasks'
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
    );
    const { rows: constraints } = await client.query<{ conname: string; def: string }>(
      `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE conrelid = 'tasks'::regclass AND contype IN ('p', 'u')`,
    );
    for (const i of indexes) await client.query(`DROP INDEX ${i.indexname}`);
    for (const k of constraints) await client.query(`ALTER TABLE tasks DROP CONSTRAINT ${k.conname}`);
    await client.query(historyInsertSql('postgres', { count, newest: Date.now() }));
    await client.query(`SET maintenance_work_mem = '512MB'`);
    for (const k of constraints) await client.query(`ALTER TABLE tasks ADD CONSTRAINT ${k.conname} ${k.def}`);
    for (const i of indexes) await client.query(i.indexdef);
    await client.query('VACUUM ANALYZE tasks');
    const { rows } = await client.query<{ createdAt: string; seq: string }>(
      cursorAtSql('postgres', deepRank),
    );
    if (!rows[0]) throw new Error(`no task at rank ${deepRank}`);
    return encodeCursor(Number(rows[0].createdAt), rows[0].seq);
  } finally {
    await client.end();
  }
}
