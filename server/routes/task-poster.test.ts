import { copyFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type StudioTask, taskEnvelopeSchema } from '../../contract/schemas/studio-api.ts';
import type { RenderFn } from '../simulator/index.ts';
import { b64, fakeVideoBytes, png, tempDir, waitForTask, withStudio } from '../testing/studio-harness.ts';
import { makeTestVideo } from '../testing/test-videos.ts';

// Every ffmpeg run goes through this spy, so the test counts real poster decodes, not answers.
const runs = vi.hoisted(() => ({ posters: 0 }));
vi.mock('../simulator/render/ffmpeg-process.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../simulator/render/ffmpeg-process.ts')>();
  return {
    ...actual,
    runFfmpeg: (args: readonly string[], signal?: AbortSignal) => {
      if (args.includes('mjpeg')) runs.posters++;
      return actual.runFfmpeg(args, signal);
    },
  };
});

/**
 * The result "Kling" renders: a real 4 s MP4 of a white square crossing a dark frame left to right (its
 * centre at x = 25 % at 0 s, 50 % at 2 s, 75 % at 4 s) for std, and bytes no decoder can read for pro.
 */
const dir = tempDir('poster-src');
const realVideo = join(dir, 'blob.mp4');
const render: RenderFn = async (job) => {
  if (job.kind === 'image2video' && job.quality === 'pro') await writeFile(job.outFile, fakeVideoBytes());
  else await copyFile(realVideo, job.outFile);
  return { width: 480, height: 360, frames: 96, durationSeconds: 4, fps: 24 };
};

const ctx = withStudio({ sim: { render } });
let image: string;
beforeAll(async () => {
  await makeTestVideo(realVideo, { width: 480, height: 360, seconds: 4, fps: 24 });
  // A blue start frame: nothing like the result's grey and white, so a poster of it would be caught.
  image = b64(await png(640, 360, { r: 40, g: 120, b: 200 }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
beforeEach(() => {
  runs.posters = 0;
});

async function finished(fields: Record<string, unknown>): Promise<StudioTask> {
  const res = await ctx.studio.create({ model_name: 'kling-v1', mode: 'std', image, ...fields });
  expect(res.status).toBe(201);
  const { task } = taskEnvelopeSchema.parse(await res.json());
  return waitForTask(ctx.studio, task.id, (t) => t.video !== null || t.status === 'failed');
}
const posters = (id: string, n: number) =>
  Promise.all(Array.from({ length: n }, () => ctx.studio.fetch(`/api/tasks/${id}/poster`)));

describe('GET /api/tasks/:id/poster', () => {
  it('is a frame from the middle of the archived result, at most 640 px wide, made once for 20 parallel GETs', async () => {
    const task = await finished({ prompt: 'poster of the result' });
    expect(task.posterUrl).toBe(`/api/tasks/${task.id}/poster`);

    const answers = await posters(task.id, 20);
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(answers[0]!.headers.get('content-type')).toBe('image/jpeg');
    const bodies = await Promise.all(answers.map(async (r) => Buffer.from(await r.arrayBuffer())));
    for (const b of bodies) expect(b.equals(bodies[0]!)).toBe(true);
    expect(runs.posters).toBe(1);

    const { data, info } = await sharp(bodies[0]!).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([480, 360]);
    const grey = (fx: number, fy: number) =>
      data[Math.round(fy * info.height) * info.width + Math.round(fx * info.width)]!;
    // At 2 s the square is centred: white in the middle, dark where it started and where it ends.
    expect(grey(0.5, 0.5)).toBeGreaterThan(200);
    expect(grey(0.25, 0.5)).toBeLessThan(60);
    expect(grey(0.75, 0.5)).toBeLessThan(60);

    // Kept: a later GET reads the file, it does not run ffmpeg again.
    expect((await posters(task.id, 1))[0]!.status).toBe(200);
    expect(runs.posters).toBe(1);
  });

  it('answers 404 video_not_ready for a task without an archived video, and no poster URL is offered', async () => {
    const task = await finished({ prompt: 'no video [sim:fail]' });
    expect(task.status).toBe('failed');
    expect(task.posterUrl).toBeNull();
    const [res] = await posters(task.id, 1);
    expect(res!.status).toBe(404);
    expect((await res!.json()).error.code).toBe('video_not_ready');
    expect(runs.posters).toBe(0);
  });

  it('remembers a video no frame can be read from: 404 from one attempt for five GETs, then without ffmpeg', async () => {
    const task = await finished({ prompt: 'undecodable result', model_name: 'kling-v1-5', mode: 'pro' });
    expect(task.video).not.toBeNull();
    const first = await posters(task.id, 5);
    expect(first.map((r) => r.status)).toEqual(Array(5).fill(404));
    expect((await first[0]!.json()).error.code).toBe('not_found');
    // The middle, then the first frame, once for all five requests.
    expect(runs.posters).toBe(2);
    const again = await posters(task.id, 3);
    expect(again.map((r) => r.status)).toEqual([404, 404, 404]);
    expect(runs.posters).toBe(2);
  });

  it('answers 404 for an unknown task', async () => {
    const res = await ctx.studio.fetch('/api/tasks/00000000-0000-0000-0000-000000000000/poster');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No such task' } });
  });
});
