import { removeInputs } from '../inputs/input-files.ts';
import type { TaskRecord } from '../tasks/task-record.ts';
import type { QueueHead, RoleFence } from '../tasks/task-store.ts';
import { WAITING_FOR_CONFIRMATION } from '../tracker/failure-words.ts';
import { ConcurrencyLimit, type LearnedLimit } from './concurrency-limit.ts';
import { pickNext, placeInQueue } from './fair-order.ts';
import { SENT_AGAIN } from './queue-words.ts';
import { followKlingTask, type SendDeps, type SendOutcome, sendTask } from './send-task.ts';

/**
 * The one sender of queued tasks. Creates only store a task and wake it; it sends while Kling has a slot
 * (`ConcurrencyLimit`), fairly (`fair-order.ts`), and is woken again the moment a slot frees: a task's
 * final status, or Kling saying it is done before its video is archived (both told by the tracker). Timers are only for waiting out
 * Kling (1302, 1303 with nothing of ours running, unreachable) and for trying a learned limit again.
 */
export interface Dispatcher {
  /** Settles what a crash left behind, then starts sending. Call once the studio listens. */
  start(): Promise<void>;
  /** Something changed (a task is queued, cancelled or moved): send what fits, now. */
  wake(): void;
  /**
   * Kling has finished this task (its video may still be archiving): its slot is free. `status` is the
   * task's stored status when the news came (only a submitted or processing task held a slot);
   * `endedAt`: when Kling says it ended (its `updated_at`, on Kling's clock).
   */
  upstreamFinished(id: string, status: TaskRecord['status'], endedAt?: number): void;
  /** The task reached a final status in the store. */
  taskEnded(id: string): void;
  /** A waiting task's place in the order tasks will go out (1 = next); undefined when it is not waiting. */
  placeOf(task: Pick<TaskRecord, 'status' | 'sentAt' | 'queueSeq' | 'clientId'>): Promise<number | undefined>;
  slots(): { configured: number; learned: number };
  stop(): Promise<void>;
}

export interface DispatcherOptions extends SendDeps {
  /** KLING_CONCURRENCY (for the whole cluster: only the replica holding the role sends). */
  concurrency: number;
  /**
   * Cluster mode: send only while holding the `dispatcher` role (a lease of `leaseMs`, renewed on a timer),
   * so one replica sends at a time and Kling's concurrency holds for the cluster. Other replicas' creates
   * reach it by `wake()` (the change feed).
   */
  role?: { owner: string; leaseMs: number };
  /** Cluster: this replica took the role over (the last sender may have died before announcing its changes). */
  onTakeOver?: () => void;
  /**
   * How long after an acceptance a task still running counts as held then (default 1 s): longer than the
   * studio takes to hear that a task ended (POLL_MAX_MS, or a callback).
   */
  verifyMs?: number;
  /** How long a learned limit holds before one more is tried (default 10 minutes; 30 s when Kling has held more). */
  relearnMs?: number;
  relearnSoonMs?: number;
  /** Waiting out Kling: the first delay, doubled per refusal up to the ceiling (default 1 s to 60 s). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

const LIMIT_KEY = 'kling_concurrency';

/**
 * The heads with each client's last turn, as the fair order takes them. The turns are the store's, so a
 * replica that does not send shows the places the sender will keep, and a sender that took over goes on
 * where the last one stopped.
 */
const withTurns = (heads: QueueHead[]) => [heads, new Map(heads.map((h) => [h.clientId, h.served]))] as const;
const DISPATCHER_ROLE = 'dispatcher';
/** A create still storing its inputs after this long was cut off (a replica died mid-create). */
const UNREADY_AGE_MS = 5 * 60_000;

interface InFlight {
  probe: boolean;
}

export function createDispatcher(o: DispatcherOptions): Dispatcher {
  const { store, log, clock } = o;
  // Made by start(), from what an earlier run (or another replica) learned about Kling.
  let limit = new ConcurrencyLimit(o.concurrency, limitOptions(undefined));
  function limitOptions(saved: LearnedLimit | undefined) {
    return {
      saved,
      relearnMs: o.relearnMs ?? 10 * 60_000,
      relearnSoonMs: o.relearnSoonMs ?? 30_000,
      save: (state: LearnedLimit) => {
        store.writeQueueState(LIMIT_KEY, JSON.stringify(state)).catch((e: unknown) => {
          log.warn('saving the learned concurrency failed', { error: e });
        });
      },
    };
  }
  const backoffBase = o.backoffBaseMs ?? 1000;
  const backoffMax = o.backoffMaxMs ?? 60_000;
  const inFlight = new Map<string, InFlight>();
  const sends = new Set<Promise<void>>();
  /** Tasks Kling has finished that the store still counts as running (their videos are being archived). */
  const freed = new Set<string>();
  let backoffUntil = 0;
  let backoffLevel = 0;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  let started = false;
  /** This process sends: it settled what the last sender left (and, in a cluster, holds the role). */
  let leading = false;
  let fence: RoleFence | undefined;
  let fenceUntil = 0;
  let roleTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let pumping = false;
  let again = false;
  /** Each client's first waiting task, read once per change (a create, a send, a cancel). */
  let heads: QueueHead[] | undefined;
  const headsNow = async () => {
    heads ??= await store.queueHeads();
    return heads;
  };

  /** What holds a slot (an unanswered create too: it may exist). */
  const runningNow = async () => lessFreed(await store.countRunning());
  /** The tasks Kling may hold: confirmed, not finished as far as the studio has heard. */
  const mayHold = async () => {
    const ids = new Set(await store.listConfirmedRunningIds());
    for (const id of freed) ids.delete(id);
    return ids;
  };
  /**
   * What Kling held when it accepted a create, proven. The tasks it may have held then (`others`) were
   * held unless they had ended before: each is settled when the studio hears it ended (Kling's own end
   * time against the create's, both on Kling's clock), or, still running `verifyMs` later (by when the
   * studio has heard of every task that ended before), as held. Counted at the acceptance instead, a task
   * Kling had just finished, and the studio not yet heard of, made it believe Kling held one more than it
   * did, and send a create too many. A task that ended without its end time heard here (another replica
   * followed it) is left out: a proof may say one too few, never one too many.
   */
  interface HeldProof {
    /** Kling's created_at of the accepted create. */
    at: number;
    others: Map<string, boolean | undefined>;
    timer: NodeJS.Timeout;
  }
  const proofs = new Set<HeldProof>();

  function proveHeld(others: Set<string>, at: number) {
    const proof: HeldProof = {
      at,
      others: new Map([...others].map((id) => [id, undefined])),
      timer: setTimeout(() => {
        mayHold().then(
          (still) => {
            for (const [id, held] of proof.others)
              if (held === undefined) proof.others.set(id, still.has(id));
            settleProof(proof);
          },
          (e: unknown) => log.warn('proving what Kling holds failed', { error: e }),
        );
      }, o.verifyMs ?? 1000),
    };
    proof.timer.unref();
    proofs.add(proof);
    if (others.size === 0) settleProof(proof);
  }

  function settleProof(proof: HeldProof) {
    if (!proofs.delete(proof)) return;
    clearTimeout(proof.timer);
    if (stopped) return;
    limit.accepted(1 + [...proof.others.values()].filter(Boolean).length);
    wake();
  }

  /** Kling says `id` ended at `endedAt` (its clock): the proofs waiting on it learn whether it was held. */
  function heardEnd(id: string, endedAt: number | undefined) {
    for (const proof of [...proofs]) {
      if (!proof.others.has(id) || proof.others.get(id) !== undefined) continue;
      proof.others.set(id, endedAt !== undefined && endedAt > proof.at);
      if ([...proof.others.values()].every((v) => v !== undefined)) settleProof(proof);
    }
  }

  /**
   * A count less the tasks Kling finished that it still includes. Read after the count: a task only leaves
   * the count, so a late read may keep one in (one slot too few for a moment), never take one out twice —
   * `freed.size` did, between a final write and its taskEnded, or for good when another replica wrote it.
   */
  async function lessFreed(count: number): Promise<number> {
    let counted = 0;
    for (const id of [...freed]) {
      const r = await store.get(id);
      if (r && (r.status === 'submitted' || r.status === 'processing')) counted++;
      else freed.delete(id);
    }
    return Math.max(0, count - counted);
  }

  function arm(at: number) {
    if (stopped || at >= timerAt) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(
      () => {
        timer = undefined;
        timerAt = Number.POSITIVE_INFINITY;
        wake();
      },
      Math.max(0, at - clock.now()),
    );
    timer.unref();
  }

  function wake() {
    heads = undefined;
    if (!started || stopped || !mayLead()) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    void pump();
  }

  async function pump() {
    try {
      do {
        again = false;
        while (await sendNext()) {}
      } while (again && !stopped);
    } catch (e) {
      // The store could not be read (a database restart, say): try again shortly.
      log.warn('the queue could not be read; trying again', { error: e });
      arm(clock.now() + backoffBase);
    } finally {
      pumping = false;
    }
  }

  /** Sends one task if one may go now; false when nothing more can go out for the moment. */
  async function sendNext(): Promise<boolean> {
    const now = clock.now();
    if (now < backoffUntil) {
      arm(backoffUntil);
      return false;
    }
    // Read before the count, together: a send settling meanwhile is counted in one or both, never in
    // neither, and a probe settling meanwhile still counts as out (read after the count, a stale `sending`
    // beside a fresh "no probe out" once sent a probe that was none).
    const sending = inFlight.size;
    const probing = [...inFlight.values()].some((f) => f.probe);
    const running = await runningNow();
    const busy = running + sending;
    const gate = limit.maySend(busy, probing, now);
    if (!gate.ok) {
      const relearnAt = limit.relearnAt();
      if (relearnAt !== undefined && relearnAt > now && busy >= limit.learned) arm(relearnAt);
      return false;
    }
    const next = pickNext(...withTurns(await headsNow()));
    if (!next) return false;
    heads = undefined;
    // Written before the call: after a crash a queued task with sentAt is looked up, never re-sent.
    if (!mayLead()) return false;
    if (!(await store.claimForSending(next.id, clock.now(), fence))) return true;
    const flight: InFlight = { probe: gate.probe };
    inFlight.set(next.id, flight);
    const send = sendTask(o, next.id)
      .catch((e: unknown): SendOutcome => {
        log.error('dispatching a task failed', { id: next.id, error: e });
        return { kind: 'failed' };
      })
      .then(async (outcome) => {
        // What a refusal teaches is read while the send still counts as in flight (it is back in the
        // queue, so the store no longer counts it): a pump running meanwhile sees a probe out and sends no
        // second one. An accepted send leaves at once (the store counts it now), and what its acceptance
        // proves Kling holds is then read from the store: the tasks Kling confirmed and has not finished,
        // this one among them. Counted from the dispatcher's own view instead (`busy + 1` at send time), a
        // send settling while that view was read made it one too many, and the next create over the limit.
        if (outcome.kind === 'retry' && outcome.reason === 'busy') {
          const held = await mayHold();
          inFlight.delete(next.id);
          settled(outcome, flight, held.size);
          return;
        }
        inFlight.delete(next.id);
        settled(outcome, flight, 0);
        if (outcome.kind === 'accepted' && outcome.klingCreatedAt !== undefined) {
          const others = await mayHold();
          others.delete(next.id);
          proveHeld(others, outcome.klingCreatedAt);
        }
      });
    sends.add(send);
    void send.finally(() => {
      sends.delete(send);
      wake();
    });
    return true;
  }

  /** `held`: what Kling is known to hold now, for a refusal for concurrency. */
  function settled(outcome: SendOutcome, flight: InFlight, held: number) {
    if (outcome.kind === 'accepted') {
      backoffLevel = 0;
      return;
    }
    if (outcome.kind !== 'retry') return;
    if (outcome.reason === 'busy' && limit.refused(held, flight.probe, clock.now())) {
      log.info('Kling refused a probe for concurrency: learned its limit', {
        configured: limit.configured,
        learned: limit.learned,
      });
      // Some of ours run: the next slot frees with one of them, and that event is the wake-up.
      return;
    }
    backoffUntil = clock.now() + Math.min(backoffMax, backoffBase * 2 ** backoffLevel);
    backoffLevel = Math.min(backoffLevel + 1, 16);
  }

  /**
   * Becomes the sender: settles what the last sender (this process before a crash, or a replica that
   * died) left behind, then sends. In a cluster this runs each time this replica takes the role.
   */
  async function takeOver() {
    leading = false;
    limit = new ConcurrencyLimit(
      o.concurrency,
      limitOptions(readLimit(await store.readQueueState(LIMIT_KEY))),
    );
    // A create the studio died in the middle of storing was never answered: the creator got no task. In a
    // cluster another replica may be storing one right now: only one cut off long ago is removed.
    const cutOffBefore = o.role ? clock.now() - UNREADY_AGE_MS : Number.POSITIVE_INFINITY;
    for (const r of await store.listUnready()) {
      if (r.createdAt >= cutOffBefore) continue;
      await store.delete(r.id);
      await removeInputs(o.files, r.id);
      log.info('removed a task whose create was cut off before it was stored', { id: r.id });
    }
    for (const r of await store.listInFlight()) {
      if (inFlight.has(r.id)) continue;
      await settleOrphan(r);
    }
    leading = !stopped;
    const queued = await store.countQueued();
    if (queued) log.info(`Queue: ${queued} task${queued === 1 ? '' : 's'} waiting for Kling`);
    wake();
  }

  /**
   * A task the last sender (dead now) had claimed. Never on its way (no departure mark, see sendTask):
   * Kling cannot have it, back in line. On its way: Kling is asked for it by external_task_id. Had, it is
   * followed; not had, the create never arrived (the sender died between the mark and the request) and
   * goes out again under the same external id, which Kling holds unique: should the old request land
   * after all, one of the two is refused and the studio finds the task it made (sendTask). No answer to
   * the lookup: followed as an unanswered create, by the tracker, as before.
   */
  async function settleOrphan(r: TaskRecord) {
    if (r.callbackTokenHash === null) {
      const back = await store.updateIfStatus(r.id, 'queued', { sentAt: null });
      if (back) log.info('a task claimed by the last sender never left; queued again', { id: r.id });
      return;
    }
    let found: Awaited<ReturnType<typeof o.client.getTask>>;
    try {
      found = await o.client.getTask(r.externalTaskId, r.kind);
    } catch (e) {
      log.warn('looking up a task the last sender sent failed; following it', { id: r.id, error: e });
      const record = await store.updateIfStatus(r.id, 'queued', {
        status: 'submitted',
        statusMessage: WAITING_FOR_CONFIRMATION,
      });
      if (record) o.tracker.publish(record);
      o.tracker.track(r.id, 0);
      return;
    }
    if (found) {
      log.info('a task the last sender sent is at Kling; following it', { id: r.id });
      await followKlingTask(o, r.id, found);
      return;
    }
    const back = await store.updateIfStatus(r.id, 'queued', {
      sentAt: null,
      callbackTokenHash: null,
      statusMessage: SENT_AGAIN,
      updatedAt: clock.now(),
    });
    if (!back) return;
    o.tracker.publish(back);
    log.info('a task the last sender sent never reached Kling; queued again', { id: r.id });
  }

  /** Cluster: takes or renews the dispatcher role; taking it (again, after losing it) means taking over. */
  async function holdRole() {
    if (!o.role || stopped) return;
    const renewedAt = Date.now();
    const got = await store.claimRole(DISPATCHER_ROLE, o.role.owner, o.role.leaseMs);
    if (!got) {
      if (fence) log.info('another replica sends the queue now');
      fence = undefined;
      leading = false;
      return;
    }
    const fresh = fence?.epoch !== got.epoch;
    fence = got;
    fenceUntil = renewedAt + o.role.leaseMs * 0.8;
    if (fresh) {
      log.info('this replica sends the queue now', { replica: o.role.owner, epoch: got.epoch });
      await takeOver();
      o.onTakeOver?.();
    }
  }

  /** May this process send now: always alone; in a cluster while its role surely holds. */
  const mayLead = () => leading && (!o.role || (fence !== undefined && fenceUntil > Date.now()));

  return {
    async start() {
      if (started || stopped) return;
      started = true;
      if (!o.role) {
        await takeOver();
        return;
      }
      await holdRole();
      roleTimer = setInterval(
        () => {
          holdRole().catch((e: unknown) => log.warn('renewing the dispatcher role failed', { error: e }));
        },
        Math.max(100, Math.min(1000, o.role.leaseMs / 3)),
      );
      roleTimer.unref();
    },
    wake,
    taskEnded(id) {
      freed.delete(id);
      wake();
    },
    upstreamFinished(id, status, endedAt) {
      heardEnd(id, endedAt);
      // Only a task the store counts as running holds a slot to free.
      if ((status !== 'submitted' && status !== 'processing') || freed.has(id)) return;
      freed.add(id);
      wake();
    },
    async placeOf(task) {
      if (task.status !== 'queued' || task.sentAt !== null || task.queueSeq === null) return undefined;
      const rank = await store.rankInClient(task.clientId, task.queueSeq);
      return placeInQueue(...withTurns(await headsNow()), { clientId: task.clientId ?? '', rank });
    },
    slots: () => ({ configured: limit.configured, learned: limit.learned }),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const proof of proofs) clearTimeout(proof.timer);
      proofs.clear();
      if (roleTimer) clearInterval(roleTimer);
      leading = false;
      await Promise.race([Promise.allSettled([...sends]), new Promise((r) => setTimeout(r, 3000).unref())]);
      // Then let go of the role: another replica takes the queue without waiting for the lease to lapse.
      const held = fence;
      fence = undefined;
      if (held)
        await store
          .releaseRole(held)
          .catch((e: unknown) => log.warn('releasing the dispatcher role failed', { error: e }));
    },
  };
}

function readLimit(raw: string | undefined): LearnedLimit | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<LearnedLimit>;
    if (typeof v.learned === 'number' && Number.isInteger(v.learned))
      return {
        learned: v.learned,
        refusedAt: typeof v.refusedAt === 'number' ? v.refusedAt : null,
        held: typeof v.held === 'number' ? v.held : 0,
      };
  } catch {
    // A torn or foreign value: learn again.
  }
  return undefined;
}
