import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { motionControlUnits } from '../../contract/pricing/prices.ts';
import {
  type ApiError,
  type StudioTask,
  taskEnvelopeSchema,
  taskInputsSchema,
  taskListSchema,
  uploadEnvelopeSchema,
} from '../../contract/schemas/studio-api.ts';
import { syntheticVideo } from '../../contract/testing/test-videos.ts';
import { WAITING_FOR_KLING } from '../queue/queue-words.ts';
import type { RenderFn } from '../simulator/index.ts';
import {
  b64,
  fakeRender,
  fakeVideoBytes,
  png,
  type SimForStudio,
  type Studio,
  startCallbackStudio,
  startStudio,
  tempDir,
  waitForTask,
  watchEvents,
  withSim,
} from '../testing/studio-harness.ts';
import { makeTestVideo } from '../testing/test-videos.ts';
import { WAITING_FOR_CONFIRMATION } from '../tracker/failure-words.ts';

/**
 * POST /api/motion-control end to end on loopback: the real studio, the real simulator (a fake renderer
 * that a test can hold, so a task stays running), real uploads. What the simulator received is the proof
 * of what was sent, and that nothing was sent whenever the studio refused.
 */
let hold: Promise<void> | undefined;
const heldRender: RenderFn = async (job) => {
  await hold;
  return fakeRender(job);
};
const ctx = withSim({ render: heldRender, resetBeforeEach: true });

let dir: string;
let clip: Buffer;
let picture: string;
/** A simulator-upstream studio (uploads reach the simulator on its loopback address): most tests use it. */
let studio: Studio;

beforeAll(async () => {
  dir = tempDir('mc-test');
  // One real clip for the file (the simulator reads it as Kling would); others are box-only files.
  await makeTestVideo(join(dir, 'ok.mp4'), { width: 480, height: 360, seconds: 4, fps: 8 });
  clip = readFileSync(join(dir, 'ok.mp4'));
  picture = b64(await png(640, 360));
  studio = await startStudio(ctx.sim, { upstreamKind: 'simulator' });
});
afterAll(async () => {
  await studio?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function upload(s: Studio, bytes: Uint8Array = clip): Promise<string> {
  const res = await s.fetch('/api/uploads', {
    method: 'POST',
    headers: { 'content-type': 'video/mp4' },
    body: Buffer.from(bytes),
  });
  expect(res.status).toBe(201);
  return uploadEnvelopeSchema.parse(await res.json()).upload.ref;
}

const motionControl = (s: Studio, body: unknown) =>
  s.fetch('/api/motion-control', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const body = (video_url: string, extra: Record<string, unknown> = {}) => ({
  image_url: picture,
  video_url,
  character_orientation: 'video',
  mode: 'std',
  ...extra,
});

/** A create's task once the queue has sent it (the create answers `queued`; Kling's answer comes after). */
async function created(s: Studio, res: Response): Promise<StudioTask> {
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(201);
  const { task } = taskEnvelopeSchema.parse(json);
  expect(task.status).toBe('queued');
  return waitForTask(s, task.id, (t) => t.status !== 'queued');
}

/** The motion-control creates the simulator received. */
async function sent(sim: SimForStudio) {
  return (await sim.requests()).filter((r) => (r as { path?: string }).path === '/v1/videos/motion-control');
}

async function refused(res: Response, status = 400): Promise<ApiError['error']> {
  const json = (await res.json()) as ApiError;
  expect(res.status, JSON.stringify(json)).toBe(status);
  return json.error;
}

const taskCount = async (s: Studio) =>
  taskListSchema.parse(await (await s.fetch('/api/tasks?pageSize=100')).json()).tasks.length;

const SIGNED = /^http:\/\/127\.0\.0\.1:(\d+)\/api\/uploads\/([\w-]+)\/([\w-]+)\/[^/]+\/reference\.mp4$/;

describe('an uploaded reference, end to end', () => {
  it('upload → create → tracked to succeed → archived → inputs and reference → remix resubmitted', async () => {
    const ref = await upload(studio);
    const events = watchEvents(studio.url);
    await events.ready;
    const task = await created(
      studio,
      await motionControl(studio, body(ref, { prompt: 'a dancer on a pier' })),
    );
    expect(task).toMatchObject({
      kind: 'motion-control',
      motion: 'reference',
      model: 'kling-v2-6',
      mode: 'std',
      duration: '4',
      prompt: 'a dancer on a pier',
      thumbnailUrl: `/api/tasks/${task.id}/thumbnail`,
    });

    // Kling got the picture as sent, a signed link of the studio's for this very task, and our external id.
    const [request, ...more] = await sent(ctx.sim);
    expect(more).toEqual([]);
    const got = request!.body as Record<string, unknown>;
    expect(got.image_url).toBe(picture);
    expect(got.external_task_id).toBe(task.externalTaskId);
    expect(got.callback_url).toBeUndefined();
    const link = SIGNED.exec(String(got.video_url));
    expect(link, String(got.video_url)).not.toBeNull();
    expect([link![1], link![2], link![3]]).toEqual([new URL(studio.url).port, ref.slice(7), task.id]);

    // Polled on the motion-control endpoint to the end; the result archived, the units Kling deducted.
    const done = await waitForTask(studio, task.id);
    expect(done.status, done.statusMessage ?? '').toBe('succeed');
    expect(Number(done.units)).toBe(motionControlUnits('kling-v2-6', 'std', 4000));
    const video = await studio.fetch(done.video!.url);
    expect(Buffer.from(await video.arrayBuffer()).equals(fakeVideoBytes())).toBe(true);
    const seen = await events.waitFor((t) => t.id === task.id && t.status === 'succeed');
    expect(seen.kind).toBe('motion-control');
    events.close();
    // Finished: the signed link is dead.
    expect((await fetch(String(got.video_url))).status).toBe(404);

    const inputs = taskInputsSchema.parse(await (await studio.fetch(`/api/tasks/${task.id}/inputs`)).json());
    if (inputs.kind !== 'motion-control') throw new Error('not a motion-control task');
    expect(inputs.request).toEqual({
      image_url: picture,
      video_url: ref,
      character_orientation: 'video',
      mode: 'std',
      prompt: 'a dancer on a pier',
    });
    expect(inputs.reference).toEqual({
      url: `/api/tasks/${task.id}/reference`,
      format: 'mp4',
      width: 480,
      height: 360,
      bytes: clip.length,
      durationMs: expect.any(Number),
      source: 'upload',
    });
    expect(Math.abs(inputs.reference.durationMs - 4000)).toBeLessThan(200);
    expect(Object.keys(inputs.images)).toEqual(['image_url']);

    const whole = await studio.fetch(inputs.reference.url);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await whole.arrayBuffer()).equals(clip)).toBe(true);
    const part = await studio.fetch(inputs.reference.url, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${clip.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(clip.subarray(100, 200))).toBe(true);
    expect((await studio.fetch(`/api/tasks/${task.id}/thumbnail`)).headers.get('content-type')).toBe(
      'image/jpeg',
    );

    // The remix body goes back as it is: a new task, a new link for it, the same picture.
    const again = await created(studio, await motionControl(studio, inputs.request));
    expect(again.id).not.toBe(task.id);
    const second = (await sent(ctx.sim))[1]!.body as Record<string, unknown>;
    expect(SIGNED.exec(String(second.video_url))?.[3]).toBe(again.id);
    expect(second.image_url).toBe(picture);
    expect((await waitForTask(studio, again.id)).status).toBe('succeed');
  });

  it('the signed link the simulator received serves the clip while the task runs', async () => {
    let release = () => {};
    hold = new Promise<void>((r) => {
      release = r;
    });
    try {
      const task = await created(studio, await motionControl(studio, body(await upload(studio))));
      const link = String((await sent(ctx.sim))[0]!.body.video_url);
      await waitForTask(studio, task.id, (t) => t.status === 'processing');
      const res = await fetch(link);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(clip)).toBe(true);
      const part = await fetch(link, { headers: { range: 'bytes=0-7' } });
      expect(part.status).toBe(206);
      // Another task's id, or a changed signature, opens nothing.
      expect((await fetch(link.replace(task.id, '00000000-0000-4000-8000-000000000000'))).status).toBe(404);
      release();
      expect((await waitForTask(studio, task.id)).status).toBe('succeed');
      expect((await fetch(link)).status).toBe(404);
    } finally {
      release();
      hold = undefined;
    }
  });

  it('a lost create answer is found by external id on the motion-control endpoint, never sent twice', async () => {
    const ref = await upload(studio);
    const task = await created(studio, await motionControl(studio, body(ref, { prompt: '[sim:malformed]' })));
    expect(task.klingTaskId).not.toBeNull();
    expect(await sent(ctx.sim)).toHaveLength(1);
    expect(studio.logLines.some((l) => l.includes('task found by external id') && l.includes(task.id))).toBe(
      true,
    );
    expect((await waitForTask(studio, task.id)).status).toBe('succeed');
  });

  it('a refusal by Kling fails the task in plain words, nothing created; the upload stays usable', async () => {
    const ref = await upload(studio);
    const task = await created(studio, await motionControl(studio, body(ref, { prompt: '[sim:1301]' })));
    expect(task).toMatchObject({ status: 'failed', klingTaskId: null });
    expect(task.statusMessage).toMatch(/content policy refused this request/);
    const id = SIGNED.exec(String((await sent(ctx.sim))[0]!.body.video_url))![3]!;
    expect(id).toBe(task.id);
    // Ended: Kling may no longer fetch the reference, but the upload serves the next create.
    expect((await fetch(String((await sent(ctx.sim))[0]!.body.video_url))).status).toBe(404);
    expect((await created(studio, await motionControl(studio, body(ref)))).status).not.toBe('failed');
  });

  it('a duplicate external_task_id is 409 and sent once', async () => {
    const ref = await upload(studio);
    await created(studio, await motionControl(studio, body(ref, { external_task_id: 'mc-dup-1' })));
    const err = await refused(await motionControl(studio, body(ref, { external_task_id: 'mc-dup-1' })), 409);
    expect(err.code).toBe('duplicate_external_task_id');
    expect(err.issues?.[0]).toMatchObject({ field: 'external_task_id', rule: 'external_task_id_duplicate' });
    expect(await sent(ctx.sim)).toHaveLength(1);
  });
});

describe('nothing is sent upstream on a bad request', () => {
  let ref: string;
  let long: string;
  beforeAll(async () => {
    ref = await upload(studio);
    long = await upload(studio, syntheticVideo({ width: 640, height: 480, durationMs: 11_000 }));
  });

  /** The request is refused with these (field, rule) pairs among its issues, and the simulator saw nothing. */
  async function refusedWith(req: unknown, ...expected: [field: string, rule: string][]) {
    const err = await refused(await motionControl(studio, req));
    expect(err.code).toBe('validation_failed');
    for (const [field, rule] of expected)
      expect(err.issues, JSON.stringify(err.issues)).toContainEqual(expect.objectContaining({ field, rule }));
    expect(await sent(ctx.sim)).toEqual([]);
    return err;
  }

  it('a character orientation that does not exist', async () => {
    await refusedWith(body(ref, { character_orientation: 'sideways' }), ['character_orientation', 'enum']);
  });

  it('an 11 s reference with "Match the picture" (10 s at most); the same clip passes with "Match the video"', async () => {
    const err = await refusedWith(body(long, { character_orientation: 'image' }), [
      'video_url',
      'video_too_long',
    ]);
    expect(err.message).toMatch(/^Reference video \(video_url\): 11 s is longer than 10 s/);
    // The rules, not the file, refused it: the same upload goes through with the other orientation.
    const ok = await created(
      studio,
      await motionControl(studio, body(long, { character_orientation: 'video' })),
    );
    expect(ok.duration).toBe('11');
  });

  it('an upload that is not (or no longer) stored', async () => {
    const err = await refusedWith(body('upload:00000000-0000-4000-8000-000000000000'), [
      'video_url',
      'upload_missing',
    ]);
    expect(err.message).toContain('add the video again');
  });

  it('a plain http:// URL', async () => {
    await refusedWith(body('http://videos.example/ref.mp4'), ['video_url', 'video_url_https']);
  });

  it('an https URL the studio does not fetch (loopback)', async () => {
    await refusedWith(body('https://127.0.0.1:9/ref.mp4'), ['video_url', 'video_url_unusable']);
  });

  it('elements on kling-v2-6', async () => {
    await refusedWith(body(ref, { element_list: [{ element_id: 'e1' }] }), [
      'element_list',
      'feature_unsupported',
    ]);
  });

  it('keys Kling does not define', async () => {
    await refusedWith(
      body(ref, { duration: '5', image: picture }),
      ['duration', 'unknown_field'],
      ['image', 'unknown_field'],
    );
  });

  it('a damaged character picture, and one too small', async () => {
    const whole = Buffer.from(picture, 'base64');
    await refusedWith(body(ref, { image_url: b64(whole.subarray(0, Math.floor(whole.length * 0.7))) }), [
      'image_url',
      'image_damaged',
    ]);
    await refusedWith(body(ref, { image_url: b64(await png(200, 200)) }), ['image_url', 'image_too_small']);
  });

  it('every problem at once', async () => {
    const err = await refusedWith(
      { ...body('upload:00000000-0000-4000-8000-000000000000'), mode: 'ultra', extra: 1 },
      ['video_url', 'upload_missing'],
      ['mode', 'enum'],
      ['extra', 'unknown_field'],
    );
    expect(err.issues!.length).toBeGreaterThanOrEqual(3);
  });
});

describe('a crash mid-download', () => {
  it('leaves nothing behind once the studio starts again', async () => {
    const dataDir = tempDir('mc-restart');
    mkdirSync(join(dataDir, 'downloads'), { recursive: true });
    writeFileSync(join(dataDir, 'downloads', 'cut-short.video'), clip.subarray(0, 1000));
    const again = await startStudio(ctx.sim, { dataDir });
    try {
      expect(existsSync(join(dataDir, 'downloads'))).toBe(false);
    } finally {
      await again.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the wallet guard', () => {
  it('refuses past the creates-per-minute limit, before anything is sent', async () => {
    const limited = await startStudio(ctx.sim, {
      upstreamKind: 'simulator',
      env: { RATE_LIMIT_CREATES_PER_MIN: '1' },
    });
    try {
      const ref = await upload(limited);
      await created(limited, await motionControl(limited, body(ref)));
      const err = await refused(await motionControl(limited, body(ref)), 429);
      expect(err.code).toBe('rate_limited');
      expect(await sent(ctx.sim)).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });
});

describe('uploads and where Kling fetches them', () => {
  it('real Kling without PUBLIC_URL: an upload is refused (public_url_required)', async () => {
    // A Kling that is never reached: the refusal comes first.
    const kling = await startStudio({ baseUrl: 'http://127.0.0.1:9' });
    try {
      const ref = await upload(kling);
      const err = await refused(await motionControl(kling, body(ref)));
      expect(err.issues).toEqual([
        expect.objectContaining({ field: 'video_url', rule: 'public_url_required' }),
      ]);
      expect(err.message).toMatch(/^Reference video \(video_url\): .*PUBLIC_URL must be set/);
      expect(await taskCount(kling)).toBe(0);
    } finally {
      await kling.close();
    }
  });

  it('with PUBLIC_URL: the link is under PUBLIC_URL, and Kling calls back', async () => {
    const pub = await startCallbackStudio(ctx.sim);
    try {
      const task = await created(pub, await motionControl(pub, body(await upload(pub))));
      const got = (await sent(ctx.sim))[0]!.body as Record<string, unknown>;
      expect(String(got.video_url).startsWith(`${pub.url}/api/uploads/`)).toBe(true);
      expect(String(got.callback_url).startsWith(`${pub.url}/api/callbacks/kling/`)).toBe(true);
      // Polling is a minute away: reaching the end means the callbacks were applied.
      const done = await waitForTask(pub, task.id);
      expect(done.status).toBe('succeed');
      expect(done.video).not.toBeNull();
    } finally {
      await pub.close();
    }
  });

  it('a task keeps its reference after the upload has expired; the remix then points at that copy', async () => {
    const short = await startStudio(ctx.sim, { upstreamKind: 'simulator', env: { UPLOAD_TTL_MS: '1000' } });
    try {
      const ref = await upload(short);
      const task = await created(short, await motionControl(short, body(ref)));
      expect((await waitForTask(short, task.id)).status).toBe('succeed');
      await new Promise((r) => setTimeout(r, 1100));
      // Swept now, or already by the sweeper's own timer (every second at this TTL).
      await short.services.uploads.sweep();
      expect(await short.services.uploads.get(ref.slice('upload:'.length))).toBeUndefined();

      const inputs = taskInputsSchema.parse(await (await short.fetch(`/api/tasks/${task.id}/inputs`)).json());
      if (inputs.kind !== 'motion-control') throw new Error('not a motion-control task');
      expect(inputs.request.video_url).toBe(`/api/tasks/${task.id}/reference`);
      const kept = await short.fetch(inputs.reference.url);
      expect(Buffer.from(await kept.arrayBuffer()).equals(clip)).toBe(true);

      const before = (await sent(ctx.sim)).length;
      const err = await refused(await motionControl(short, body(ref)));
      expect(err.issues).toEqual([expect.objectContaining({ field: 'video_url', rule: 'upload_missing' })]);
      expect(await sent(ctx.sim)).toHaveLength(before);
    } finally {
      await short.close();
    }
  });
});

describe('an https reference URL', () => {
  let server: https.Server;
  let url: string;
  let studioTls: Studio;
  const previousCa = https.globalAgent.options.ca;
  const previousReject = process.env.NODE_TLS_REJECT_UNAUTHORIZED;

  beforeAll(async () => {
    // A certificate for 127.0.0.1, trusted by the studio's fetcher (node:https' global agent).
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(join(dir, 'cert.pem'));
    writeFileSync(join(dir, 'not-a-video.mp4'), await png(640, 360));
    server = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
      const file =
        req.url === '/ref.mp4'
          ? clip
          : req.url === '/picture.mp4'
            ? readFileSync(join(dir, 'not-a-video.mp4'))
            : undefined;
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': file.length }).end(file);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    url = `https://127.0.0.1:${port}`;
    https.globalAgent.options.ca = cert;
    // The simulator downloads it too, with fetch (undici), which the global agent does not configure.
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    studioTls = await startStudio(ctx.sim, {
      upstreamKind: 'simulator',
      env: { URL_FETCH_ALLOW_HOSTS: `127.0.0.1:${port}` },
    });
  });
  afterAll(async () => {
    await studioTls?.close();
    await new Promise<void>((r) => server.close(() => r()));
    https.globalAgent.options.ca = previousCa;
    if (previousReject === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previousReject;
  });

  it('is downloaded, judged, kept with the task and sent to Kling as given', async () => {
    const task = await created(studioTls, await motionControl(studioTls, body(`${url}/ref.mp4`)));
    expect(task.duration).toBe('4');
    expect((await sent(ctx.sim))[0]!.body.video_url).toBe(`${url}/ref.mp4`);
    expect((await waitForTask(studioTls, task.id)).status).toBe('succeed');
    const inputs = taskInputsSchema.parse(
      await (await studioTls.fetch(`/api/tasks/${task.id}/inputs`)).json(),
    );
    if (inputs.kind !== 'motion-control') throw new Error('not a motion-control task');
    expect(inputs.request.video_url).toBe(`${url}/ref.mp4`);
    expect(inputs.reference).toMatchObject({ source: 'url', bytes: clip.length, width: 480, height: 360 });
    const kept = await studioTls.fetch(inputs.reference.url);
    expect(Buffer.from(await kept.arrayBuffer()).equals(clip)).toBe(true);
  });

  it('goes to real Kling without PUBLIC_URL (only uploads need it)', async () => {
    const kling = await startStudio(
      { baseUrl: 'http://127.0.0.1:9' },
      { env: { URL_FETCH_ALLOW_HOSTS: new URL(url).host } },
    );
    try {
      // Past every check and queued: only the fake Kling (nothing listens there) holds it back. Refused
      // outright, it waits in the queue; cut off mid-call, it waits for Kling to confirm (never re-sent).
      const res = await motionControl(kling, body(`${url}/ref.mp4`));
      expect(res.status).toBe(201);
      const { task } = taskEnvelopeSchema.parse(await res.json());
      const waiting = await waitForTask(kling, task.id, (t) =>
        [WAITING_FOR_KLING, WAITING_FOR_CONFIRMATION].includes(t.statusMessage ?? ''),
      );
      expect(waiting.status).toBe(waiting.statusMessage === WAITING_FOR_KLING ? 'queued' : 'submitted');
    } finally {
      await kling.close();
    }
  });

  it('a picture behind a .mp4 name is refused for what it is, and leaves no download behind', async () => {
    const err = await refused(await motionControl(studioTls, body(`${url}/picture.mp4`)));
    expect(err.issues).toEqual([expect.objectContaining({ field: 'video_url', rule: 'video_format' })]);
    expect(err.message).toContain('a PNG image');
    const missing = await refused(await motionControl(studioTls, body(`${url}/gone.mp4`)));
    expect(missing.issues).toEqual([
      expect.objectContaining({ field: 'video_url', rule: 'video_url_unusable' }),
    ]);
    expect(await sent(ctx.sim)).toEqual([]);
    const downloads = join(studioTls.dataDir, 'downloads');
    expect(existsSync(downloads) ? readdirSync(downloads) : []).toEqual([]);
  });
});
