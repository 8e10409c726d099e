import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalStorage } from '../../server/files/local-storage.ts';
import { checkCreateRequest } from '../../server/inputs/check-create-request.ts';
import { saveInputs } from '../../server/inputs/input-files.ts';
import { scenePng } from '../fixtures/scene.ts';
import { runLoad } from '../lib/load.ts';
import { type RowResult, ratioRow } from '../lib/row.ts';
import { percentile } from '../lib/stats.ts';
import { startStudioOnSimulator } from '../lib/studio.ts';

/**
 * The studio as a proxy: the same create (a 2 MP PNG start frame) and the same task read, through the
 * backend vs signed and sent straight to the simulator. The simulator's tasks never leave `submitted`
 * (a one-hour phase), so no render competes for the CPU, and its concurrency limit is lifted.
 *
 * The creates' ratio to a bare simulator cannot reach 1: the studio must also check and store the same bytes
 * before it sends them. So each create row has a `proxy_floor` row beside it: the studio against what any
 * correct proxy must spend, the direct create plus the studio's own check + store (JSON.parse,
 * checkCreateRequest, saveInputs) of the same body, called in-process in the same rounds. In-process, not a
 * studio with an instant upstream: that one would count the body's trip to the upstream twice (once in it,
 * once in the direct baseline), so its floor would be too generous. What is left above the floor is the
 * proxying itself: the upload to the studio, the task's row, signing and the tracker.
 */
export async function proxyRows(): Promise<RowResult[]> {
  const { sim, studio, stop } = await startStudioOnSimulator();
  const image = (await scenePng(1920, 1080)).toString('base64');
  const body = (i: number) =>
    JSON.stringify({ model_name: 'kling-v1', mode: 'std', duration: '5', prompt: `bench ${i}`, image });
  let seq = 0;
  const floorDir = mkdtempSync(join(tmpdir(), 'ms-bench-floor-'));
  const floorFiles = createLocalStorage(floorDir);
  const checkAndStore = async () => {
    const { images } = await checkCreateRequest(JSON.parse(body(seq++)), { timeoutMs: 5000 });
    await saveInputs(floorFiles, randomUUID(), images);
  };
  const viaStudio = async () => {
    const res = await fetch(`${studio.url}/api/tasks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: body(seq++),
    });
    if (res.status !== 201) throw new Error(`studio create answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { task: { id: string } }).task.id;
  };
  const direct = async () => {
    const res = await fetch(`${sim.baseUrl}/v1/videos/image2video`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await sim.token()}` },
      body: body(seq++),
    });
    const json = (await res.json()) as { code: number; data?: { task_id: string } };
    if (json.code !== 0) throw new Error(`simulator create answered ${JSON.stringify(json)}`);
    return json.data!.task_id;
  };
  const rows: RowResult[] = [];
  try {
    // Warm both paths (JIT, sharp, SQLite pages) before measuring.
    const studioIds: string[] = [];
    const simIds: string[] = [];
    for (let i = 0; i < 10; i++) {
      studioIds.push(await viaStudio());
      simIds.push(await direct());
      await checkAndStore();
    }
    for (const c of [1, 32]) {
      const n = c === 1 ? 60 : 256;
      // Interleave the two paths in rounds so drift in machine load hits both alike.
      const a: number[] = [];
      const b: number[] = [];
      const f: number[] = [];
      let aSec = 0;
      let bSec = 0;
      let fSec = 0;
      for (let round = 0; round < 2; round++) {
        const s = await runLoad(n / 2, c, async () => void studioIds.push(await viaStudio()));
        const d = await runLoad(n / 2, c, async () => void simIds.push(await direct()));
        const k = await runLoad(n / 2, c, checkAndStore);
        a.push(...s.latencies);
        b.push(...d.latencies);
        f.push(...k.latencies);
        aSec += s.seconds;
        bSec += d.seconds;
        fSec += k.seconds;
      }
      for (const p of [50, 99]) {
        rows.push(
          ratioRow({
            row: 'proxy_latency',
            metric: `p${p} POST /api/tasks, c=${c}`,
            value: percentile(a, p),
            baseline: percentile(b, p),
            unit: 'ms',
            goal: { max: p === 50 ? 1.15 : 1.3 },
            how: `${n} creates with a 1920×1080 PNG per path at concurrency ${c}; baseline signs a JWT and posts straight to the simulator`,
            samples: { studio: a, direct: b },
          }),
        );
        // The sum of the two parts' percentiles: an upper bound of the sum's percentile, so a generous floor.
        rows.push(
          ratioRow({
            row: 'proxy_floor',
            metric: `p${p} POST /api/tasks over floor, c=${c}`,
            value: percentile(a, p),
            baseline: percentile(f, p) + percentile(b, p),
            unit: 'ms',
            goal: { max: 1.25 },
            how: `the same studio creates against the floor: p${p} of the direct create + p${p} of the studio's check + store of the same body in-process (${n} each, same rounds, concurrency ${c})`,
            samples: { checkAndStore: f },
          }),
        );
      }
      if (c === 32) {
        rows.push(
          ratioRow({
            row: 'proxy_throughput',
            metric: 'creates/s at c=32',
            value: n / aSec,
            baseline: n / bSec,
            unit: 'req/s',
            goal: { min: 0.85 },
            how: `${n} creates per path at concurrency 32, completed requests / wall seconds`,
          }),
        );
        // Both parts need the same two cores, so their wall seconds add up.
        rows.push(
          ratioRow({
            row: 'proxy_floor',
            metric: 'creates/s at c=32 over floor',
            value: n / aSec,
            baseline: n / (fSec + bSec),
            unit: 'req/s',
            goal: { min: 0.8 },
            how: `the studio's creates/s against the floor's: ${n} direct creates and ${n} in-process check + stores, their wall seconds added`,
          }),
        );
      }
    }
    for (const c of [1, 32]) {
      const n = c === 1 ? 200 : 1000;
      const get = (template: string, headers: Record<string, string>) => async (id: string) => {
        const res = await fetch(template.replace('{id}', id), { headers });
        if (!res.ok) throw new Error(`GET answered ${res.status}`);
        await res.arrayBuffer();
      };
      const token = await sim.token();
      const viaStudioGet = get(`${studio.url}/api/tasks/{id}`, {});
      const directGet = get(`${sim.baseUrl}/v1/videos/image2video/{id}`, {
        Authorization: `Bearer ${token}`,
      });
      // Interleaved in rounds, like the creates: whichever path runs first otherwise pays for warming up.
      const a = { latencies: [] as number[] };
      const b = { latencies: [] as number[] };
      for (let round = 0; round < 4; round++) {
        a.latencies.push(
          ...(await runLoad(n / 4, c, (i) => viaStudioGet(studioIds[i % studioIds.length]!))).latencies,
        );
        b.latencies.push(
          ...(await runLoad(n / 4, c, (i) => directGet(simIds[i % simIds.length]!))).latencies,
        );
      }
      for (const p of [50, 99])
        rows.push(
          ratioRow({
            row: 'proxy_latency',
            metric: `p${p} GET /api/tasks/:id, c=${c}`,
            value: percentile(a.latencies, p),
            baseline: percentile(b.latencies, p),
            unit: 'ms',
            goal: { max: p === 50 ? 1.15 : 1.3 },
            how: `${n} reads per path at concurrency ${c}: the studio answers from its store, the baseline queries the simulator`,
            samples: { studio: a.latencies, direct: b.latencies },
          }),
        );
    }
  } finally {
    await stop();
    rmSync(floorDir, { recursive: true, force: true });
  }
  return rows;
}
