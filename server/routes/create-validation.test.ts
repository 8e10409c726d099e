import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiErrorSchema } from '../../contract/schemas/studio-api.ts';
import {
  gif1x1,
  jpegCutMidScan,
  pngBomb,
  pngWithGarbageIdat,
  svgImage,
  textFile,
} from '../../contract/testing/test-images.ts';
import {
  b64,
  jpeg,
  png,
  type SimForStudio,
  type Studio,
  startSimForStudio,
  startStudio,
  waitForTask,
} from '../testing/studio-harness.ts';

/**
 * Every request here is refused by the studio with the field and rule named, and the simulator receives
 * nothing: nothing that costs money happens before the rules and the real bytes agree.
 */
let sim: SimForStudio;
let studio: Studio;
let files: Server;
let filesUrl: string;
const served = new Map<string, { type: string; body: Buffer }>();

const img: Record<string, string> = {};

beforeAll(async () => {
  sim = await startSimForStudio();
  files = createServer((req, res) => {
    const f = served.get(req.url ?? '');
    if (!f) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f.type }).end(f.body);
  });
  await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
  const port = (files.address() as AddressInfo).port;
  filesUrl = `http://127.0.0.1:${port}`;
  // The test file server is trusted explicitly, as an operator would list an internal image host.
  studio = await startStudio(sim, { env: { URL_FETCH_ALLOW_HOSTS: `127.0.0.1:${port}` } });

  const start = await png(640, 360);
  img.ok = b64(start);
  img.mask = b64(await png(640, 360, { r: 255, g: 255, b: 255 }));
  img.maskOtherAspect = b64(await png(400, 400, { r: 255, g: 255, b: 255 }));
  img.maskOtherSize = b64(await png(1280, 720, { r: 255, g: 255, b: 255 }));
  img.small = b64(await png(299, 400));
  img.narrow = b64(await png(300, 780)); // 1:2.6
  img.wide = b64(await png(780, 300)); // 2.6:1
  img.gif = b64(gif1x1());
  img.svg = b64(svgImage(640, 360));
  img.text = b64(textFile());
  img.bomb = b64(pngBomb(60_000, 60_000));
  img.truncated = b64(start.subarray(0, start.length - 60));
  img.garbageIdat = b64(pngWithGarbageIdat(640, 480));
  img.cutScan = b64(jpegCutMidScan(640, 480));
  // 10 MB + 1 byte: a real PNG padded after IEND (still readable, too large).
  img.tooLarge = b64(Buffer.concat([start, Buffer.alloc(10 * 1024 * 1024 + 1 - start.length)]));
  served.set('/gif-named.png', { type: 'image/png', body: Buffer.from(img.gif, 'base64') });
  served.set('/real.jpg', { type: 'image/jpeg', body: await jpeg(640, 360) });
  served.set('/small.png', { type: 'image/png', body: Buffer.from(img.small, 'base64') });
});
afterAll(async () => {
  await studio.close();
  await sim.close();
  files.close();
});
beforeEach(async () => {
  await fetch(`${sim.baseUrl}/__sim/reset`, { method: 'POST' });
});

const traj = (n: number, x = 10, y = 10) => Array.from({ length: n }, (_, i) => ({ x: x + i, y: y + i }));
const two = [
  { x: 10, y: 10 },
  { x: 100, y: 100 },
];
const simpleCam = { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 5 };

type Body = Record<string, unknown>;
/** [name, body (images by key of `img`), expected field, expected rule] */
const CASES: [string, () => Body, string, string][] = [
  ['not an image', () => ({ image: img.text }), 'image', 'image_format'],
  ['an SVG', () => ({ image: img.svg }), 'image', 'image_format'],
  ['a GIF', () => ({ image: img.gif }), 'image', 'image_format'],
  ['an empty image string', () => ({ image: '' }), 'image', 'image_empty'],
  ['an empty image_tail string', () => ({ image: img.ok, image_tail: '' }), 'image_tail', 'image_empty'],
  ['10 MB + 1 byte', () => ({ image: img.tooLarge }), 'image', 'image_too_large'],
  ['299 px wide', () => ({ image: img.small }), 'image', 'image_too_small'],
  ['1:2.6', () => ({ image: img.narrow }), 'image', 'image_aspect'],
  ['2.6:1', () => ({ image: img.wide }), 'image', 'image_aspect'],
  ['a data: prefix', () => ({ image: `data:image/png;base64,${img.ok}` }), 'image', 'data_prefix'],
  ['broken base64', () => ({ image: `${img.ok!.slice(0, 101)}!` }), 'image', 'base64_invalid'],
  ['a decompression bomb', () => ({ image: img.bomb }), 'image', 'image_too_big'],
  [
    'a truncated PNG (header fine, pixels broken)',
    () => ({ image: img.truncated }),
    'image',
    'image_damaged',
  ],
  [
    'a PNG with garbage IDAT (chunks and CRCs valid)',
    () => ({ image: img.garbageIdat }),
    'image',
    'image_damaged',
  ],
  ['a JPEG cut mid-scan with FFD9 appended', () => ({ image: img.cutScan }), 'image', 'image_damaged'],
  [
    'an end frame cut mid-scan',
    () => ({ image: img.ok, image_tail: img.cutScan }),
    'image_tail',
    'image_damaged',
  ],
  [
    'image_tail alone',
    () => ({ model_name: 'kling-v1', image_tail: img.ok }),
    'image',
    'image_tail_needs_image',
  ],
  ['no image at all', () => ({ prompt: 'hi' }), 'image', 'image_required'],
  [
    'both frames plus masks',
    () => ({ image: img.ok, image_tail: img.ok, static_mask: img.mask }),
    'static_mask',
    'exclusive_features',
  ],
  [
    'masks plus camera',
    () => ({
      model_name: 'kling-v1-5',
      mode: 'pro',
      image: img.ok,
      static_mask: img.mask,
      camera_control: { type: 'simple', config: simpleCam },
    }),
    'camera_control',
    'exclusive_features',
  ],
  [
    '7 dynamic masks',
    () => ({
      image: img.ok,
      dynamic_masks: Array.from({ length: 7 }, () => ({ mask: img.mask, trajectories: two })),
    }),
    'dynamic_masks',
    'too_many',
  ],
  [
    '1 trajectory point',
    () => ({ image: img.ok, dynamic_masks: [{ mask: img.mask, trajectories: traj(1) }] }),
    'dynamic_masks[0].trajectories',
    'too_few',
  ],
  [
    '78 trajectory points',
    () => ({ image: img.ok, dynamic_masks: [{ mask: img.mask, trajectories: traj(78) }] }),
    'dynamic_masks[0].trajectories',
    'too_many',
  ],
  [
    'a non-integer point',
    () => ({
      image: img.ok,
      dynamic_masks: [
        {
          mask: img.mask,
          trajectories: [
            { x: 1.5, y: 2 },
            { x: 3, y: 4 },
          ],
        },
      ],
    }),
    'dynamic_masks[0].trajectories[0].x',
    'integer',
  ],
  [
    'a point outside the image',
    () => ({
      image: img.ok,
      dynamic_masks: [
        {
          mask: img.mask,
          trajectories: [
            { x: 10, y: 10 },
            { x: 641, y: 10 },
          ],
        },
      ],
    }),
    'dynamic_masks[0].trajectories',
    'trajectory_out_of_image',
  ],
  [
    'a mask of another aspect ratio',
    () => ({ image: img.ok, static_mask: img.maskOtherAspect }),
    'static_mask',
    'mask_aspect',
  ],
  [
    'static and dynamic masks of different sizes',
    () => ({
      image: img.ok,
      static_mask: img.mask,
      dynamic_masks: [{ mask: img.maskOtherSize, trajectories: two }],
    }),
    'dynamic_masks[0].mask',
    'mask_resolution',
  ],
  [
    'two non-zero camera axes',
    () => ({
      model_name: 'kling-v1-5',
      mode: 'pro',
      image: img.ok,
      camera_control: { type: 'simple', config: { ...simpleCam, pan: 3 } },
    }),
    'camera_control.config',
    'camera_one_axis',
  ],
  [
    'a camera axis at 11',
    () => ({
      model_name: 'kling-v1-5',
      mode: 'pro',
      image: img.ok,
      camera_control: { type: 'simple', config: { ...simpleCam, zoom: 11 } },
    }),
    'camera_control.config.zoom',
    'range',
  ],
  [
    'config on a preset camera type',
    () => ({ image: img.ok, camera_control: { type: 'down_back', config: simpleCam } }),
    'camera_control.config',
    'camera_config_forbidden',
  ],
  [
    'camera on a model without it',
    () => ({ model_name: 'kling-v1', image: img.ok, camera_control: { type: 'simple', config: simpleCam } }),
    'camera_control',
    'feature_unsupported',
  ],
  [
    'cfg_scale on a v2 model',
    () => ({ model_name: 'kling-v2-1', image: img.ok, cfg_scale: 0.5 }),
    'cfg_scale',
    'cfg_scale_unsupported',
  ],
  ['cfg_scale above 1', () => ({ image: img.ok, cfg_scale: 1.5 }), 'cfg_scale', 'range'],
  [
    'voices on a model without voice',
    () => ({ model_name: 'kling-v1', image: img.ok, sound: 'on', voice_list: [{ voice_id: 'v1' }] }),
    'voice_list',
    'feature_unsupported',
  ],
  [
    '<<<voice_3>>> with two voices',
    () => ({
      model_name: 'kling-v2-6',
      mode: 'pro',
      image: img.ok,
      sound: 'on',
      voice_list: [{ voice_id: 'a' }, { voice_id: 'b' }],
      prompt: 'she says <<<voice_3>>>',
    }),
    'prompt',
    'voice_reference_missing',
  ],
  ['a 2501-character prompt', () => ({ image: img.ok, prompt: 'x'.repeat(2501) }), 'prompt', 'max_length'],
  ['an unknown field', () => ({ image: img.ok, aspect_ratio: '16:9' }), 'aspect_ratio', 'unknown_field'],
  ['a wrong type', () => ({ image: img.ok, prompt: 42 }), 'prompt', 'type'],
  ['an unknown model', () => ({ image: img.ok, model_name: 'kling-v9' }), 'model_name', 'enum'],
  // "7" is a duration Kling knows (kling-v3's 3–15 s), not one kling-v1 offers; "16" none offers.
  ['duration "7" on kling-v1', () => ({ image: img.ok, duration: '7' }), 'duration', 'duration_unsupported'],
  ['duration "16"', () => ({ image: img.ok, duration: '16' }), 'duration', 'enum'],
  ['duration as a number', () => ({ image: img.ok, duration: 5 }), 'duration', 'enum'],
  [
    'mode on a model without modes',
    () => ({ model_name: 'kling-v2-master', mode: 'pro', image: img.ok }),
    'mode',
    'mode_unsupported',
  ],
  [
    'end frame on std',
    () => ({ model_name: 'kling-v1-6', mode: 'std', image: img.ok, image_tail: img.ok }),
    'image_tail',
    'feature_unsupported',
  ],
  [
    'sound on std',
    () => ({ model_name: 'kling-v2-6', mode: 'std', image: img.ok, sound: 'on' }),
    'sound',
    'feature_unsupported',
  ],
  [
    'a callback_url that is not http',
    () => ({ image: img.ok, callback_url: 'ftp://x.example/cb' }),
    'callback_url',
    'format',
  ],
  [
    'an over-long external_task_id',
    () => ({ image: img.ok, external_task_id: 'e'.repeat(65) }),
    'external_task_id',
    'max_length',
  ],
  [
    'voices without sound on',
    () => ({ model_name: 'kling-v2-6', mode: 'pro', image: img.ok, voice_list: [{ voice_id: 'a' }] }),
    'voice_list',
    'voice_needs_sound',
  ],
  [
    'three voices',
    () => ({
      model_name: 'kling-v2-6',
      mode: 'pro',
      image: img.ok,
      sound: 'on',
      voice_list: [{ voice_id: 'a' }, { voice_id: 'b' }, { voice_id: 'c' }],
    }),
    'voice_list',
    'too_many',
  ],
  [
    'sound with an end frame',
    () => ({ model_name: 'kling-v2-6', mode: 'pro', image: img.ok, image_tail: img.ok, sound: 'on' }),
    'sound',
    'sound_with_end_frame',
  ],
  [
    'a preset camera move where only simple exists',
    () => ({ model_name: 'kling-v1-5', mode: 'pro', image: img.ok, camera_control: { type: 'down_back' } }),
    'camera_control.type',
    'camera_type_unsupported',
  ],
  [
    'a simple camera move without config',
    () => ({ model_name: 'kling-v1-5', mode: 'pro', image: img.ok, camera_control: { type: 'simple' } }),
    'camera_control.config',
    'camera_config_required',
  ],
  [
    'all camera axes at 0',
    () => ({
      model_name: 'kling-v1-5',
      mode: 'pro',
      image: img.ok,
      camera_control: { type: 'simple', config: { ...simpleCam, zoom: 0 } },
    }),
    'camera_control.config',
    'camera_one_axis',
  ],
  [
    'an unknown camera type',
    () => ({ image: img.ok, camera_control: { type: 'spin' } }),
    'camera_control.type',
    'enum',
  ],
  [
    'a dynamic mask in broken base64',
    () => ({ image: img.ok, dynamic_masks: [{ mask: '###', trajectories: two }] }),
    'dynamic_masks[0].mask',
    'base64_invalid',
  ],
  [
    'a mask with a data: prefix',
    () => ({ image: img.ok, static_mask: `data:image/png;base64,${img.mask}` }),
    'static_mask',
    'data_prefix',
  ],
  [
    'a dynamic mask without its mask',
    () => ({ image: img.ok, dynamic_masks: [{ trajectories: two }] }),
    'dynamic_masks[0].mask',
    'required',
  ],
  [
    'trajectories that are not a list',
    () => ({ image: img.ok, dynamic_masks: [{ mask: img.mask, trajectories: 'up' }] }),
    'dynamic_masks[0].trajectories',
    'type',
  ],
  [
    'an end frame that is a GIF',
    () => ({ model_name: 'kling-v1', image: img.ok, image_tail: img.gif }),
    'image_tail',
    'image_format',
  ],
  [
    'a static mask that is an SVG',
    () => ({ image: img.ok, static_mask: img.svg }),
    'static_mask',
    'image_format',
  ],
  [
    'a 2501-character negative prompt',
    () => ({ image: img.ok, negative_prompt: 'n'.repeat(2501) }),
    'negative_prompt',
    'max_length',
  ],
  [
    'CRLF in external_task_id',
    () => ({ image: img.ok, external_task_id: 'x\r\nX-Injected: 1' }),
    'external_task_id',
    'format',
  ],
  ['NUL in the prompt', () => ({ image: img.ok, prompt: 'a\u0000b' }), 'prompt', 'control_character'],
  [
    'a right-to-left override in the prompt',
    () => ({ image: img.ok, prompt: 'a\u202Eevil' }),
    'prompt',
    'bidi_control',
  ],
  [
    'a lone surrogate in the prompt',
    () => ({ image: img.ok, prompt: '\ud800\udfff\ud800 x' }),
    'prompt',
    'lone_surrogate',
  ],
  [
    'a bidi isolate in the negative prompt',
    () => ({ image: img.ok, negative_prompt: 'x\u2067y' }),
    'negative_prompt',
    'bidi_control',
  ],
  [
    'an empty external_task_id',
    () => ({ image: img.ok, external_task_id: '' }),
    'external_task_id',
    'required',
  ],
  ['the image as a number', () => ({ image: 12345 }), 'image', 'type'],
  ['model_name null', () => ({ image: img.ok, model_name: null }), 'model_name', 'enum'],
  [
    'motion brush at 10 s',
    () => ({ model_name: 'kling-v1', duration: '10', image: img.ok, static_mask: img.mask }),
    'static_mask',
    'feature_unsupported',
  ],
  [
    'an end frame on a master model',
    () => ({ model_name: 'kling-v2-master', image: img.ok, image_tail: img.ok }),
    'image_tail',
    'feature_unsupported',
  ],
  ['sound "loud"', () => ({ image: img.ok, sound: 'loud' }), 'sound', 'enum'],
  [
    'an image URL to a private address',
    () => ({ image: 'http://10.1.2.3/cat.png' }),
    'image',
    'image_url_unusable',
  ],
  [
    'an image URL to loopback',
    () => ({ image: 'http://localhost:1/cat.png' }),
    'image',
    'image_url_unusable',
  ],
  [
    'an image URL to the cloud metadata address',
    () => ({ image: 'http://169.254.169.254/latest' }),
    'image',
    'image_url_unusable',
  ],
  [
    'an image URL that is a GIF named .png',
    () => ({ image: `${filesUrl}/gif-named.png` }),
    'image',
    'image_format',
  ],
  ['an image URL that is too small', () => ({ image: `${filesUrl}/small.png` }), 'image', 'image_too_small'],
  [
    'an image URL that is missing',
    () => ({ image: `${filesUrl}/missing.png` }),
    'image',
    'image_url_unusable',
  ],
];

describe('POST /api/tasks refuses bad requests before any upstream call', () => {
  it.each(CASES)('%s', async (_name, body, field, rule) => {
    const res = await studio.create(body());
    expect(res.status).toBe(400);
    const { error } = apiErrorSchema.parse(await res.json());
    expect(error.code).toBe('validation_failed');
    expect(error.issues).toContainEqual(expect.objectContaining({ field, rule }));
    expect(error.message.startsWith(error.issues![0]!.message)).toBe(true);
    expect(await sim.requests()).toEqual([]);
  });

  it('reports every problem at once', async () => {
    const res = await studio.create({ image: img.small, prompt: 'x'.repeat(2501), duration: '16', extra: 1 });
    const { error } = apiErrorSchema.parse(await res.json());
    expect(error.issues!.map((i) => i.rule).sort()).toEqual([
      'enum',
      'image_too_small',
      'max_length',
      'unknown_field',
    ]);
    expect(await sim.requests()).toEqual([]);
  });

  it('refuses a body that is not a JSON object, not JSON, or not sent as JSON', async () => {
    for (const [body, type, status, code] of [
      ['[1,2]', 'application/json', 400, 'validation_failed'],
      ['{"image":', 'application/json', 400, 'invalid_json'],
      ['{}', 'text/plain', 415, 'unsupported_media_type'],
    ] as const) {
      const res = await studio.fetch('/api/tasks', {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
      expect(res.status).toBe(status);
      expect((await res.json()).error.code).toBe(code);
    }
    expect(await sim.requests()).toEqual([]);
  });

  it('refuses JSON nested 10 000 deep without parsing it, and keeps serving', async () => {
    const deep = `{"image":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const res = await studio.create(deep);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_json');
    expect((await studio.fetch('/api/health')).status).toBe(200);
  });

  it('refuses a 50 MB body with 413 and keeps serving', async () => {
    const big = JSON.stringify({ image: 'A'.repeat(50 * 1024 * 1024) });
    const res = await studio.create(big).catch((e: unknown) => e);
    // The studio answers 413 as soon as Content-Length says too much, before reading the body.
    expect(res).toBeInstanceOf(Response);
    expect((res as Response).status).toBe(413);
    expect((await (res as Response).json()).error.code).toBe('payload_too_large');
    expect((await studio.fetch('/api/health')).status).toBe(200);
    expect(await sim.requests()).toEqual([]);
  });

  it('refuses a chunked body the moment it crosses the limit', async () => {
    let sent = 0;
    const chunk = new TextEncoder().encode('A'.repeat(1024 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"image":"'));
      },
      pull(controller) {
        // Up to 60 MB, but the server should stop reading near 48 MB.
        if (sent++ > 60) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await studio
      .fetch('/api/tasks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit)
      .catch((e: unknown) => e);
    expect(res).toBeInstanceOf(Response);
    expect((res as Response).status).toBe(413);
    expect(sent).toBeLessThan(60);
    expect((await studio.fetch('/api/health')).status).toBe(200);
  });

  it('refuses a reused external_task_id before any upstream call', async () => {
    const first = await studio.create({ image: img.ok, external_task_id: 'dup-1' });
    expect(first.status).toBe(201);
    // Queued at once: let the dispatcher send it before the simulator's log is cleared.
    await waitForTask(studio, (await first.json()).task.id, (t) => t.status !== 'queued');
    await fetch(`${sim.baseUrl}/__sim/reset`, { method: 'POST' });
    const again = await studio.create({ image: img.ok, external_task_id: 'dup-1' });
    expect(again.status).toBe(409);
    const { error } = apiErrorSchema.parse(await again.json());
    expect(error.issues).toContainEqual(
      expect.objectContaining({ field: 'external_task_id', rule: 'external_task_id_duplicate' }),
    );
    expect(await sim.requests()).toEqual([]);
  });
});

describe('URL images are checked by their real bytes', () => {
  it('accepts a JPEG URL, stores its bytes and forwards the URL unchanged', async () => {
    const url = `${filesUrl}/real.jpg`;
    const res = await studio.create({ image: url, prompt: 'from a URL' });
    expect(res.status).toBe(201);
    const { task } = await res.json();
    await waitForTask(studio, task.id, (t) => t.status !== 'queued');
    const [received] = await sim.requests();
    expect(received!.body.image).toBe(url);
    const inputs = await (await studio.fetch(`/api/tasks/${task.id}/inputs`)).json();
    expect(inputs.request.image).toBe(url);
    expect(inputs.images.image).toMatchObject({ format: 'jpeg', width: 640, height: 360, source: 'url' });
  });
});
