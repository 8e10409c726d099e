import type { TaskStatus } from '../../contract/schemas/kling-task.ts';
import { TASK_CURSOR } from '../../contract/schemas/studio-api.ts';
import type { Clock } from '../lib/clock.ts';
import type { TaskRecord } from './task-record.ts';

/**
 * The studio's state behind one async interface with two implementations: SQLite in DATA_DIR (the
 * default, one process; `sqlite/`) and PostgreSQL when DATABASE_URL is set (several replicas; `postgres/`).
 * Both pass one conformance suite (store-conformance.test.ts). Anything that must be atomic across
 * replicas is one method or one `transaction`, never a read followed by a write in the caller.
 */

/** Sent to Kling and not finished: what holds one of Kling's slots. */
export const UNFINISHED: readonly TaskStatus[] = ['submitted', 'processing'];

/** A queued task that is whole and not in flight: what the dispatcher may send next. */
export interface WaitingTask {
  id: string;
  clientId: string;
  seq: number;
}

/** A client's first waiting task, how many it has waiting, and the client's last turn. */
export interface QueueHead extends WaitingTask {
  count: number;
  /**
   * The turn at which one of the client's tasks last went out (every send takes the next, in the store, so
   * every replica reads the same); 0 when none has.
   */
  served: number;
}

/**
 * A replica's hold on a task (its tracker) or on a role (the queue's dispatcher). `epoch` grows by one
 * each time the hold changes hands: a write fenced by an older epoch changes nothing, so an owner that was
 * paused or cut off past its expiry cannot overwrite what its successor did.
 */
export interface Lease {
  id: string;
  epoch: number;
}

/** One page of the history, newest first; `nextCursor` reads the page after it (null: this is the last). */
export interface TaskPage {
  records: TaskRecord[];
  nextCursor: string | null;
}

export type StoreKind = 'sqlite' | 'postgres';

export interface TaskStore {
  readonly kind: StoreKind;
  insert(record: TaskRecord): Promise<void>;
  /**
   * Inserts every record or none (PostgreSQL: one statement; SQLite: one transaction). Atomic, not
   * serialised: alone (outside `transaction`) it waits for no other replica's create, which is right when
   * nothing is counted before it (both admission limits off). Throws a `DuplicateExternalId` as `insert`.
   */
  insertMany(records: readonly TaskRecord[]): Promise<void>;
  /**
   * Runs `fn` in one transaction on `tx` (a batch's inserts, with the checks that admit them). Transactions
   * are serialised with each other (PostgreSQL: under one advisory lock, across every replica), so "count,
   * then admit" inside one cannot be raced by another replica's create. Throws a `DuplicateExternalId`
   * when an insert's external_task_id is taken.
   */
  transaction<T>(fn: (tx: TaskStore) => Promise<T>): Promise<T>;
  get(id: string): Promise<TaskRecord | undefined>;
  getByExternalId(externalTaskId: string): Promise<TaskRecord | undefined>;
  getByCallbackHash(hash: string): Promise<TaskRecord | undefined>;
  /**
   * Newest first (created_at, then insertion order), `limit` records after `cursor` (an earlier page's
   * `nextCursor`). Keyset paging: as fast at page 10,000 as at page 1, and no COUNT(*). A cursor that is
   * not one of the store's throws a 400 naming `cursor`.
   */
  list(q: { limit: number; status?: TaskStatus; cursor?: string }): Promise<TaskPage>;
  /**
   * What a replica missed while it heard no announcements (server/cluster/task-fanout.ts): the tasks with
   * `updatedAt >= since` and, with `after` (the last row of the previous page), `(updatedAt, id)` past it;
   * oldest first by `(updatedAt, id)`, ids compared byte by byte; at most `limit`. A task changed twice
   * is one row, at its latest place. One range scan of the (updated_at, id) index per page. It relies on
   * every write the web sees moving `updated_at` (the methods below say where it comes from).
   */
  listUpdatedSince(q: {
    since: number;
    after?: { updatedAt: number; id: string };
    limit: number;
  }): Promise<TaskRecord[]>;
  /** Tasks holding one of Kling's slots (submitted or processing). */
  countRunning(): Promise<number>;
  /**
   * Of those, the ids of the ones Kling confirmed: what it may hold (an unanswered create may not exist;
   * one Kling finished is here until the studio hears of it).
   */
  listConfirmedRunningIds(): Promise<string[]>;
  /** Queued (in flight or not) plus running: what the wallet guard's MAX_RUNNING_TASKS bounds. */
  countUnfinished(): Promise<number>;
  countQueued(): Promise<number>;
  listUnfinished(): Promise<TaskRecord[]>;
  /** The task is whole: it joins the end of the queue (`updatedAt`: the store's clock). */
  markReady(id: string): Promise<void>;
  /** The first waiting task of each client, with the client's count. */
  queueHeads(): Promise<QueueHead[]>;
  /** A waiting task's place in its client's queue (1: its first), from the index. */
  rankInClient(clientId: string | null, seq: number): Promise<number>;
  /**
   * Marks a waiting task in flight (`sentAt` and `updatedAt`: `now`) and gives it the queue's next turn
   * (its client's `QueueHead.served`); false when it is no longer waiting (cancelled, say), or when `fence`
   * (the dispatcher role's lease) is no longer this replica's.
   */
  claimForSending(id: string, now: number, fence?: RoleFence): Promise<boolean>;
  /** Queued tasks a crash left in flight: sent, or about to be, with no answer stored. */
  listInFlight(): Promise<TaskRecord[]>;
  /** Queued tasks whose inputs were never all stored (the studio died mid-create). */
  listUnready(): Promise<TaskRecord[]>;
  /** A waiting task becomes `cancelled`, with `message`; false when it is not waiting (any more). */
  cancel(id: string, now: number, message: string): Promise<boolean>;
  /**
   * A waiting task goes before every other waiting task of its client (`updatedAt`: the store's clock);
   * false when it is not waiting.
   */
  moveToFront(id: string): Promise<boolean>;
  /** Units of the tasks created since `since` that were sent or are queued (see SPENDING). */
  spentSince(since: number): Promise<number>;
  /**
   * `spentSince(since)`, `countUnfinished()` and `recentCreates(peer, recentSince)` in one query: what
   * admitting a create counts, read in one round trip while the transaction lock is held.
   */
  admissionCounts(q: { since: number; peer: string; recentSince: number }): Promise<AdmissionCounts>;
  /**
   * The creates admitted for `peer` at or after `since` (a batch is one): the per-client rate limit, counted
   * in the store so that it holds for the whole cluster, whichever replica each create reached.
   */
  recentCreates(peer: string, since: number): Promise<RecentCreates>;
  /**
   * Records one admitted create of `peer` at `at`, and forgets every peer's creates before `forgetBefore`
   * (they no longer count), so the table holds one window's creates at most.
   */
  recordCreate(peer: string, at: number, forgetBefore: number): Promise<void>;
  /** The dispatcher's notes about Kling (queue_state). */
  readQueueState(key: string): Promise<string | undefined>;
  writeQueueState(key: string, value: string): Promise<void>;
  /**
   * Writes the given fields and returns the updated record (throws when the task is gone). Here and in
   * the two below, a patch without `updatedAt` is stamped with the store's clock: no write escapes a
   * catch-up (`listUpdatedSince`) because its caller forgot the field. An empty patch writes nothing.
   */
  update(id: string, patch: TaskPatch): Promise<TaskRecord>;
  /**
   * Writes the fields only while the task is still in `status` (one conditional write); the updated
   * record, or undefined when it had moved on (a callback got there first, say) and nothing changed.
   */
  updateIfStatus(id: string, status: TaskStatus, patch: TaskPatch): Promise<TaskRecord | undefined>;
  /**
   * The tracker's write: applied only while `lease` is still `owner`'s (same epoch, not expired by the
   * database's clock); undefined when it is not, and nothing changed.
   */
  updateFenced(id: string, patch: TaskPatch, owner: string, lease: Lease): Promise<TaskRecord | undefined>;
  delete(id: string): Promise<void>;

  /**
   * Tracker leases, by the database's clock. Takes up to `limit` unfinished tasks (submitted or processing)
   * that nobody holds or whose lease expired (`FOR UPDATE SKIP LOCKED` in PostgreSQL: replicas claiming at
   * once never take the same task), for `leaseMs`. Each taken lease has a new epoch.
   */
  claimTracking(owner: string, leaseMs: number, limit: number): Promise<Lease[]>;
  /**
   * Takes one task's lease now: when it is free, expired or already `owner`'s (then the epoch stays), or
   * with `steal` from whoever holds it (a callback that landed here carries news the holder has not
   * seen). Undefined when another replica holds it (and no steal) or the task is not unfinished.
   */
  claimTask(id: string, owner: string, leaseMs: number, steal?: boolean): Promise<Lease | undefined>;
  /** Extends the leases still `owner`'s (same epoch); answers those, so the rest are known lost. */
  renewTracking(owner: string, leases: Lease[], leaseMs: number): Promise<Lease[]>;
  /** Lets go of a lease (the task ended, or the replica stops): another replica may take it at once. */
  releaseTask(owner: string, lease: Lease): Promise<void>;
  /**
   * A role only one replica plays at a time (`dispatcher`): taken when free or expired, extended when
   * already `owner`'s. Undefined while another replica holds it.
   */
  claimRole(role: string, owner: string, leaseMs: number): Promise<RoleFence | undefined>;
  releaseRole(fence: RoleFence): Promise<void>;

  /** Reference-video uploads (their rows; the files are in file storage). */
  readonly uploads: UploadRows;
  /** True when the database answers a trivial query now (GET /api/health, /api/ready). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The figures a create is admitted by (server/create/create-task.ts `admitAndInsert`). */
export interface AdmissionCounts {
  /** Units spent since the day's start (the daily budget's figure). */
  spentUnits: number;
  /** Tasks queued or running (the wallet guard's MAX_RUNNING_TASKS figure). */
  unfinished: number;
  /** The creating peer's creates in the rate window (the wallet guard's RATE_LIMIT_CREATES_PER_MIN figure). */
  recent: RecentCreates;
}

export interface RecentCreates {
  count: number;
  /** When the oldest of them was admitted (null when there are none): the window frees a place then. */
  oldest: number | null;
}

/** A role lease as a write must prove it: the role, who holds it and at which epoch. */
export interface RoleFence {
  role: string;
  owner: string;
  epoch: number;
}

export type TaskPatch = Partial<Omit<TaskRecord, 'id'>>;

/**
 * The `after` a catch-up page reads from, when it is one: an `after` older than `since` is passed over
 * (every row since `since` is after it), so each page is a single range condition the index answers.
 */
export const pastSince = (q: { since: number; after?: { updatedAt: number; id: string } }) =>
  q.after && q.after.updatedAt >= q.since ? q.after : undefined;

/** A patch as both stores write it: without `updatedAt` it takes the clock's now; an empty one stays empty. */
export const stamped = (patch: TaskPatch, clock: Clock): TaskPatch =>
  patch.updatedAt !== undefined || Object.keys(patch).length === 0
    ? patch
    : { ...patch, updatedAt: clock.now() };

export interface UploadRow {
  id: string;
  format: 'mp4' | 'mov';
  bytes: number;
  width: number;
  height: number;
  durationMs: number;
  hasAudio: boolean;
  createdAt: number;
}

export interface UploadRows {
  insert(row: UploadRow): Promise<void>;
  get(id: string): Promise<UploadRow | undefined>;
  allIds(): Promise<string[]>;
  /** Records that `taskId` uses the upload; throws notFound('upload') when the upload is gone. */
  claim(uploadId: string, taskId: string): Promise<void>;
  /** The upload is claimed by `taskId` and that task is at Kling (or being sent): Kling may fetch it. */
  claimedByServable(uploadId: string, taskId: string): Promise<boolean>;
  /**
   * In one transaction: removes the rows of uploads created before `cutoff` that no unfinished task
   * claims, and answers them (their files go next; a claim of a removed upload fails from now on).
   */
  removeExpired(cutoff: number): Promise<Pick<UploadRow, 'id' | 'format'>[]>;
}

/** The cursor of `list` (its syntax is the contract's TASK_CURSOR): created_at and insertion sequence. */
export const encodeCursor = (createdAt: number, seq: number | bigint | string) => `${createdAt}.${seq}`;
export function decodeCursor(cursor: string): { createdAt: number; seq: string } | undefined {
  if (!TASK_CURSOR.test(cursor)) return undefined;
  const [createdAt, seq] = cursor.split('.') as [string, string];
  return { createdAt: Number(createdAt), seq };
}
