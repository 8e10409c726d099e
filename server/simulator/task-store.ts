import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import type { TaskStatus } from '../../contract/schemas/kling-task.ts';
import type { MotionControlRequest } from '../../contract/schemas/motion-control-request.ts';
import type { TaskKind } from '../../contract/schemas/studio-api.ts';

/**
 * The task object as Kling puts it on the wire (reference §3.2, REAL), in Kling's key order.
 * `task_info` and `task_result` are `{}` until they have content; `final_unit_deduction` appears
 * once the task has succeeded.
 */
export interface WireVideo {
  id: string;
  url: string;
  duration: string;
}

export interface WireTask {
  task_id: string;
  task_status: TaskStatus;
  task_status_msg: string;
  task_info: { external_task_id?: string };
  task_result: { videos?: WireVideo[] };
  final_unit_deduction?: string;
  created_at: number;
  updated_at: number;
}

/** Render inputs, kept only until the render has started. */
export interface TaskInputs {
  image?: Buffer;
  imageTail?: Buffer;
  staticMask?: Buffer;
  dynamicMasks?: { mask: Buffer; trajectories: { x: number; y: number }[] }[];
}

/** A motion-control task's inputs: the character picture and the downloaded reference clip. */
export interface MotionInputs {
  image: Buffer;
  /** The reference as downloaded into the data dir; deleted when the task ends (see `referenceFile`). */
  referenceFile: string;
  /** The reference's length, from its header: the output lasts as long, and is billed for it. */
  durationMs: number;
}

interface SimTaskBase {
  wire: WireTask;
  /** Set when the task must end `failed` (async rule violation, `fail` fault) instead of rendering. */
  failWith: string | undefined;
  callbackUrl: string | undefined;
  /** Cancels pending timers and a running render (reset, shutdown). */
  abort: AbortController;
  /** Where the rendered MP4 lives once the task has succeeded. */
  videoFile: string | undefined;
  /** A downloaded input to delete when the task ends, is reset or the simulator shuts down. */
  referenceFile?: string | undefined;
}

/** Kling's paths are per endpoint: a task is found only under the endpoint that created it. */
export interface Image2videoTask extends SimTaskBase {
  kind: 'image2video';
  request: CreateRequest;
  inputs: TaskInputs | undefined;
}

export interface MotionControlTask extends SimTaskBase {
  kind: 'motion-control';
  request: MotionControlRequest;
  inputs: MotionInputs | undefined;
}

export type SimTask = Image2videoTask | MotionControlTask;
export type { TaskKind };

/** A copy safe to hand out: later status changes must not rewrite an answer or a queued callback. */
export function snapshot(wire: WireTask): WireTask {
  return structuredClone(wire);
}

/** In-memory, like everything in the simulator: a restart forgets all tasks, which tests want. */
export class TaskStore {
  private readonly byId = new Map<string, SimTask>();
  private readonly byExternal = new Map<string, SimTask>();
  /** Insertion order = creation order; listing reverses it. */
  private readonly order: SimTask[] = [];
  private readonly byVideo = new Map<string, SimTask>();

  add(t: SimTask): void {
    this.byId.set(t.wire.task_id, t);
    const ext = t.wire.task_info.external_task_id;
    if (ext !== undefined) this.byExternal.set(ext, t);
    this.order.push(t);
  }

  get(taskId: string): SimTask | undefined {
    return this.byId.get(taskId);
  }

  /** A task of `kind` by its external id (another endpoint's task is not found here). */
  getByExternal(kind: TaskKind, externalTaskId: string): SimTask | undefined {
    const t = this.byExternal.get(externalTaskId);
    return t?.kind === kind ? t : undefined;
  }

  /**
   * The path parameter is "task_id OR external_task_id" (reference §3.2); a task_id wins a tie. Only
   * tasks of `kind`: Kling's query paths are per endpoint.
   */
  resolve(id: string, kind: TaskKind): SimTask | undefined {
    const t = this.byId.get(id);
    if (t?.kind === kind) return t;
    return this.getByExternal(kind, id);
  }

  /**
   * External ids are unique across the account, whichever endpoint used one (UNCERTAIN upstream: the
   * stricter reading, so a client that works here never collides on Kling).
   */
  hasExternal(externalTaskId: string): boolean {
    return this.byExternal.has(externalTaskId);
  }

  /** Tasks of `kind`, newest first (UNCERTAIN upstream; it is what a task list wants). */
  page(kind: TaskKind, pageNum: number, pageSize: number): SimTask[] {
    const newestFirst = this.order.filter((t) => t.kind === kind).reverse();
    return newestFirst.slice((pageNum - 1) * pageSize, pageNum * pageSize);
  }

  all(): readonly SimTask[] {
    return this.order;
  }

  /** Tasks holding a concurrency slot, every endpoint's: from `submitted` until final (reference §3.5). */
  activeCount(): number {
    let n = 0;
    for (const t of this.order)
      if (t.wire.task_status === 'submitted' || t.wire.task_status === 'processing') n++;
    return n;
  }

  registerVideo(videoId: string, t: SimTask): void {
    this.byVideo.set(videoId, t);
  }

  /** The task whose result a video is. */
  taskOfVideo(videoId: string): SimTask | undefined {
    return this.byVideo.get(videoId);
  }

  clear(): SimTask[] {
    const all = [...this.order];
    this.byId.clear();
    this.byExternal.clear();
    this.byVideo.clear();
    this.order.length = 0;
    return all;
  }
}
