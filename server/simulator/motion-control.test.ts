import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { motionControlUnits } from '../../contract/pricing/prices.ts';
import { KLING_ID_RE } from './ids.ts';
import type { RenderFn } from './render-queue.ts';
import type { RecordedRequest } from './simulator.ts';
import type { WireTask } from './task-store.ts';
import {
  b64,
  fakeRenderer,
  png,
  type Receiver,
  startReceiver,
  startTestSim,
  type TestSim,
} from './test-support.ts';
import { makeTestVideo } from './test-videos.ts';

/**
 * `POST /v1/videos/motion-control` end to end over HTTP, with a fake renderer: the create, its reads, the
 * rules applied to real downloaded clips (made with ffmpeg, served from a loopback server), the account's
 * limits shared with image2video, callbacks, billing and the reference's clean-up.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let videoDir: string;
let files: Receiver;
let img: string;
/** A served clip's URL. */
const clip = (name: string) => `${files.url}/${name}`;

beforeAll(async () => {
  videoDir = mkdtempSync(join(tmpdir(), 'sim-mc-videos-'));
  const make = async (name: string, spec: Parameters<typeof makeTestVideo>[1]) => {
    const file = join(videoDir, name);
    await makeTestVideo(file, spec);
    return readFileSync(file);
  };
  // Small and low frame rate: made once for the file, each in well under a second.
  const ok = await make('ok.mp4', { width: 480, height: 360, seconds: 4, fps: 8 });
  const mov = await make('ok.mov', { width: 360, height: 480, seconds: 3.5, fps: 8, format: 'mov' });
  const long = await make('long.mp4', { width: 360, height: 360, seconds: 11, fps: 4 });
  const small = await make('small.mp4', { width: 320, height: 240, seconds: 3.5, fps: 8 });
  const short = await make('short.mp4', { width: 360, height: 360, seconds: 2, fps: 8 });
  const picture = await png(640, 360);
  img = b64(picture);
  files = await startReceiver({
    '/ok.mp4': { body: ok, type: 'video/mp4' },
    '/ok.mov': { body: mov, type: 'video/quicktime' },
    '/long.mp4': { body: long, type: 'video/mp4' },
    '/small.mp4': { body: small, type: 'video/mp4' },
    '/short.mp4': { body: short, type: 'video/mp4' },
    // A picture renamed: the name and the content type say video, the bytes say PNG.
    '/renamed.mp4': { body: picture, type: 'video/mp4' },
    '/empty.mp4': { body: Buffer.alloc(0), type: 'video/mp4' },
    '/picture.png': { body: picture },
    '/tiny.png': { body: await png(200, 200) },
    '/slow.mp4': { body: ok, type: 'video/mp4', delayMs: 1500 },
  });
});
afterAll(async () => {
  await files.close();
  rmSync(videoDir, { recursive: true, force: true });
});

const body = (extra: Record<string, unknown> = {}) => ({
  image_url: img,
  video_url: clip('ok.mp4'),
  character_orientation: 'video',
  mode: 'std',
  ...extra,
});
const referencesOf = (sim: TestSim) => {
  const dir = join(sim.dataDir, 'references');
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe('motion control: create, read, list', () => {
  let sim: TestSim;
  const renderer = fakeRenderer({ delayMs: 20 });
  beforeAll(async () => {
    sim = await startTestSim({ concurrency: 50, phaseMs: 40, render: renderer.render });
  });
  afterAll(() => sim.stop());

  it('answers the short create envelope, and records the request with its path', async () => {
    const created = await sim.createMotion(body({ external_task_id: 'mc-1', prompt: 'a dancer on a beach' }));
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ code: 0, message: 'SUCCEED' });
    expect(created.json.request_id).toMatch(UUID);
    const data = created.json.data as WireTask;
    expect(Object.keys(data).sort()).toEqual([
      'created_at',
      'task_id',
      'task_info',
      'task_status',
      'updated_at',
    ]);
    expect(data.task_id).toMatch(KLING_ID_RE);
    expect(data).toMatchObject({ task_status: 'submitted', task_info: { external_task_id: 'mc-1' } });

    const log = (await (await fetch(`${sim.baseUrl}/__sim/requests`)).json()) as RecordedRequest[];
    const rec = log.at(-1)!;
    expect(rec.path).toBe('/v1/videos/motion-control');
    expect(rec.body).toMatchObject({ video_url: clip('ok.mp4'), external_task_id: 'mc-1' });
    expect(rec.headers).not.toHaveProperty('authorization');
    expect(rec.response).toEqual({ status: 200, code: 0, message: 'SUCCEED', task_id: data.task_id });
  });

  it('goes submitted → processing → succeed with a video as long as the reference, billed for it', async () => {
    const { json } = await sim.createMotion(body({ external_task_id: 'mc-life' }));
    const id = (json.data as WireTask).task_id;
    const seen: string[] = [];
    let done: WireTask | undefined;
    for (let i = 0; i < 500 && !done; i++) {
      const t = (await sim.get(`/v1/videos/motion-control/${id}`)).json.data as WireTask;
      if (seen.at(-1) !== t.task_status) seen.push(t.task_status);
      if (t.task_status === 'succeed' || t.task_status === 'failed') done = t;
      else await new Promise((r) => setTimeout(r, 5));
    }
    expect(seen).toEqual(['submitted', 'processing', 'succeed']);
    expect(done!.task_status_msg).toBe('');
    const video = done!.task_result.videos![0]!;
    expect(video.url).toBe(`${sim.baseUrl}/__sim/videos/${video.id}.mp4`);
    expect(video.duration).toBe('4.0');
    // kling-v2-6 std: 0.5 units a second, 4 s.
    expect(done!.final_unit_deduction).toBe('2');
    expect(done!.final_unit_deduction).toBe(String(motionControlUnits('kling-v2-6', 'std', 4000)));
    expect((await fetch(video.url)).status).toBe(200);
  });

  it('hands the renderer the picture, the downloaded reference, its length, fps, quality and sound', async () => {
    const seenFiles: boolean[] = [];
    const check: RenderFn = async (job) => {
      if (job.kind === 'motion-control') seenFiles.push(existsSync(job.referenceFile));
      return renderer.render(job);
    };
    const local = await startTestSim({ phaseMs: 5, render: check });
    try {
      const { json } = await local.createMotion(
        body({ model_name: 'kling-v3', mode: 'pro', keep_original_sound: 'no', video_url: clip('ok.mov') }),
      );
      const t = await local.waitFor((json.data as WireTask).task_id);
      expect(t.task_status).toBe('succeed');
      const job = renderer.transfers.at(-1)!;
      expect(job).toMatchObject({ fps: 24, durationSeconds: 3.5, quality: 'pro', keepSound: false });
      expect(job.image.equals(Buffer.from(img, 'base64'))).toBe(true);
      expect(job.referenceFile.startsWith(join(local.dataDir, 'references'))).toBe(true);
      expect(job.referenceFile.endsWith('.mov')).toBe(true);
      // The reference was there for the render, and is gone once the task is over.
      expect(seenFiles).toEqual([true]);
      expect(existsSync(job.referenceFile)).toBe(false);
      expect(t.task_result.videos![0]!.duration).toBe('3.5');
      // kling-v3 pro: 1.2 units a second, 3.5 s billed as 4.
      expect(t.final_unit_deduction).toBe('4.8');
    } finally {
      await local.stop();
    }
    // keep_original_sound defaults to "yes"; a picture given as a URL is downloaded like the video.
    const { json } = await sim.createMotion(body({ image_url: clip('picture.png') }));
    await sim.waitFor((json.data as WireTask).task_id);
    const job = renderer.transfers.at(-1)!;
    expect(job.keepSound).toBe(true);
    expect(job.quality).toBe('std');
    expect(job.image.equals(Buffer.from(img, 'base64'))).toBe(true);
  });

  it('finds a task by task_id, by external_task_id in the path and in the query', async () => {
    const { json } = await sim.createMotion(body({ external_task_id: 'mc-find' }));
    const id = (json.data as WireTask).task_id;
    for (const path of [
      `/v1/videos/motion-control/${id}`,
      '/v1/videos/motion-control/mc-find',
      '/v1/videos/motion-control?external_task_id=mc-find',
    ]) {
      const got = await sim.get(path);
      expect({ path, status: got.status, code: got.json.code }).toEqual({ path, status: 200, code: 0 });
      expect((got.json.data as WireTask).task_id).toBe(id);
      expect((got.json.data as WireTask).task_info).toEqual({ external_task_id: 'mc-find' });
    }
  });

  it('keeps each endpoint to its own tasks: reads, by external id and lists', async () => {
    const motion = (await sim.createMotion(body({ external_task_id: 'mc-own' }))).json.data as WireTask;
    const i2v = (await sim.create({ image: img, external_task_id: 'i2v-own' })).json.data as WireTask;
    for (const path of [
      `/v1/videos/image2video/${motion.task_id}`,
      '/v1/videos/image2video/mc-own',
      '/v1/videos/image2video?external_task_id=mc-own',
      `/v1/videos/motion-control/${i2v.task_id}`,
      '/v1/videos/motion-control/i2v-own',
      '/v1/videos/motion-control?external_task_id=i2v-own',
    ]) {
      const got = await sim.get(path);
      expect({ path, status: got.status, code: got.json.code }).toEqual({ path, status: 404, code: 1203 });
    }
    const list = async (path: string) =>
      ((await sim.get(path)).json.data as WireTask[]).map((t) => t.task_id);
    const motionList = await list('/v1/videos/motion-control?pageSize=500');
    const i2vList = await list('/v1/videos/image2video?pageSize=500');
    expect(motionList[0]).toBe(motion.task_id);
    expect(motionList).not.toContain(i2v.task_id);
    expect(i2vList).toEqual([i2v.task_id]);
    const motionIds = sim.sim.store
      .all()
      .filter((t) => t.kind === 'motion-control')
      .map((t) => t.wire.task_id)
      .reverse();
    expect(motionList).toEqual(motionIds);
  });

  it('pages the list newest first and refuses bad paging with 1201', async () => {
    const first = await sim.get('/v1/videos/motion-control?pageNum=1&pageSize=2');
    const second = await sim.get('/v1/videos/motion-control?pageNum=2&pageSize=2');
    const all = (await sim.get('/v1/videos/motion-control')).json.data as WireTask[];
    // Ids, in order: the tasks still run, so a status may move on between the three reads.
    const ids = (tasks: WireTask[]) => tasks.map((t) => t.task_id);
    expect(ids([...(first.json.data as WireTask[]), ...(second.json.data as WireTask[])])).toEqual(
      ids(all.slice(0, 4)),
    );
    const bad = await sim.get('/v1/videos/motion-control?pageSize=501');
    expect({ status: bad.status, code: bad.json.code }).toEqual({ status: 400, code: 1201 });
  });

  it('refuses a second task with the same external_task_id, on either endpoint', async () => {
    expect((await sim.createMotion(body({ external_task_id: 'mc-dup' }))).json.code).toBe(0);
    const again = await sim.createMotion(body({ external_task_id: 'mc-dup' }));
    expect({ status: again.status, code: again.json.code, message: again.json.message }).toEqual({
      status: 400,
      code: 1201,
      message: 'external_task_id already exists',
    });
    expect((await sim.create({ image: img, external_task_id: 'mc-dup' })).json.code).toBe(1201);
    expect((await sim.createMotion(body({ external_task_id: 'i2v-own' }))).json.code).toBe(1201);
  });

  it('deletes every downloaded reference once its task has ended', async () => {
    for (const t of sim.sim.store.all()) await sim.waitFor(t.wire.task_id);
    expect(referencesOf(sim)).toEqual([]);
  });
});

describe('motion control: auth and faults', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ concurrency: 50, apiKey: 'static-key-123' });
  });
  afterAll(() => sim.stop());

  it('answers 401 with Kling auth codes on the create and the reads, and creates nothing', async () => {
    const before = sim.sim.stats.tasksCreated;
    const post = (authorization?: string) =>
      fetch(`${sim.baseUrl}/v1/videos/motion-control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(body()),
      });
    for (const [authorization, code] of [
      [undefined, 1001],
      ['Bearer not-a-jwt', 1002],
    ] as const) {
      const res = await post(authorization);
      const json = (await res.json()) as Record<string, unknown>;
      expect({ status: res.status, code: json.code }).toEqual({ status: 401, code });
      expect(json).not.toHaveProperty('data');
      const read = await fetch(`${sim.baseUrl}/v1/videos/motion-control`, {
        headers: authorization ? { authorization } : {},
      });
      expect(read.status).toBe(401);
    }
    expect(sim.sim.stats.tasksCreated).toBe(before);
    const log = (await (await fetch(`${sim.baseUrl}/__sim/requests`)).json()) as RecordedRequest[];
    expect(log.at(-1)).toMatchObject({ path: '/v1/videos/motion-control', response: { status: 401 } });
    // The static API key works as the bearer value too.
    expect((await post('Bearer static-key-123')).status).toBe(200);
  });

  it('takes faults from the X-Sim-Fault header, the prompt and the configuration', async () => {
    const header = await sim.createMotion(body(), { 'x-sim-fault': '1302' });
    expect({ status: header.status, code: header.json.code }).toEqual({ status: 429, code: 1302 });
    const prompt = await sim.createMotion(body({ prompt: 'dance [sim:1301]' }));
    expect({ status: prompt.status, code: prompt.json.code }).toEqual({ status: 400, code: 1301 });
    await fetch(`${sim.baseUrl}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ creates: { code: 5000, count: 1 }, queries: { code: 5001, count: 1 } }),
    });
    expect((await sim.createMotion(body())).json.code).toBe(5000);
    expect((await sim.get('/v1/videos/motion-control')).json.code).toBe(5001);
    expect((await sim.createMotion(body())).json.code).toBe(0);
    const q = await sim.get('/v1/videos/motion-control', { 'x-sim-fault': '5002' });
    expect({ status: q.status, code: q.json.code }).toEqual({ status: 504, code: 5002 });
  });

  it('[sim:fail] accepts the task, which then ends failed and lets go of its reference', async () => {
    const { json } = await sim.createMotion(body({ prompt: '[sim:fail]' }));
    expect(json.code).toBe(0);
    const t = await sim.waitFor((json.data as WireTask).task_id);
    expect(t.task_status).toBe('failed');
    expect(t.task_status_msg).toMatch(/risk control/);
    expect(t).not.toHaveProperty('final_unit_deduction');
    expect(referencesOf(sim)).toEqual([]);
  });

  it('malformed: the answer is cut off but the task exists, found by its external id', async () => {
    const res = await sim.call('/v1/videos/motion-control', {
      method: 'POST',
      body: JSON.stringify(body({ prompt: '[sim:malformed]', external_task_id: 'mc-lost' })),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
    const found = await sim.get('/v1/videos/motion-control?external_task_id=mc-lost');
    expect(found.json.code).toBe(0);
  });

  it('answers 1200 for a body that is not JSON', async () => {
    const { status, json } = await sim.createMotion('{"image_url":');
    expect({ status, code: json.code }).toEqual({ status: 400, code: 1200 });
  });
});

describe('motion control: every rule answers 400/1201 naming the field', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ concurrency: 100, fetchTimeoutMs: 400 });
  });
  afterAll(() => sim.stop());

  async function expect1201(b: unknown, ...fragments: (string | RegExp)[]) {
    const before = sim.sim.stats.tasksCreated;
    const kept = new Set(referencesOf(sim));
    const { status, json } = await sim.createMotion(b);
    expect({ status, code: json.code }).toEqual({ status: 400, code: 1201 });
    expect(json).not.toHaveProperty('data');
    for (const f of fragments) expect(json.message).toMatch(f);
    expect(sim.sim.stats.tasksCreated).toBe(before);
    // A refused create keeps nothing it downloaded (earlier accepted tasks may still hold theirs).
    expect(referencesOf(sim).filter((f) => !kept.has(f))).toEqual([]);
    return json.message;
  }

  it('accepts MP4 and MOV references, a URL picture, and both orientations', async () => {
    for (const extra of [
      {},
      { video_url: clip('ok.mov'), character_orientation: 'image' },
      { image_url: clip('picture.png'), model_name: 'kling-v3', mode: 'pro' },
    ])
      expect((await sim.createMotion(body(extra))).json.code).toBe(0);
  });

  it('structure: required fields and enums', async () => {
    const { video_url: _v, ...noVideo } = body();
    await expect1201(noVideo, 'Reference video (video_url)');
    const { character_orientation: _o, ...noOrientation } = body();
    await expect1201(noOrientation, 'Character orientation (character_orientation)');
    await expect1201(body({ mode: '4k' }), 'Mode');
    await expect1201(body({ model_name: 'kling-v1' }), 'Model');
    await expect1201(body({ keep_original_sound: 'maybe' }), 'keep_original_sound');
    await expect1201(body({ prompt: 'x'.repeat(2501) }), 'Prompt', '2500');
  });

  it('elements: none on kling-v2-6, and on kling-v3 only with the video orientation', async () => {
    const elements = [{ element_id: 'el-1' }];
    await expect1201(body({ element_list: elements }), /^Elements \(element_list\)/, 'Kling 2.6');
    await expect1201(
      body({ model_name: 'kling-v3', character_orientation: 'image', element_list: elements }),
      'Elements (element_list)',
      'Match the video',
    );
    expect((await sim.createMotion(body({ model_name: 'kling-v3', element_list: elements }))).json.code).toBe(
      0,
    );
  });

  it('the reference: too long for "Match the picture", too small, too short, not a video, empty', async () => {
    await expect1201(
      body({ video_url: clip('long.mp4'), character_orientation: 'image' }),
      /^Reference video \(video_url\)/,
      '11 s is longer than 10 s',
    );
    // The same clip is fine when the character follows the video (up to 30 s).
    expect((await sim.createMotion(body({ video_url: clip('long.mp4') }))).json.code).toBe(0);
    await expect1201(
      body({ video_url: clip('small.mp4') }),
      'Reference video (video_url)',
      '320×240',
      '340 px',
    );
    await expect1201(body({ video_url: clip('short.mp4') }), 'Reference video (video_url)', '2 s is shorter');
    await expect1201(body({ video_url: clip('renamed.mp4') }), 'Reference video (video_url)', 'a PNG image');
    await expect1201(body({ video_url: clip('empty.mp4') }), 'Reference video (video_url)', 'empty');
    await expect1201(
      body({ video_url: b64(Buffer.from('not a url')) }),
      'Reference video (video_url)',
      'URL',
    );
  });

  it('URLs must be reachable: 404, a refused connection and a timeout name the field', async () => {
    await expect1201(body({ video_url: clip('missing.mp4') }), 'Reference video (video_url)', 'HTTP 404');
    await expect1201(body({ video_url: clip('slow.mp4') }), 'Reference video (video_url)', 'timed out');
    const gone = await startReceiver();
    await gone.close();
    await expect1201(body({ video_url: `${gone.url}/x.mp4` }), 'Reference video (video_url)', 'ECONNREFUSED');
    await expect1201(body({ image_url: clip('missing.png') }), 'Character picture (image_url)', 'HTTP 404');
  });

  it('the picture: the image rules of a start frame, on the real bytes', async () => {
    await expect1201(body({ image_url: clip('tiny.png') }), 'Character picture (image_url)', '300 px');
    await expect1201(
      body({ image_url: `data:image/png;base64,${img}` }),
      'Character picture (image_url)',
      'data:',
    );
  });

  it('a structurally broken request downloads nothing', async () => {
    const asked: string[] = [];
    const server = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await expect1201(
        body({ mode: 'turbo', video_url: `${base}/v.mp4`, image_url: `${base}/p.png` }),
        'Mode',
      );
      expect(asked).toEqual([]);
      // The same URLs in a well-formed request are fetched, both of them.
      await expect1201(body({ video_url: `${base}/v.mp4`, image_url: `${base}/p.png` }), 'HTTP 404');
      expect(asked.sort()).toEqual(['/p.png', '/v.mp4']);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('streams a reference over 100 MB only up to the cap, then refuses it as too large', async () => {
    const head = readFileSync(join(videoDir, 'ok.mp4'));
    const offered = 150 * 1024 * 1024;
    let sent = 0;
    let finished = false;
    const chunk = Buffer.alloc(1024 * 1024);
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(offered) });
      res.write(head);
      sent = head.length;
      const pump = () => {
        while (sent < offered) {
          const n = Math.min(chunk.length, offered - sent);
          sent += n;
          if (!res.write(chunk.subarray(0, n))) return void res.once('drain', pump);
        }
        finished = true;
        res.end();
      };
      res.on('error', () => {});
      pump();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/huge.mp4`;
      const local = await startTestSim({ fetchTimeoutMs: 20_000 });
      try {
        const { status, json } = await local.createMotion(body({ video_url: url }));
        expect({ status, code: json.code }).toEqual({ status: 400, code: 1201 });
        expect(json.message).toMatch(/^Reference video \(video_url\): 100\.1 MB is over the 100 MB limit/);
        expect(referencesOf(local)).toEqual([]);
      } finally {
        await local.stop();
      }
      // The simulator hung up once it had the cap and one byte more, well before the 150 MB on offer.
      expect(finished).toBe(false);
      expect(sent).toBeLessThan(offered);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('motion control: shared account limits, callbacks, clean-up', () => {
  let sim: TestSim | undefined;
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
    await receiver?.close();
    receiver = undefined;
  });

  it('shares the concurrency limit with image2video tasks (429/1303 beyond it)', async () => {
    sim = await startTestSim({ concurrency: 2, phaseMs: 150 });
    const a = await sim.create({ image: img });
    const b = await sim.createMotion(body());
    expect([a.json.code, b.json.code]).toEqual([0, 0]);
    for (const c of [await sim.createMotion(body()), await sim.create({ image: img })])
      expect({ status: c.status, code: c.json.code, message: c.json.message }).toEqual({
        status: 429,
        code: 1303,
        message: 'parallel task over resource pack limit',
      });
    // The refused motion create downloaded its reference, then dropped it.
    expect(referencesOf(sim)).toHaveLength(1);
    await sim.waitFor((b.json.data as WireTask).task_id);
    await sim.waitFor((a.json.data as WireTask).task_id);
    expect((await sim.createMotion(body())).json.code).toBe(0);
  });

  it('POSTs the bare task on processing and succeed, signed with the webhook secrets', async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    receiver = await startReceiver();
    sim = await startTestSim({ webhookSecrets: [secret] });
    const { json } = await sim.createMotion(
      body({ callback_url: `${receiver.url}/hook/mc`, external_task_id: 'mc-cb' }),
    );
    const id = (json.data as WireTask).task_id;
    await sim.waitFor(id);
    await sim.sim.callbacks.idle();
    const got = receiver.received;
    expect(got.map((r) => [r.path, (r.body as WireTask).task_status])).toEqual([
      ['/hook/mc', 'processing'],
      ['/hook/mc', 'succeed'],
    ]);
    for (const r of got) {
      expect(r.body).not.toHaveProperty('code');
      expect(r.body).toMatchObject({ task_id: id, task_info: { external_task_id: 'mc-cb' } });
      expect(() => new Webhook(secret).verify(r.raw, r.headers as Record<string, string>)).not.toThrow();
    }
    expect((got[1]!.body as WireTask).final_unit_deduction).toBe('2');
    expect((got[1]!.body as WireTask).task_result.videos?.[0]?.duration).toBe('4.0');
  });

  it('a render that breaks ends the task failed, and the reference is deleted', async () => {
    sim = await startTestSim({ render: fakeRenderer({ fail: true }).render });
    const { json } = await sim.createMotion(body());
    const t = await sim.waitFor((json.data as WireTask).task_id);
    expect(t.task_status).toBe('failed');
    expect(t.task_status_msg).toMatch(/failed/i);
    expect(referencesOf(sim)).toEqual([]);
  });

  it('reset and shutdown delete the references of unfinished tasks', async () => {
    sim = await startTestSim({ phaseMs: 60_000 });
    await sim.createMotion(body());
    expect(referencesOf(sim)).toHaveLength(1);
    await fetch(`${sim.baseUrl}/__sim/reset`, { method: 'POST' });
    expect(referencesOf(sim)).toEqual([]);
    const { json } = await sim.createMotion(body({ external_task_id: 'mc-after-reset' }));
    expect(json.code).toBe(0);
    expect(referencesOf(sim)).toHaveLength(1);
    await sim.close();
    expect(referencesOf(sim)).toEqual([]);
  });
});
