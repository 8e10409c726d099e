import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { ftyp, movieBox } from '../../contract/testing/test-videos.ts';
import { readVideoFacts } from '../../contract/video/container-header.ts';
import { spawnUntilReady } from '../../server/testing/spawn-until-ready.ts';
import { startStudioProcess } from '../../server/testing/studio-process.ts';
import { fileByteSource } from '../../server/uploads/judge-video.ts';
import { rssBytes } from '../lib/proc.ts';
import { type RowResult, ratioRow } from '../lib/row.ts';
import { median } from '../lib/stats.ts';

const MB = 1024 * 1024;
const CACHE = join(import.meta.dirname, '..', '.tmp', 'upload-video');
/** The row's goal: what one upload may cost the server in memory, whatever the file's size. */
const MEMORY_BUDGET_MB = 32;
const ROUNDS = 3;

/**
 * A valid 1280×720, 10 s MP4 header (faststart) and an `mdat` of random bytes making the file `bytes`
 * long: what readVideoFacts reads is real, the frames are noise (nothing decodes them). Made once into
 * bench/.tmp and reused while it is still the right size.
 */
async function benchVideo(bytes: number): Promise<string> {
  const path = join(CACHE, `reference-${bytes / MB}mb.mp4`);
  try {
    if (statSync(path).size === bytes) return path;
  } catch {}
  mkdirSync(CACHE, { recursive: true });
  const head = Buffer.concat([
    ftyp('isom', ['isom', 'iso2', 'avc1', 'mp41']),
    movieBox({ width: 1280, height: 720, durationMs: 10_000 }),
  ]);
  const mdatBytes = bytes - head.length;
  const mdatHeader = Buffer.alloc(8);
  mdatHeader.writeUInt32BE(mdatBytes, 0);
  mdatHeader.write('mdat', 4, 'latin1');
  const noise = randomBytes(MB);
  await pipeline(
    (function* () {
      yield head;
      yield mdatHeader;
      for (let left = mdatBytes - 8; left > 0; left -= noise.length)
        yield noise.subarray(0, Math.min(left, noise.length));
    })(),
    createWriteStream(path),
  );
  return path;
}

/** POSTs the file as the raw body, streamed from disk; resolves with the answer's status and body. */
function postFile(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/uploads`,
      { method: 'POST', headers: { 'content-type': 'video/mp4', 'content-length': statSync(path).size } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    createReadStream(path).pipe(req);
  });
}

/** The bare floor of any Node server: node:http reading a body and dropping it, in its own process. */
const BARE_SERVER = `
const s = require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => res.end('{}')); });
s.listen(0, '127.0.0.1', () => console.log('bare server at http://127.0.0.1:' + s.address().port));
`;

interface UploadRun {
  seconds: number;
  growth: number;
  idle: number;
  peak: number;
}

/** One POST of `path` to `url`, timing it and sampling the server's RSS (pid) every 5 ms. */
async function measuredUpload(url: string, pid: number, path: string, status: number): Promise<UploadRun> {
  // Let the previous round's garbage settle, then take the idle size right before the upload.
  await new Promise((r) => setTimeout(r, 1000));
  const idle = rssBytes(pid);
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid));
  }, 5);
  const t0 = performance.now();
  const answer = await postFile(url, path).finally(() => clearInterval(sampler));
  const seconds = (performance.now() - t0) / 1000;
  peak = Math.max(peak, rssBytes(pid));
  if (answer.status !== status)
    throw new Error(`upload answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  return { seconds, growth: peak - idle, idle, peak };
}

/**
 * `upload_throughput`: POST /api/uploads of a 90 MB MP4 to the studio on loopback (its own process, as
 * `npm start` runs it) vs a stream copy of the same file on the same disk, in the same run.
 * `upload_video_memory`: the studio process's RSS growth during an upload (sampled every 5 ms). Once a
 * process has taken one large body, an upload of any size costs it almost nothing more (vs a fixed budget,
 * at 90 and 30 MB). The first large body after start lifts RSS once by what V8 lets pile up before it
 * collects the request's spent pieces; that line is held to a bare node:http server taking the same body.
 */
export async function uploadVideoRows(): Promise<RowResult[]> {
  const big = await benchVideo(90 * MB);
  const small = await benchVideo(30 * MB);
  const tiny = await benchVideo(1 * MB);
  const fh = await open(big, 'r');
  try {
    const facts = await readVideoFacts(fileByteSource(fh, statSync(big).size));
    if (facts.width !== 1280 || facts.durationMs !== 10_000)
      throw new Error(`bench video reads as ${JSON.stringify(facts)}`);
  } finally {
    await fh.close();
  }

  // The floor first, alone on the machine.
  const bare = await spawnUntilReady(process.execPath, ['-e', BARE_SERVER], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '' },
    ready: { output: /bare server at (http:\/\/\S+)/ },
    name: 'bare node:http server',
  });
  let bareFirst: UploadRun;
  try {
    const bareUrl = bare.match![1]!;
    await measuredUpload(bareUrl, bare.child.pid!, tiny, 200);
    bareFirst = await measuredUpload(bareUrl, bare.child.pid!, big, 200);
  } finally {
    await bare.kill('SIGTERM');
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'ms-bench-upload-'));
  const studio = await startStudioProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, 60_000);
  const pid = studio.child.pid!;
  try {
    const copySeconds: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const target = join(dataDir, `copy-${i}.mp4`);
      const t0 = performance.now();
      await pipeline(createReadStream(big), createWriteStream(target));
      copySeconds.push((performance.now() - t0) / 1000);
      rmSync(target);
    }
    const upload = (path: string) => measuredUpload(studio.url, pid, path, 201);
    // A first 1 MB upload runs every code path once (module loading, JIT), as it did for the bare server.
    const warmup = await upload(tiny);
    const first = await upload(big);
    const bigRuns: UploadRun[] = [];
    const smallRuns: UploadRun[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      bigRuns.push(await upload(big));
      smallRuns.push(await upload(small));
    }
    const bigMb = statSync(big).size / MB;
    const uploadSeconds = [first, ...bigRuns].map((r) => r.seconds);
    const worstMb = (runs: UploadRun[]) => Math.max(...runs.map((r) => r.growth)) / MB;
    return [
      ratioRow({
        row: 'upload_throughput',
        metric: 'POST /api/uploads, 90 MB MP4 (MB/s)',
        value: bigMb / median(uploadSeconds),
        baseline: bigMb / median(copySeconds),
        unit: 'MB/s',
        goal: { min: 0.5 },
        how: `median of ${uploadSeconds.length} uploads of a 90 MB MP4 (real header, random mdat) over loopback to the studio in its own process, streamed to DATA_DIR, checked and stored; baseline = median of ${ROUNDS} stream copies of the same file on the same disk`,
        samples: { uploadSeconds, copySeconds },
      }),
      ratioRow({
        row: 'upload_video_memory',
        metric: 'peak server RSS growth, a 90 MB upload (MB)',
        value: worstMb(bigRuns),
        baseline: MEMORY_BUDGET_MB,
        unit: 'MB',
        goal: { max: 1.0 },
        how: `studio RSS from /proc every 5 ms during each upload, the worst of ${ROUNDS} (idle ${(bigRuns[0]!.idle / MB).toFixed(0)} MB), after a 1 MB and a first 90 MB upload; baseline = the ${MEMORY_BUDGET_MB} MB budget`,
        samples: bigRuns,
      }),
      ratioRow({
        row: 'upload_video_memory',
        metric: 'peak server RSS growth, a 30 MB upload (MB)',
        value: worstMb(smallRuns),
        baseline: MEMORY_BUDGET_MB,
        unit: 'MB',
        goal: { max: 1.0 },
        how: `as above with a 30 MB file, in the same rounds: the growth does not follow the file's size`,
        samples: smallRuns,
      }),
      ratioRow({
        row: 'upload_video_memory',
        metric: 'RSS growth, first 90 MB upload after start (MB)',
        value: first.growth / MB,
        baseline: bareFirst.growth / MB,
        unit: 'MB',
        goal: { max: 1.25 },
        how: `the studio's first large body (after a 1 MB warm-up upload that grew it ${(warmup.growth / MB).toFixed(1)} MB) vs a bare node:http server in its own process that reads the same body and drops it, after the same warm-up: both are the request pieces V8 lets pile up before it collects them, a one-time high-water mark, not the file`,
        samples: { studio: { warmup, first }, bare: bareFirst },
      }),
    ];
  } finally {
    await studio.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
