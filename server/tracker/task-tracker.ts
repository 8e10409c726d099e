import { isFinalStatus, type KlingTask } from '../../contract/schemas/kling-task.ts';
import { canMove } from '../../contract/tasks/status-order.ts';
import type { FileStorage } from '../files/file-storage.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { type FileFetchOptions, SafeFetchError } from '../lib/safe-fetch.ts';
import type { TaskRecord } from '../tasks/task-record.ts';
import { toStudioTask } from '../tasks/task-record.ts';
import type { Lease, TaskPatch, TaskStore } from '../tasks/task-store.ts';
import type { KlingClient } from '../upstream/kling-client.ts';
import { UpstreamError } from '../upstream/upstream-error.ts';
import {
  archiveGaveUp,
  klingFailure,
  NEVER_CONFIRMED,
  NO_VIDEO_URL,
  videoNotSaved,
  WAITING_FOR_CONFIRMATION,
} from './failure-words.ts';
import type { TaskEvents } from './task-events.ts';
import { archiveVideo } from './video-archive.ts';

/**
 * The one follower of every unfinished task. Each task has at most one timer and one upstream query in
 * flight, however many browser tabs watch it (they only listen to `events`). With callbacks (PUBLIC_URL)
 * Kling's notifications drive it and polling only runs slowly as a safety net for a lost callback;
 * without, polling starts at pollMinMs and backs off to pollMaxMs, slower still when Kling throttles.
 * Every update for one task runs in order (a per-task queue), so a poll and a callback never interleave.
 */
export interface TaskTracker {
  /** Follow a task (idempotent). */
  track(id: string, delayMs?: number): void;
  /** After a restart: follow every unfinished task again. Resolves to how many. */
  resumeAll(): Promise<number>;
  /** Apply what Kling said about a task (create answer, poll or callback); never moves it backwards. */
  applyUpstream(
    id: string,
    task: KlingTask,
    via: 'create' | 'poll' | 'callback',
  ): Promise<TaskRecord | undefined>;
  /** Announce a stored studio-side change (used by the queue when it settles a send). */
  publish(record: TaskRecord): void;
  tracking(): number;
  stop(): Promise<void>;
}

export interface TrackerOptions {
  store: TaskStore;
  client: KlingClient;
  events: TaskEvents;
  clock: Clock;
  log: Logger;
  /** Where archived videos go (DATA_DIR or the bucket). */
  files: FileStorage;
  archiveFetch: FileFetchOptions;
  pollMinMs: number;
  pollMaxMs: number;
  /** How long a create without an answer is looked up by external_task_id before it counts as never made. */
  confirmWindowMs: number;
  /** Kling calls back (PUBLIC_URL set): poll only as a slow safety net. */
  callbacks: boolean;
  archiveAttempts?: number;
  /**
   * Kling says a task is done (succeed or failed), before its video is archived: Kling's slot is free
   * now, and the queue's dispatcher sends the next task at once rather than after the download.
   * `endedAt`: Kling's `updated_at` of that news, when it ended by Kling's clock.
   */
  onUpstreamFinal?: (id: string, status: TaskRecord['status'], endedAt: number) => void;
  /** A task reached a final status in the store (every final status is published through here). */
  onFinal?: (id: string) => void;
  /**
   * Cluster mode: follow a task only while holding its lease (TRACKER_LEASE_MS, as `owner`), renew the held
   * leases on a timer, take over tasks whose lease lapsed (a replica died), and fence every write by the
   * lease's epoch, so one replica polls a task at a time and a paused owner's late write changes nothing.
   * Without it (one process) every unfinished task is this process's.
   */
  lease?: { owner: string; leaseMs: number };
  /** Cluster: tasks of a replica that died were taken over (its last changes may not have been announced). */
  onTakeOver?: () => void;
}

interface Entry {
  timer: NodeJS.Timeout | undefined;
  intervalMs: number;
  archiveFailures: number;
  /** Cluster mode: the lease held, and until when (this process's clock, renewed on the timer). */
  lease?: Lease;
  heldUntil?: number;
}

/** How long before its lease runs out a replica stops polling a task it could not renew. */
const LEASE_MARGIN = 0.2;

export function createTaskTracker(o: TrackerOptions): TaskTracker {
  const entries = new Map<string, Entry>();
  const queues = new Map<string, Promise<unknown>>();
  const maxArchiveAttempts = o.archiveAttempts ?? 3;
  let stopped = false;
  const releasing = new Set<Promise<void>>();

  /** Runs `fn` after everything already queued for this task. */
  function serialize<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = queues.get(id) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => {});
    queues.set(id, tail);
    void tail.then(() => {
      if (queues.get(id) === tail) queues.delete(id);
    });
    return run;
  }

  const firstInterval = () => (o.callbacks ? o.pollMaxMs : o.pollMinMs);

  function schedule(id: string, delayMs: number) {
    const entry = entries.get(id);
    if (!entry || stopped) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      serialize(id, () => poll(id)).catch((e: unknown) => {
        // The store could not be read or written (the database restarting, say): try again later.
        o.log.warn('following a task failed; will retry', { id, error: e });
        if (entries.get(id) === entry) schedule(id, Math.max(entry.intervalMs, o.pollMinMs));
      });
    }, delayMs);
  }

  function untrack(id: string) {
    const entry = entries.get(id);
    if (entry?.timer) clearTimeout(entry.timer);
    entries.delete(id);
    if (o.lease && entry?.lease) {
      const release = o.store.releaseTask(o.lease.owner, entry.lease).catch((e: unknown) => {
        o.log.warn('releasing a task lease failed', { id, error: e });
      });
      releasing.add(release);
      void release.finally(() => releasing.delete(release));
    }
  }

  const newEntry = (): Entry => ({ timer: undefined, intervalMs: firstInterval(), archiveFailures: 0 });

  /** The lease as held now (taken when missing; stolen for a callback's news); undefined: not ours. */
  async function holdLease(id: string, steal: boolean): Promise<Lease | undefined> {
    if (!o.lease) return undefined;
    const entry = entries.get(id);
    if (entry?.lease && (entry.heldUntil ?? 0) > Date.now()) return entry.lease;
    const lease = await o.store.claimTask(id, o.lease.owner, o.lease.leaseMs, steal);
    if (!lease) return undefined;
    const held = entries.get(id) ?? newEntry();
    held.lease = lease;
    held.heldUntil = Date.now() + o.lease.leaseMs * (1 - LEASE_MARGIN);
    if (!entries.has(id) && !stopped) {
      entries.set(id, held);
      schedule(id, firstInterval());
    }
    return lease;
  }

  /**
   * Writes what Kling said. One process: plainly. Cluster: a queued task's create answer (the sender's
   * write) only while it is still queued; any other, only under this replica's lease: a write refused by
   * the fence means another replica follows the task now, and this one lets it go.
   */
  async function write(id: string, record: TaskRecord, patch: TaskPatch): Promise<TaskRecord | undefined> {
    if (!o.lease) return o.store.update(id, patch);
    if (record.status === 'queued') return o.store.updateIfStatus(id, 'queued', patch);
    const lease = entries.get(id)?.lease;
    const updated = lease ? await o.store.updateFenced(id, patch, o.lease.owner, lease) : undefined;
    if (!updated) {
      o.log.info('another replica follows this task now; letting it go', { id });
      const entry = entries.get(id);
      if (entry) entry.lease = undefined;
      untrack(id);
    }
    return updated;
  }

  function publish(record: TaskRecord) {
    o.events.publish(toStudioTask(record));
    if (isFinalStatus(record.status)) o.onFinal?.(record.id);
  }

  async function poll(id: string): Promise<void> {
    const entry = entries.get(id);
    // Cluster: only while the lease surely holds (renewed in time): one replica polls a task at a time.
    if (entry && o.lease && !(entry.lease && (entry.heldUntil ?? 0) > Date.now())) {
      entry.lease = undefined;
      return untrack(id);
    }
    const record = await o.store.get(id);
    if (!entry || stopped) return;
    if (!record || isFinalStatus(record.status)) return untrack(id);
    let next = Math.min(o.pollMaxMs, Math.round(entry.intervalMs * 1.5));
    try {
      const remote = await o.client.getTask(record.klingTaskId ?? record.externalTaskId, record.kind);
      if (remote) await applyLocked(id, remote, 'poll');
      else if (
        record.confirmedAt === null &&
        o.clock.now() - (record.sentAt ?? record.createdAt) > o.confirmWindowMs
      ) {
        o.log.warn('create never confirmed by Kling; giving up', {
          id,
          externalTaskId: record.externalTaskId,
        });
        const now = o.clock.now();
        const failed = await write(id, record, {
          status: 'failed',
          statusMessage: NEVER_CONFIRMED,
          finishedAt: now,
          updatedAt: now,
        });
        if (failed) publish(failed);
      }
    } catch (e) {
      if (e instanceof UpstreamError && e.throttled)
        next = Math.min(o.pollMaxMs, Math.max(entry.intervalMs * 2, o.pollMinMs * 4));
      o.log.warn('poll failed; will retry', { id, error: e });
    }
    entry.intervalMs = o.callbacks ? o.pollMaxMs : next;
    const after = await o.store.get(id);
    if (after && !isFinalStatus(after.status)) schedule(id, entry.intervalMs);
    else untrack(id);
  }

  async function applyLocked(id: string, remote: KlingTask, via: string): Promise<TaskRecord | undefined> {
    const record = await o.store.get(id);
    if (!record) return undefined;
    // A finished task is final: late or repeated news changes nothing.
    if (isFinalStatus(record.status)) return record;
    if (record.klingTaskId && remote.task_id !== record.klingTaskId) {
      o.log.warn('upstream update for a different Kling task ignored', { id, via });
      return record;
    }
    // Cluster: a callback's news is applied here, whoever followed the task (its lease moves here); a
    // poll's only while this replica still holds it. Nothing is archived without the lease.
    if (o.lease && record.status !== 'queued' && !(await holdLease(id, via === 'callback'))) return record;
    const now = o.clock.now();
    const patch: Partial<TaskRecord> = {};
    if (!record.klingTaskId) patch.klingTaskId = remote.task_id;
    if (record.confirmedAt === null) {
      patch.confirmedAt = now;
      if (record.statusMessage === WAITING_FOR_CONFIRMATION) patch.statusMessage = null;
    }
    if (remote.final_unit_deduction && remote.final_unit_deduction !== record.units)
      patch.units = remote.final_unit_deduction;

    if (canMove(record.status, remote.task_status)) {
      // A queued task's create answer says `submitted`: it is at Kling now.
      if (remote.task_status === 'submitted' || remote.task_status === 'processing')
        patch.status = remote.task_status;
      else o.onUpstreamFinal?.(id, record.status, remote.updated_at);
      if (remote.task_status === 'failed') {
        Object.assign(patch, {
          status: 'failed',
          statusMessage: klingFailure(remote.task_status_msg),
          finishedAt: now,
        });
      } else if (remote.task_status === 'succeed')
        Object.assign(patch, await finishWithVideo(id, record, remote, now));
    }
    if (Object.keys(patch).length === 0) return record;
    const updated = await write(id, record, { ...patch, updatedAt: now });
    if (!updated) return o.store.get(id);
    o.log.info('task updated', { id, via, status: updated.status, archived: updated.archivedAt !== null });
    publish(updated);
    if (isFinalStatus(updated.status)) untrack(id);
    return updated;
  }

  /** Archive the result, then mark it succeeded; a failed copy leaves it running to retry, up to a limit. */
  async function finishWithVideo(id: string, record: TaskRecord, remote: KlingTask, now: number) {
    const video = remote.task_result?.videos?.[0];
    if (!video?.url) return { status: 'succeed' as const, statusMessage: NO_VIDEO_URL, finishedAt: now };
    const result = { resultUrl: video.url, resultDuration: video.duration };
    try {
      const { relPath, bytes } = await archiveVideo(video.url, o.files, id, o.archiveFetch);
      const done = o.clock.now();
      return {
        ...result,
        status: 'succeed' as const,
        videoPath: relPath,
        videoBytes: bytes,
        videoDuration: video.duration,
        archivedAt: done,
        finishedAt: done,
      };
    } catch (e) {
      const entry = entries.get(id);
      const failures = (entry?.archiveFailures ?? 0) + 1;
      if (entry) entry.archiveFailures = failures;
      o.log.warn('archiving the result failed', { id, attempt: failures, error: e });
      if (failures >= maxArchiveAttempts || !entry) {
        const reason = e instanceof Error ? e.message : 'download failed';
        return {
          ...result,
          status: 'succeed' as const,
          statusMessage:
            e instanceof SafeFetchError && e.reason === 'write'
              ? videoNotSaved(e.code)
              : archiveGaveUp(reason),
          finishedAt: now,
        };
      }
      // Still running from the studio's point of view: the next poll sees `succeed` again and retries.
      return record.resultUrl === video.url ? {} : result;
    }
  }

  function track(id: string, delayMs?: number) {
    if (stopped) return;
    if (o.lease && !entries.get(id)?.lease) {
      // Followed here only if the lease is free (the sender takes what it sent; a sweep takes orphans).
      holdLease(id, false)
        .then((lease) => {
          if (lease) schedule(id, delayMs ?? firstInterval());
        })
        .catch((e: unknown) => o.log.warn('taking a task lease failed', { id, error: e }));
      return;
    }
    if (!entries.has(id)) entries.set(id, newEntry());
    schedule(id, delayMs ?? firstInterval());
  }

  /**
   * Cluster: renews the leases held (a lost one is let go) and takes tasks whose lease lapsed — a dead
   * replica's — to poll them at once. Every ~second at most, so a failover takes at most a lease and a beat.
   */
  async function leaseBeat(): Promise<number> {
    if (!o.lease || stopped) return 0;
    const { owner, leaseMs } = o.lease;
    const held = [...entries.values()].flatMap((e) => (e.lease ? [e.lease] : []));
    if (held.length) {
      const renewedAt = Date.now();
      const kept = new Set((await o.store.renewTracking(owner, held, leaseMs)).map((l) => l.id));
      for (const lease of held) {
        const entry = entries.get(lease.id);
        if (!entry || entry.lease?.epoch !== lease.epoch) continue;
        if (kept.has(lease.id)) entry.heldUntil = renewedAt + leaseMs * (1 - LEASE_MARGIN);
        else {
          entry.lease = undefined;
          untrack(lease.id);
        }
      }
    }
    const taken = await o.store.claimTracking(owner, leaseMs, 100);
    for (const lease of taken) {
      if (stopped) break;
      const entry = entries.get(lease.id) ?? newEntry();
      entry.lease = lease;
      entry.heldUntil = Date.now() + leaseMs * (1 - LEASE_MARGIN);
      entries.set(lease.id, entry);
      schedule(lease.id, 0);
    }
    if (taken.length) {
      o.log.info('took over tasks whose lease lapsed', { tasks: taken.length });
      o.onTakeOver?.();
    }
    return taken.length;
  }

  let beat: NodeJS.Timeout | undefined;
  function startBeat() {
    if (!o.lease || beat) return;
    beat = setInterval(
      () => {
        leaseBeat().catch((e: unknown) => o.log.warn('renewing task leases failed', { error: e }));
      },
      Math.max(100, Math.min(1000, o.lease.leaseMs / 3)),
    );
    beat.unref();
  }

  return {
    track,
    async resumeAll() {
      if (o.lease) {
        // Its own leases from before a restart (the same REPLICA_ID) are taken back now, not waited out;
        // free and lapsed ones too. Tasks another live replica holds stay with it.
        let resumed = 0;
        for (const r of await o.store.listUnfinished()) if (await holdLease(r.id, false)) resumed++;
        startBeat();
        return resumed + (await leaseBeat());
      }
      const unfinished = await o.store.listUnfinished();
      for (const r of unfinished) {
        if (r.confirmedAt === null && r.statusMessage === null)
          publish(await o.store.update(r.id, { statusMessage: WAITING_FOR_CONFIRMATION }));
        track(r.id, 0);
      }
      return unfinished.length;
    },
    applyUpstream: (id, task, via) => serialize(id, () => applyLocked(id, task, via)),
    publish,
    tracking: () => entries.size,
    async stop() {
      stopped = true;
      if (beat) clearInterval(beat);
      // Cluster: leases are let go, so another replica takes over at once rather than after they lapse.
      for (const id of [...entries.keys()]) untrack(id);
      // Let in-flight updates land (bounded: an archive download may be slow).
      await Promise.race([
        Promise.allSettled([...queues.values(), ...releasing]),
        new Promise((r) => setTimeout(r, 3000).unref()),
      ]);
    },
  };
}
