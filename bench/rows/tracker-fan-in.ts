import { scenePng } from '../fixtures/scene.ts';
import { type RowResult, ratioRow } from '../lib/row.ts';
import { startStudioOnSimulator } from '../lib/studio.ts';

const TASKS = 20;
const WATCHERS = 200;
const INTERVAL_MS = 200;
const INTERVALS = 60;

/**
 * Upstream task queries while 200 SSE clients watch 20 running tasks for 60 polling intervals. The
 * interval is fixed at 200 ms (POLL_MIN_MS = POLL_MAX_MS) so 60 intervals take 12 s of wall time; the
 * simulator's tasks stay `processing` the whole time.
 */
export async function trackerFanInRow(): Promise<RowResult[]> {
  const { sim, studio, stop } = await startStudioOnSimulator({
    POLL_MIN_MS: String(INTERVAL_MS),
    POLL_MAX_MS: String(INTERVAL_MS),
  });
  const streams: AbortController[] = [];
  try {
    const image = (await scenePng(1280, 720)).toString('base64');
    for (let i = 0; i < TASKS; i++) {
      const res = await fetch(`${studio.url}/api/tasks`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ image, prompt: `fan-in ${i}` }),
      });
      if (res.status !== 201) throw new Error(`create answered ${res.status}`);
    }
    let events = 0;
    for (let i = 0; i < WATCHERS; i++) {
      const ac = new AbortController();
      streams.push(ac);
      const res = await fetch(`${studio.url}/api/events`, { signal: ac.signal });
      const reader = res.body!.getReader();
      void (async () => {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            events += value.length > 0 ? 1 : 0;
          }
        } catch {}
      })();
    }
    const before = (await sim.stats()).queries;
    await new Promise((r) => setTimeout(r, INTERVAL_MS * INTERVALS));
    const queries = (await sim.stats()).queries - before;
    const expected = TASKS * INTERVALS;
    const naive = WATCHERS * TASKS * INTERVALS;
    return [
      ratioRow({
        row: 'tracker_fan_in',
        metric: `upstream queries, ${WATCHERS} SSE × ${TASKS} tasks × ${INTERVALS} intervals`,
        value: queries,
        baseline: expected,
        unit: 'queries',
        goal: { max: 1.05 },
        how: `queries counted by the simulator (/__sim/stats) while ${WATCHERS} /api/events streams stay open; baseline = one query per task per ${INTERVAL_MS} ms interval`,
        samples: { queries, expected, streamChunks: events },
      }),
      ratioRow({
        row: 'tracker_fan_in',
        metric: `${WATCHERS} naive pollers vs the tracker (queries)`,
        value: naive,
        baseline: queries,
        unit: 'queries',
        goal: { min: 100 },
        how: `a tab that polls each task itself would cost ${WATCHERS} × ${TASKS} × ${INTERVALS} = ${naive} queries; ratio = how many times fewer the tracker sends`,
      }),
    ];
  } finally {
    for (const s of streams) s.abort();
    await stop();
  }
}
