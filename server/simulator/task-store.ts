import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import type { TaskStatus } from '../../contract/schemas/kling-task.ts';

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

export interface SimTask {
  wire: WireTask;
  request: CreateRequest;
  inputs: TaskInputs | undefined;
  /** Set when the task must end `failed` (async rule violation, `fail` fault) instead of rendering. */
  failWith: string | undefined;
  callbackUrl: string | undefined;
  /** Cancels pending timers and a running render (reset, shutdown). */
  abort: AbortController;
  /** Where the rendered MP4 lives once the task has succeeded. */
  videoFile: string | undefined;
}

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

  getByExternal(externalTaskId: string): SimTask | undefined {
    return this.byExternal.get(externalTaskId);
  }

  /** The path parameter is "task_id OR external_task_id" (reference §3.2); a task_id wins a tie. */
  resolve(id: string): SimTask | undefined {
    return this.byId.get(id) ?? this.byExternal.get(id);
  }

  hasExternal(externalTaskId: string): boolean {
    return this.byExternal.has(externalTaskId);
  }

  /** Newest first (UNCERTAIN upstream; it is what a task list wants). */
  page(pageNum: number, pageSize: number): SimTask[] {
    const newestFirst = [...this.order].reverse();
    return newestFirst.slice((pageNum - 1) * pageSize, pageNum * pageSize);
  }

  all(): readonly SimTask[] {
    return this.order;
  }

  /** Tasks holding a concurrency slot: from `submitted` until final (reference §3.5). */
  activeCount(): number {
    let n = 0;
    for (const t of this.order)
      if (t.wire.task_status === 'submitted' || t.wire.task_status === 'processing') n++;
    return n;
  }

  registerVideo(videoId: string, t: SimTask): void {
    this.byVideo.set(videoId, t);
  }

  videoFile(videoId: string): string | undefined {
    return this.byVideo.get(videoId)?.videoFile;
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
