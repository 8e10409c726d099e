import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bytesSource, readVideoFacts } from '../../contract/video/container-header.ts';
import { type RunningSimulator, startSimulator } from './index.ts';
import { probeVideo } from './render/index.ts';
import type { WireTask } from './task-store.ts';
import { png, startReceiver } from './test-support.ts';
import { makeTestVideo } from './test-videos.ts';

/**
 * What a plain Kling client does, with the real renderer: sign a JWT from the printed keys (jose, as a
 * client would — not the simulator's helper), create, poll until `succeed`, download the MP4.
 */
describe('end to end, like curl', () => {
  let sim: RunningSimulator;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sim-e2e-'));
    sim = await startSimulator({ accessKey: 'AK-e2e', secretKey: 'SK-e2e', dataDir, phaseMs: 50 });
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function token(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: sim.accessKey, exp: now + 1800, nbf: now - 5 })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(sim.secretKey));
  }

  /** Polls a task's own endpoint until it is final, as a client would. */
  async function settle(path: string): Promise<WireTask> {
    let task: WireTask | undefined;
    await vi.waitFor(
      async () => {
        const res = await fetch(`${sim.baseUrl}${path}`, {
          headers: { authorization: `Bearer ${await token()}` },
        });
        task = ((await res.json()) as { data: WireTask }).data;
        expect(['succeed', 'failed']).toContain(task.task_status);
      },
      { timeout: 50_000, interval: 100 },
    );
    return task!;
  }

  it('creates a task that ends succeed with a playable H.264 MP4', async () => {
    const image = (await png(640, 360, { r: 220, g: 90, b: 30 })).toString('base64');
    const create = await fetch(`${sim.baseUrl}/v1/videos/image2video`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model_name: 'kling-v1',
        mode: 'std',
        duration: '5',
        prompt: 'a gentle push-in',
        image,
      }),
    });
    expect(create.status).toBe(200);
    const taskId = ((await create.json()) as { data: WireTask }).data.task_id;

    let task: WireTask | undefined;
    await vi.waitFor(
      async () => {
        const res = await fetch(`${sim.baseUrl}/v1/videos/image2video/${taskId}`, {
          headers: { authorization: `Bearer ${await token()}` },
        });
        task = ((await res.json()) as { data: WireTask }).data;
        expect(['succeed', 'failed']).toContain(task.task_status);
      },
      { timeout: 50_000, interval: 100 },
    );
    expect(task?.task_status_msg).toBe('');
    expect(task?.task_status).toBe('succeed');
    const video = task!.task_result.videos![0]!;

    const download = await fetch(video.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('video/mp4');
    const mp4 = Buffer.from(await download.arrayBuffer());
    expect(mp4.subarray(4, 8).toString('latin1')).toBe('ftyp');

    const file = join(dataDir, 'downloaded.mp4');
    writeFileSync(file, mp4);
    const probe = await probeVideo(file);
    expect(probe).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', fps: 30 });
    expect(probe.durationSeconds).toBeCloseTo(5, 0);
    expect(probe.width / probe.height).toBeCloseTo(640 / 360, 1);
  });

  it('motion control: a fetched clip and a picture become a playable MP4 as long as the clip, with its sound', async () => {
    // The reference: a blob crossing the frame for 3.2 s, with a tone, served from a loopback server.
    const clip = join(dataDir, 'reference.mp4');
    await makeTestVideo(clip, { width: 480, height: 360, seconds: 3.2, fps: 12, audio: true });
    const reference = readFileSync(clip);
    // Its length as its header says (the AAC track runs a little past the picture): the output's length.
    const { durationMs } = await readVideoFacts(bytesSource(reference));
    expect(Math.abs(durationMs - 3200)).toBeLessThan(100);
    const files = await startReceiver({ '/reference.mp4': { body: reference, type: 'video/mp4' } });
    try {
      const create = await fetch(`${sim.baseUrl}/v1/videos/motion-control`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          image_url: (await png(640, 360, { r: 30, g: 160, b: 90 })).toString('base64'),
          video_url: `${files.url}/reference.mp4`,
          character_orientation: 'video',
          mode: 'std',
        }),
      });
      expect(create.status).toBe(200);
      const taskId = ((await create.json()) as { data: WireTask }).data.task_id;

      const task = await settle(`/v1/videos/motion-control/${taskId}`);
      expect(task.task_status_msg).toBe('');
      expect(task.task_status).toBe('succeed');
      // kling-v2-6 std: 0.5 units a second, 3.2-odd seconds billed as 4.
      expect(task.final_unit_deduction).toBe('2');
      const video = task.task_result.videos![0]!;
      expect(video.duration).toBe((durationMs / 1000).toFixed(1));

      const download = await fetch(video.url);
      expect(download.status).toBe(200);
      const mp4 = Buffer.from(await download.arrayBuffer());
      const file = join(dataDir, 'motion.mp4');
      writeFileSync(file, mp4);
      const probe = await probeVideo(file);
      expect(probe).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', fps: 24 });
      expect(Math.abs(probe.durationSeconds - durationMs / 1000)).toBeLessThan(0.1);
      expect(Math.abs(probe.frames - (durationMs / 1000) * 24)).toBeLessThanOrEqual(1);
      // keep_original_sound defaults to "yes": the clip's tone is in the result.
      expect((await readVideoFacts(bytesSource(mp4))).hasAudio).toBe(true);
    } finally {
      await files.close();
    }
  });
});
