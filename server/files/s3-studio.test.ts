import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type StudioTask,
  taskEnvelopeSchema,
  taskInputsSchema,
  uploadEnvelopeSchema,
} from '../../contract/schemas/studio-api.ts';
import type { RenderFn } from '../simulator/index.ts';
import { type RunningS3, startS3 } from '../testing/s3-server.ts';
import { png, type Studio, startStudio, tempDir, waitForTask, withSim } from '../testing/studio-harness.ts';
import { makeTestVideo } from '../testing/test-videos.ts';
import { type FileStorage, readBytes } from './file-storage.ts';
import { createS3Storage } from './s3-storage.ts';

/**
 * The real studio with S3_BUCKET on s3rver, against the real simulator: every file a task has (inputs,
 * thumbnail, archived video, poster, an uploaded reference) lands in the bucket, is served from it with
 * Range, and nothing but the cache is written under DATA_DIR. A second storage on the same bucket (what
 * another replica sees) reads the same objects.
 */
const dir = tempDir('s3-studio-src');
const clipPath = join(dir, 'clip.mp4');
// A real 4 s clip for every result, so the poster (ffmpeg) is made from the bucket's copy.
const render: RenderFn = async (job) => {
  await copyFile(clipPath, job.outFile);
  return { width: 480, height: 360, frames: 32, durationSeconds: 4, fps: 8 };
};
const ctx = withSim({ render });

const PREFIX = 'studio-a/';
let s3: RunningS3;
let studio: Studio;
/** Another replica's view of the bucket: its own DATA_DIR and cache. */
let replica: FileStorage;
let replicaDir: string;
let clip: Buffer;
let picture: Buffer;

beforeAll(async () => {
  await makeTestVideo(clipPath, { width: 480, height: 360, seconds: 4, fps: 8 });
  clip = readFileSync(clipPath);
  picture = await png(640, 360, { r: 40, g: 120, b: 200 });
  s3 = await startS3();
  // 'simulator': an upload reaches the simulator on the studio's loopback address, as Kling would fetch it.
  studio = await startStudio(ctx.sim, { s3: { env: s3.env, prefix: PREFIX }, upstreamKind: 'simulator' });
  replicaDir = tempDir('s3-studio-replica');
  replica = createS3Storage({
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    prefix: PREFIX,
    dataDir: replicaDir,
  });
});

afterAll(async () => {
  await studio?.close();
  await replica?.close();
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
  if (replicaDir) await rm(replicaDir, { recursive: true, force: true });
});

async function finished(res: Response): Promise<StudioTask> {
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(201);
  const { task } = taskEnvelopeSchema.parse(json);
  return waitForTask(studio, task.id, (t) => t.video !== null || t.status === 'failed', 20_000);
}

const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer());

/** What DATA_DIR holds besides the database files and the cache: nothing of any task. */
function taskFilesUnderDataDir(): string[] {
  const fileDirs = ['inputs', 'videos', 'uploads', 'downloads'];
  return fileDirs.filter((d) => existsSync(join(studio.dataDir, d)));
}

describe('files in S3-compatible storage', () => {
  it('keeps a task’s inputs, thumbnail, video and poster in the bucket and serves them, the video with Range', async () => {
    expect(studio.services.files.kind).toBe('s3');
    expect((await (await studio.fetch('/api/health')).json()).storage).toBe('s3');
    const task = await finished(
      await studio.create({ model_name: 'kling-v1', mode: 'std', image: picture.toString('base64') }),
    );
    expect(task.status, task.statusMessage ?? '').toBe('succeed');

    // In the bucket, where another replica reads the very bytes the simulator rendered.
    const video = `videos/${task.id}.mp4`;
    expect((await readBytes(replica, video))?.equals(clip)).toBe(true);
    expect((await readBytes(replica, `inputs/${task.id}/image.png`))?.equals(picture)).toBe(true);

    const whole = await studio.fetch(`/api/tasks/${task.id}/video`);
    expect(whole.status).toBe(200);
    expect((await bytesOf(whole)).equals(clip)).toBe(true);
    const part = await studio.fetch(`/api/tasks/${task.id}/video`, { headers: { range: 'bytes=100-1099' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${clip.length}`);
    expect((await bytesOf(part)).equals(clip.subarray(100, 1100))).toBe(true);

    const input = await studio.fetch(`/api/tasks/${task.id}/inputs/image`);
    expect(input.status).toBe(200);
    expect((await bytesOf(input)).equals(picture)).toBe(true);
    const inputs = taskInputsSchema.parse(await (await studio.fetch(`/api/tasks/${task.id}/inputs`)).json());
    expect(inputs.kind === 'image2video' && inputs.request.image).toBe(picture.toString('base64'));

    const thumbnail = await studio.fetch(`/api/tasks/${task.id}/thumbnail`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/jpeg');
    expect(
      (await bytesOf(thumbnail)).equals((await readBytes(replica, `inputs/${task.id}/thumbnail.jpg`))!),
    ).toBe(true);
    const poster = await studio.fetch(`/api/tasks/${task.id}/poster`);
    expect(poster.status).toBe(200);
    expect((await bytesOf(poster)).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(await replica.stat(`videos/${task.id}.poster.jpg`)).toBeDefined();

    expect(taskFilesUnderDataDir()).toEqual([]);
  });

  it('stores a motion-control upload in the bucket, serves Kling its signed link from there, and keeps the reference', async () => {
    const up = await studio.fetch('/api/uploads', {
      method: 'POST',
      headers: { 'content-type': 'video/mp4' },
      body: new Uint8Array(clip),
    });
    expect(up.status).toBe(201);
    const { upload } = uploadEnvelopeSchema.parse(await up.json());
    expect((await readBytes(replica, `uploads/${upload.id}.mp4`))?.equals(clip)).toBe(true);

    const task = await finished(
      await studio.fetch('/api/motion-control', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          image_url: picture.toString('base64'),
          video_url: upload.ref,
          character_orientation: 'video',
          mode: 'std',
        }),
      }),
    );
    // The simulator fetched the reference through the signed link (served from the bucket) to make it.
    expect(task.status, task.statusMessage ?? '').toBe('succeed');
    expect((await readBytes(replica, `inputs/${task.id}/reference.mp4`))?.equals(clip)).toBe(true);
    const reference = await studio.fetch(`/api/tasks/${task.id}/reference`, {
      headers: { range: 'bytes=0-7' },
    });
    expect(reference.status).toBe(206);
    expect((await bytesOf(reference)).equals(clip.subarray(0, 8))).toBe(true);

    expect(taskFilesUnderDataDir()).toEqual([]);
    // Besides the database and the link-signing key, DATA_DIR holds only the cache.
    const others = readdirSync(studio.dataDir).filter((n) => !/^studio\.db|^upload-url-key$/.test(n));
    expect(others).toEqual(['cache']);
  });
});
