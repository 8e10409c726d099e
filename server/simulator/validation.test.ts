import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gifHeader, pngCutInHeader } from '../../contract/testing/test-images.ts';
import type { RecordedRequest } from './simulator.ts';
import { b64, jpeg, png, type Receiver, startReceiver, startTestSim, type TestSim } from './test-support.ts';

/**
 * Every class of rule answers as Kling does: HTTP 400, code 1201, a message naming the field. The rules
 * themselves are contract/'s (tested there); here we prove the simulator applies them to real bytes.
 */
describe('create validation', () => {
  let sim: TestSim;
  let files: Receiver;
  let img: string;
  let square: string;
  beforeAll(async () => {
    const big = Buffer.concat([await png(640, 360), Buffer.alloc(10 * 1024 * 1024 + 10)]);
    files = await startReceiver({
      '/ok.png': { body: await png(800, 450) },
      '/big.png': { body: big },
      '/slow.png': { body: await png(), delayMs: 1500 },
      '/page.html': { body: Buffer.from('<html></html>'), type: 'text/html' },
    });
    sim = await startTestSim({ fetchTimeoutMs: 300, concurrency: 100 });
    img = b64(await png(640, 360));
    square = b64(await png(640, 640));
  });
  afterAll(async () => {
    await sim.stop();
    await files.close();
  });

  async function expect1201(body: unknown, ...fragments: (string | RegExp)[]) {
    const { status, json } = await sim.create(body);
    expect({ status, code: json.code }).toEqual({ status: 400, code: 1201 });
    expect(json).not.toHaveProperty('data');
    for (const f of fragments) expect(json.message).toMatch(f);
    return json.message;
  }

  it('accepts a plain valid request (base64 PNG, JPEG, or a URL it can fetch)', async () => {
    expect((await sim.create({ image: img, prompt: 'ok' })).json.code).toBe(0);
    expect((await sim.create({ image: b64(await jpeg()) })).json.code).toBe(0);
    expect((await sim.create({ image: `${files.url}/ok.png` })).json.code).toBe(0);
  });

  it('ignores unknown keys, as Kling does', async () => {
    expect((await sim.create({ image: img, aspect_ratio: '16:9', model: 'x' })).json.code).toBe(0);
  });

  it('accepts an integer duration by reading it as the documented string', async () => {
    const { json } = await sim.create({ image: img, duration: 10 });
    expect(json.code).toBe(0);
    await expect1201({ image: img, duration: 7 }, 'Duration');
  });

  it('structure: enums, ranges, types, lengths', async () => {
    await expect1201({ image: img, model_name: 'kling-v9' }, 'Model', 'kling-v1');
    await expect1201({ image: img, prompt: 'x'.repeat(2501) }, 'Prompt', '2500');
    await expect1201({ image: img, cfg_scale: 1.5 }, 'cfg_scale');
    await expect1201({ image: img, mode: 'turbo' }, 'Mode');
    await expect1201({ image: 42 }, 'image');
    await expect1201({ image: img, callback_url: 'not a url' }, 'callback_url');
    await expect1201({ image: img, external_task_id: 'x'.repeat(65) }, 'external_task_id');
  });

  it('frames: a start frame is required', async () => {
    await expect1201({ prompt: 'nothing' }, 'Start frame (image)', 'required');
    await expect1201({ image_tail: img, model_name: 'kling-v1', mode: 'pro' }, 'Start frame (image)');
  });

  it('encoding: data: prefixes and broken base64 or other schemes', async () => {
    await expect1201({ image: `data:image/png;base64,${img}` }, 'Start frame (image)', 'data:');
    await expect1201({ image: 'not base64!' }, 'Start frame (image)', 'neither');
    await expect1201({ image: 'ftp://example.com/a.png' }, 'Start frame (image)');
  });

  it('image facts from the real bytes: format, size, dimensions, aspect', async () => {
    const gif = b64(gifHeader(400, 400));
    await expect1201({ image: gif }, 'Start frame (image)', 'JPG or PNG', 'GIF');
    await expect1201({ image: b64(await png(200, 400)) }, 'Start frame (image)', '300 px');
    await expect1201({ image: b64(await png(1000, 300)) }, 'Start frame (image)', 'aspect ratio');
    await expect1201({ image: `${files.url}/big.png` }, 'Start frame (image)', '10 MB');
    // Cut inside its header: the simulator refuses what it cannot open.
    await expect1201({ image: b64(pngCutInHeader()) }, 'Start frame (image)', 'damaged');
    await expect1201({ image: `${files.url}/page.html` }, 'Start frame (image)', 'JPG or PNG');
  });

  it('URLs must be reachable: 404, timeouts and refused connections are 1201 naming the field', async () => {
    await expect1201({ image: `${files.url}/missing.png` }, 'Start frame (image)', 'HTTP 404');
    await expect1201({ image: `${files.url}/slow.png` }, 'Start frame (image)', 'timed out');
    const gone = await startReceiver();
    await gone.close();
    await expect1201(
      { image: img, image_tail: `${gone.url}/x.png`, mode: 'pro' },
      'End frame (image_tail)',
      'ECONNREFUSED',
    );
  });

  it('capabilities: features by model, mode and duration', async () => {
    const cam = { type: 'simple', config: { horizontal: 3, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 0 } };
    await expect1201({ image: img, camera_control: cam }, 'Camera (camera_control)', 'Kling 1.5 · Pro · 5 s');
    await expect1201({ image: img, image_tail: img, model_name: 'kling-v1-6' }, 'End frame (image_tail)');
    await expect1201({ image: img, model_name: 'kling-v2-master', mode: 'std' }, 'Mode');
    await expect1201({ image: img, model_name: 'kling-v2-1', cfg_scale: 0.5 }, 'cfg_scale');
    await expect1201({ image: img, model_name: 'kling-v2-6', sound: 'on' }, 'Sound');
    await expect1201(
      {
        image: img,
        model_name: 'kling-v1-5',
        mode: 'pro',
        camera_control: { ...cam, config: { ...cam.config, zoom: 2 } },
      },
      'camera_control.config',
      'exactly one axis',
    );
  });

  it('exclusive motion features', async () => {
    await expect1201(
      { image: img, image_tail: img, static_mask: img, mode: 'pro' },
      'start & end frames, motion brush and camera control cannot be combined',
    );
  });

  it('voices and prompt references', async () => {
    await expect1201({ image: img, prompt: 'hello <<<voice_1>>>' }, 'Prompt', 'voice_1');
  });

  it('trajectories must lie inside the start frame', async () => {
    await expect1201(
      {
        image: img,
        dynamic_masks: [
          {
            mask: img,
            trajectories: [
              { x: 10, y: 10 },
              { x: 900, y: 10 },
            ],
          },
        ],
      },
      'Dynamic mask 1 trajectory',
      'outside',
    );
  });

  it('external_task_id must be unique', async () => {
    expect((await sim.create({ image: img, external_task_id: 'dup-1' })).json.code).toBe(0);
    await expect1201({ image: img, external_task_id: 'dup-1' }, 'external_task_id already exists');
  });

  it('a body that is not a JSON object', async () => {
    const bad = await sim.create('{"image": ');
    expect({ status: bad.status, code: bad.json.code }).toEqual({ status: 400, code: 1200 });
    await expect1201([1, 2], 'JSON object');
  });

  it('mask mismatches are accepted and the task fails later (Kling fails them async)', async () => {
    const aspect = await sim.create({ image: img, static_mask: square });
    expect(aspect.json.code).toBe(0);
    const id = (aspect.json.data as { task_id: string }).task_id;
    const failed = await sim.waitFor(id);
    expect(failed.task_status).toBe('failed');
    expect(failed.task_status_msg).toMatch(/Static mask.*aspect ratio/);
    expect(failed.task_result).toEqual({});

    const resolution = await sim.create({
      image: img,
      static_mask: img,
      dynamic_masks: [
        {
          mask: b64(await png(320, 180)),
          trajectories: [
            { x: 1, y: 1 },
            { x: 5, y: 5 },
          ],
        },
      ],
    });
    const t2 = await sim.waitFor((resolution.json.data as { task_id: string }).task_id);
    expect(t2.task_status).toBe('failed');
    expect(t2.task_status_msg).toMatch(/identical resolution/);
  });

  it('records every create request as received, newest last, without Authorization', async () => {
    await sim.create({ image: img, prompt: 'recorded last', extra_key: 1 }, { 'x-trace': 'abc' });
    const res = await fetch(`${sim.baseUrl}/__sim/requests`);
    const all = (await res.json()) as RecordedRequest[];
    const last = all.at(-1)!;
    expect(last.body).toMatchObject({ prompt: 'recorded last', extra_key: 1 });
    expect(last.headers['x-trace']).toBe('abc');
    expect(last.headers).not.toHaveProperty('authorization');
    expect(last.response).toMatchObject({ status: 200, code: 0 });
    expect(typeof last.receivedAt).toBe('number');
    expect(all.some((r) => r.response?.code === 1201)).toBe(true);
  });
});

describe('strict mode', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ strict: true });
  });
  afterAll(() => sim.stop());

  it('rejects mask aspect mismatches at create with 1201', async () => {
    const { status, json } = await sim.create({
      image: b64(await png(640, 360)),
      static_mask: b64(await png(400, 400)),
    });
    expect({ status, code: json.code }).toEqual({ status: 400, code: 1201 });
    expect(json.message).toMatch(/Static mask \(static_mask\).*aspect ratio/);
  });
});
