/**
 * Shared by the simulator's tests (not a test itself): tiny images, a fake renderer, a running simulator
 * with a signed-request helper, and a loopback HTTP server for URL inputs and callbacks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jpegImage, pngImage } from '../../contract/testing/test-images.ts';
import { type RunningSimulator, type SimulatorOptions, startSimulator, type WireTask } from './index.ts';
import type { RenderFn, RenderJob, TransferJob } from './render-queue.ts';

/** Node's view of the shared test images (contract/testing/test-images.ts), as Buffers. */
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export async function png(width = 640, height = 360, color = { r: 40, g: 120, b: 200 }): Promise<Buffer> {
  return asBuffer(pngImage(width, height, { color }));
}

export async function jpeg(width = 640, height = 360): Promise<Buffer> {
  return asBuffer(jpegImage(width, height, { color: { r: 9, g: 9, b: 9 } }));
}

export const b64 = (bytes: Uint8Array) => asBuffer(bytes).toString('base64');

/** Deterministic bytes the fake renderer writes, so Range answers can be checked byte for byte. */
export function fakeVideoBytes(size = 4096): Buffer {
  const buf = Buffer.alloc(size);
  for (let i = 0; i < size; i++) buf[i] = i % 251;
  // Start like an MP4 (a 32-byte ftyp box) so "looks like a video" checks hold too.
  buf.writeUInt32BE(32, 0);
  buf.write('ftypisom', 4, 'latin1');
  return buf;
}

export interface FakeRenderer {
  render: RenderFn;
  /** image2video renders, in the order asked. */
  jobs: RenderJob[];
  /** Motion transfers, in the order asked. */
  transfers: TransferJob[];
}

/** Writes `bytes` as the result of either endpoint's job, after `delayMs`; or throws, with `fail`. */
export function fakeRenderer(opts: { delayMs?: number; fail?: boolean; bytes?: Buffer } = {}): FakeRenderer {
  const jobs: RenderJob[] = [];
  const transfers: TransferJob[] = [];
  const render: RenderFn = async (job) => {
    if (job.kind === 'motion-control') transfers.push(job);
    else jobs.push(job);
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    if (opts.fail) throw new Error('ffmpeg exploded');
    await writeFile(job.outFile, opts.bytes ?? fakeVideoBytes());
    return {
      width: 1280,
      height: 720,
      frames: job.fps * job.durationSeconds,
      durationSeconds: job.durationSeconds,
      fps: job.fps,
    };
  };
  return { render, jobs, transfers };
}

export interface TestSim extends RunningSimulator {
  dataDir: string;
  /** fetch with a fresh valid token. */
  call(path: string, init?: RequestInit): Promise<Response>;
  create(body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: KlingAnswer }>;
  /** A `POST /v1/videos/motion-control`. */
  createMotion(
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: KlingAnswer }>;
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; json: KlingAnswer }>;
  waitFor(taskId: string, done?: (t: WireTask) => boolean, timeoutMs?: number): Promise<WireTask>;
  stop(): Promise<void>;
}

export interface KlingAnswer {
  code: number;
  message: string;
  request_id: string;
  data?: unknown;
}

export async function startTestSim(opts: Partial<SimulatorOptions> = {}): Promise<TestSim> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sim-test-'));
  const sim = await startSimulator({
    accessKey: 'test-ak',
    secretKey: 'test-sk',
    dataDir,
    phaseMs: 20,
    render: fakeRenderer().render,
    callbackRetryMs: 20,
    ...opts,
  });
  const call = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${await sim.token()}`);
    return fetch(`${sim.baseUrl}${path}`, { ...init, headers });
  };
  const json = async (res: Response) => ({ status: res.status, json: (await res.json()) as KlingAnswer });
  const post = async (path: string, body: unknown, headers: Record<string, string>) =>
    json(
      await call(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
  const t: TestSim = {
    ...sim,
    dataDir,
    call,
    create: (body, headers = {}) => post('/v1/videos/image2video', body, headers),
    createMotion: (body, headers = {}) => post('/v1/videos/motion-control', body, headers),
    get: async (path, headers = {}) => json(await call(path, { headers })),
    async waitFor(
      taskId,
      done = (w) => w.task_status === 'succeed' || w.task_status === 'failed',
      timeoutMs = 10_000,
    ) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const w = sim.sim.store.get(taskId)?.wire;
        if (w && done(w)) return structuredClone(w);
        if (Date.now() > end) throw new Error(`task ${taskId} still ${w?.task_status ?? 'missing'}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async stop() {
      await sim.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

export interface Receiver {
  url: string;
  /** `raw` and `headers` as sent, for signature checks. */
  received: { path: string; body: unknown; at: number; raw: string; headers: IncomingMessage['headers'] }[];
  /** Answers for the next requests (default 200). */
  statuses: number[];
  close(): Promise<void>;
}

/** A tiny HTTP receiver on 127.0.0.1:0: records POSTed JSON, serves `files` on GET. */
export async function startReceiver(
  files: Record<string, { body: Buffer; type?: string; delayMs?: number }> = {},
): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const statuses: number[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (req.method === 'GET') {
        const f = files[path];
        if (!f) {
          res.writeHead(404).end();
          return;
        }
        const send = () => res.writeHead(200, { 'content-type': f.type ?? 'image/png' }).end(f.body);
        if (f.delayMs) setTimeout(send, f.delayMs);
        else send();
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      received.push({ path, body, at: Date.now(), raw: text, headers: req.headers });
      res.writeHead(statuses.shift() ?? 200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    statuses,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
