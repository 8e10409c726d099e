import { noisePng } from '../fixtures/scene.ts';
import { rssBytes, serverPid } from '../lib/proc.ts';
import { type RowResult, ratioRow } from '../lib/row.ts';
import { startStudioOnSimulator } from '../lib/studio.ts';

const MB = 1024 * 1024;

/** Server RSS growth while 8 creates with a 9.5 MB start frame each are in flight, vs the bytes in flight. */
export async function uploadMemoryRow(): Promise<RowResult[]> {
  // 8 bodies in flight at once: above the default MAX_BODIES_IN_FLIGHT (4), which would answer 503.
  const { studio, stop } = await startStudioOnSimulator({ MAX_BODIES_IN_FLIGHT: '8' });
  try {
    const pid = serverPid(studio.pid);
    // Noise does not compress: 1770² RGB is a 9.5 MB PNG (deflate adds ~5% to random bytes).
    const png = await noisePng(1770, 1770);
    const image = png.toString('base64');
    const bodies = Array.from({ length: 8 }, (_, i) =>
      JSON.stringify({ model_name: 'kling-v1', mode: 'std', duration: '5', prompt: `memory ${i}`, image }),
    );
    const inFlight = bodies.reduce((a, b) => a + Buffer.byteLength(b), 0);
    // Settle: a first small create warms the code paths, then let the GC quiet down.
    await new Promise((r) => setTimeout(r, 1500));
    const idle = rssBytes(pid);
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssBytes(pid));
    }, 5);
    const answers = await Promise.all(
      bodies.map((body) =>
        fetch(`${studio.url}/api/tasks`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body,
        }),
      ),
    );
    clearInterval(sampler);
    peak = Math.max(peak, rssBytes(pid));
    const statuses = answers.map((a) => a.status);
    if (statuses.some((s) => s !== 201)) throw new Error(`creates answered ${statuses.join(',')}`);
    const growth = peak - idle;
    return [
      ratioRow({
        row: 'upload_memory',
        metric: 'peak RSS growth, 8 × 9.5 MB creates (MB)',
        value: growth / MB,
        baseline: inFlight / MB,
        unit: 'MB',
        goal: { max: 3.0 },
        how: `server RSS from /proc every 5 ms; idle ${(idle / MB).toFixed(0)} MB, peak ${(peak / MB).toFixed(0)} MB; baseline = request bodies in flight (base64 JSON, ${(png.length / MB).toFixed(1)} MB PNG each)`,
        samples: { idle, peak, inFlight, pngBytes: png.length },
      }),
    ];
  } finally {
    await stop();
  }
}
