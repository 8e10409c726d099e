import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileStorage } from '../files/file-storage.ts';
import { createLocalStorage } from '../files/local-storage.ts';
import { createS3Storage } from '../files/s3-storage.ts';
import { StudioError } from '../lib/studio-error.ts';
import { type RunningS3, startS3 } from '../testing/s3-server.ts';
import { tempDir } from '../testing/studio-harness.ts';
import { storedFileResponse } from './file-response.ts';

let s3: RunningS3;
const dirs: string[] = [];
const storages: Record<'local' | 's3', FileStorage> = {} as Record<'local' | 's3', FileStorage>;
const savedEnv = { ...process.env };

beforeAll(async () => {
  s3 = await startS3();
  process.env.AWS_ACCESS_KEY_ID = s3.env.AWS_ACCESS_KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = s3.env.AWS_SECRET_ACCESS_KEY;
  dirs.push(tempDir('answers-local'), tempDir('answers-s3'));
  storages.local = createLocalStorage(dirs[0]!);
  storages.s3 = createS3Storage({
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    prefix: '',
    dataDir: dirs[1]!,
  });
  for (const files of Object.values(storages)) {
    await files.put('videos/v.mp4', Buffer.from('0123456789abcdef'));
    await files.put('videos/empty.mp4', new Uint8Array(0));
  }
});

afterAll(async () => {
  for (const files of Object.values(storages)) await files.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  process.env.AWS_ACCESS_KEY_ID = savedEnv.AWS_ACCESS_KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = savedEnv.AWS_SECRET_ACCESS_KEY;
  await s3?.stop();
});

const answer = (kind: 'local' | 's3', key: string, rangeHeader?: string) =>
  storedFileResponse(storages[kind], key, {
    contentType: 'video/mp4',
    ...(rangeHeader ? { rangeHeader } : {}),
  });

describe.each(['local', 's3'] as const)('storedFileResponse from %s storage', (kind) => {
  it('answers the whole file with 200 and its length', async () => {
    const res = await answer(kind, 'videos/v.mp4');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('16');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(await res.text()).toBe('0123456789abcdef');
  });

  it('answers a Range with 206, the bytes asked for and Content-Range', async () => {
    const res = await answer(kind, 'videos/v.mp4', 'bytes=4-7');
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 4-7/16');
    expect(res.headers.get('content-length')).toBe('4');
    expect(await res.text()).toBe('4567');
    const suffix = await answer(kind, 'videos/v.mp4', 'bytes=-3');
    expect(await suffix.text()).toBe('def');
  });

  it('answers 416 for a range past the end, and an empty file as 200 with nothing', async () => {
    const res = await answer(kind, 'videos/v.mp4', 'bytes=16-');
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */16');
    const empty = await answer(kind, 'videos/empty.mp4');
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-length')).toBe('0');
  });

  it('throws a 404 StudioError for a missing key', async () => {
    const err = await answer(kind, 'videos/none.mp4').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).status).toBe(404);
  });
});
