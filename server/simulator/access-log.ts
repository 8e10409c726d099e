/**
 * Who read what, for tests of many clients sharing one Kling account (a cluster of studios): every
 * single-task query with its time, so a test can tell whether two clients polled one task in the same
 * interval, and how often each result video was fetched, so it can tell a video was archived once.
 */

/** One query of one task (`GET …/{id}` or `?external_task_id=`); list queries name no task and are left out. */
export interface QueryRecord {
  /** Kling's task_id, or the id asked for when no task has it. */
  taskId: string;
  externalTaskId: string | undefined;
  /** Date.now() when the query arrived, before any fault delayed its answer. */
  at: number;
}

/**
 * A video's fetches. A download is a GET answered from byte 0 — 200, or a 206 whose range starts at 0 (what a
 * downloader or a player's first request asks for); a partial is any later range (seeks, resumed downloads).
 * HEAD, 404 and 416 are not fetches.
 */
export interface VideoFetches {
  downloads: number;
  partials: number;
  /** When the first and the last download arrived (a download cut short and made again shows as two). */
  firstDownloadAt: number | null;
  lastDownloadAt: number | null;
}

/** A long session polls many times: the oldest queries go first, in batches, so trimming stays cheap. */
const MAX_QUERIES = 20_000;
const TRIM_BATCH = 2_000;

export class AccessLog {
  queries: QueryRecord[] = [];
  /** By task_id. */
  videos: Record<string, VideoFetches> = {};

  recordQuery(taskId: string, externalTaskId: string | undefined, at = Date.now()): void {
    this.queries.push({ taskId, externalTaskId, at });
    if (this.queries.length > MAX_QUERIES + TRIM_BATCH)
      this.queries.splice(0, this.queries.length - MAX_QUERIES);
  }

  /** Counts a video answer by what it served (so Range parsing stays in one place, the video route). */
  recordVideoAnswer(taskId: string, method: string, res: Response, at = Date.now()): void {
    if (method !== 'GET') return;
    let fromStart: boolean;
    if (res.status === 200) fromStart = true;
    else if (res.status === 206) fromStart = /^bytes 0-/.test(res.headers.get('content-range') ?? '');
    else return;
    const counts = this.videos[taskId] ?? {
      downloads: 0,
      partials: 0,
      firstDownloadAt: null,
      lastDownloadAt: null,
    };
    this.videos[taskId] = counts;
    if (!fromStart) {
      counts.partials++;
      return;
    }
    counts.downloads++;
    counts.firstDownloadAt ??= at;
    counts.lastDownloadAt = at;
  }

  clear(): void {
    this.queries = [];
    this.videos = {};
  }
}
