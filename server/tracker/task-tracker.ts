import { isFinalStatus, type KlingTask } from '../../contract/schemas/kling-task.ts';
import { canMove } from '../../contract/tasks/status-order.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { type FileFetchOptions, SafeFetchError } from '../lib/safe-fetch.ts';
import type { TaskRecord } from '../tasks/task-record.ts';
import { toStudioTask } from '../tasks/task-record.ts';
import type { TaskStore } from '../tasks/task-store.ts';
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
  dataDir: string;
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
   */
  onUpstreamFinal?: (id: string, status: TaskRecord['status']) => void;
  /** A task reached a final status in the store (every final status is published through here). */
  onFinal?: (id: string) => void;
}

interface Entry {
  timer: NodeJS.Timeout | undefined;
  intervalMs: number;
  archiveFailures: number;
}

export function createTaskTracker(o: TrackerOptions): TaskTracker {
  const entries = new Map<string, Entry>();
  const queues = new Map<string, Promise<unknown>>();
  const maxArchiveAttempts = o.archiveAttempts ?? 3;
  let stopped = false;

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
      void serialize(id, () => poll(id));
    }, delayMs);
  }

  function untrack(id: string) {
    const entry = entries.get(id);
    if (entry?.timer) clearTimeout(entry.timer);
    entries.delete(id);
  }

  function publish(record: TaskRecord) {
    o.events.publish(toStudioTask(record));
    if (isFinalStatus(record.status)) o.onFinal?.(record.id);
  }

  async function poll(id: string): Promise<void> {
    const entry = entries.get(id);
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
        publish(
          await o.store.update(id, {
            status: 'failed',
            statusMessage: NEVER_CONFIRMED,
            finishedAt: now,
            updatedAt: now,
          }),
        );
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
      else o.onUpstreamFinal?.(id, record.status);
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
    const updated = await o.store.update(id, { ...patch, updatedAt: now });
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
      const { relPath, bytes } = await archiveVideo(video.url, o.dataDir, id, o.archiveFetch);
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
    if (!entries.has(id))
      entries.set(id, { timer: undefined, intervalMs: firstInterval(), archiveFailures: 0 });
    schedule(id, delayMs ?? firstInterval());
  }

  return {
    track,
    async resumeAll() {
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
      for (const id of [...entries.keys()]) untrack(id);
      // Let in-flight updates land (bounded: an archive download may be slow).
      await Promise.race([
        Promise.allSettled([...queues.values()]),
        new Promise((r) => setTimeout(r, 3000).unref()),
      ]);
    },
  };
}
