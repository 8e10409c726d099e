import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningS3, startS3 } from '../testing/s3-server.ts';
import { tempDir } from '../testing/studio-harness.ts';
import { type FileStorage, readBytes } from './file-storage.ts';
import { createLocalStorage } from './local-storage.ts';
import { createS3Storage } from './s3-storage.ts';

const MB = 1024 * 1024;

/** Bytes in every file under `dir`: what has reached the disk of the store so far. */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const info = statSync(join(dir, name), { throwIfNoEntry: false });
    if (info?.isFile()) total += info.size;
  }
  return total;
}

const text = async (body: Readable) => {
  let s = '';
  for await (const chunk of body) s += chunk.toString();
  return s;
};

const keysUnder = async (files: FileStorage, prefix: string) => {
  const keys: string[] = [];
  for await (const item of files.list(prefix)) keys.push(item.key);
  return keys.sort();
};

interface Backend {
  files: FileStorage;
  dataDir: string;
  /** Where the store's bytes land (DATA_DIR itself, or s3rver's directory). */
  landingDir: string;
  /** Another replica's view of the same files (S3 only: its own DATA_DIR and cache). */
  replica?: FileStorage;
}

let s3: RunningS3;
const savedEnv = { ...process.env };

beforeAll(async () => {
  s3 = await startS3();
  // The SDK's default credential chain reads these, as it would on a real server.
  process.env.AWS_ACCESS_KEY_ID = s3.env.AWS_ACCESS_KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = s3.env.AWS_SECRET_ACCESS_KEY;
});

afterAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = savedEnv.AWS_ACCESS_KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = savedEnv.AWS_SECRET_ACCESS_KEY;
  await s3?.stop();
});

const s3Storage = (dataDir: string) =>
  createS3Storage({ bucket: s3.bucket, endpoint: s3.endpoint, region: 'us-east-1', prefix: 'p/', dataDir });

const backends: [string, () => Backend][] = [
  [
    'local',
    () => {
      const dataDir = tempDir('files-local');
      return { files: createLocalStorage(dataDir), dataDir, landingDir: dataDir };
    },
  ],
  [
    's3',
    () => {
      const dataDir = tempDir('files-s3');
      return {
        files: s3Storage(dataDir),
        dataDir,
        landingDir: s3.directory,
        replica: s3Storage(tempDir('files-s3-replica')),
      };
    },
  ],
];

describe.each(backends)('%s file storage', (kind, make) => {
  let b: Backend;
  beforeAll(() => {
    b = make();
  });
  afterAll(async () => {
    await b.files.close();
    await b.replica?.close();
    await rm(b.dataDir, { recursive: true, force: true });
  });

  it('says its kind', () => {
    expect(b.files.kind).toBe(kind);
  });

  it('puts bytes and reads them back whole, with the size', async () => {
    const put = await b.files.put('inputs/t1/image.png', Buffer.from('hello, storage'));
    expect(put).toEqual({ bytes: 14, parts: 1 });
    const read = await b.files.read('inputs/t1/image.png');
    expect(read?.size).toBe(14);
    expect(await text(read!.body)).toBe('hello, storage');
    expect(await b.files.stat('inputs/t1/image.png')).toEqual({ size: 14 });
  });

  it('reads an inclusive byte range, still saying the whole size', async () => {
    await b.files.put('videos/r.mp4', Buffer.from('0123456789'));
    const read = await b.files.read('videos/r.mp4', { start: 2, end: 5 });
    expect(read?.size).toBe(10);
    expect(await text(read!.body)).toBe('2345');
    const last = await b.files.read('videos/r.mp4', { start: 9, end: 9 });
    expect(await text(last!.body)).toBe('9');
  });

  it('answers undefined for a missing key, and deleting one is no error', async () => {
    expect(await b.files.read('videos/none.mp4')).toBeUndefined();
    expect(await b.files.read('videos/none.mp4', { start: 0, end: 3 })).toBeUndefined();
    expect(await b.files.stat('videos/none.mp4')).toBeUndefined();
    let ran = false;
    expect(
      await b.files.withLocalFile('videos/none.mp4', async () => {
        ran = true;
      }),
    ).toBeUndefined();
    expect(ran).toBe(false);
    await expect(b.files.delete('videos/none.mp4')).resolves.toBeUndefined();
  });

  it('replaces what a key held, and deletes it', async () => {
    await b.files.put('uploads/u.mp4', Buffer.from('first'));
    await b.files.put('uploads/u.mp4', Readable.from([Buffer.from('second, '), Buffer.from('streamed')]));
    expect((await readBytes(b.files, 'uploads/u.mp4'))?.toString()).toBe('second, streamed');
    await b.files.delete('uploads/u.mp4');
    expect(await b.files.stat('uploads/u.mp4')).toBeUndefined();
  });

  it('deletes by prefix: the folder, not a neighbour whose name merely starts the same', async () => {
    await b.files.put('inputs/task-1/image.png', Buffer.from('a'));
    await b.files.put('inputs/task-1/thumbnail.jpg', Buffer.from('b'));
    await b.files.put('inputs/task-10/image.png', Buffer.from('c'));
    await b.files.put('videos/task-1.mp4', Buffer.from('d'));
    await b.files.put('videos/task-1.poster.jpg', Buffer.from('e'));
    await b.files.put('videos/task-2.mp4', Buffer.from('f'));
    await b.files.deletePrefix('inputs/task-1/');
    await b.files.deletePrefix('videos/task-1.');
    expect(await keysUnder(b.files, 'inputs/task-1')).toEqual(['inputs/task-10/image.png']);
    expect(await keysUnder(b.files, 'videos/task-')).toEqual(['videos/task-2.mp4']);
  });

  it('puts a local file as a copy, or moved (the file is taken)', async () => {
    const dir = tempDir('files-src');
    const src = join(dir, 'clip.mp4');
    writeFileSync(src, 'a local clip');
    expect((await b.files.putFile('videos/copy.mp4', src)).bytes).toBe(12);
    expect(existsSync(src)).toBe(true);
    const staged = await b.files.stagingPath('videos/moved.mp4');
    writeFileSync(staged, 'staged clip');
    expect((await b.files.putFile('videos/moved.mp4', staged, { move: true })).bytes).toBe(11);
    expect(existsSync(staged)).toBe(false);
    expect((await readBytes(b.files, 'videos/copy.mp4'))?.toString()).toBe('a local clip');
    expect((await readBytes(b.files, 'videos/moved.mp4'))?.toString()).toBe('staged clip');
    await rm(dir, { recursive: true, force: true });
  });

  it('copies a key', async () => {
    await b.files.put('uploads/ref.mp4', Buffer.from('reference'));
    await b.files.copy('uploads/ref.mp4', 'inputs/t2/reference.mp4');
    await b.files.delete('uploads/ref.mp4');
    expect((await readBytes(b.files, 'inputs/t2/reference.mp4'))?.toString()).toBe('reference');
  });

  it('hands a tool a local file with the bytes', async () => {
    await b.files.put('videos/tool.mp4', Buffer.from('for ffmpeg'));
    const seen = await b.files.withLocalFile('videos/tool.mp4', async (path) => readFileSync(path, 'utf8'));
    expect(seen).toBe('for ffmpeg');
  });

  it('refuses keys that could name something outside the store', async () => {
    for (const key of ['../escape', '/etc/passwd', 'inputs/../../x', 'a//b', 'a\\b', ''])
      await expect(b.files.put(key, Buffer.from('x'))).rejects.toThrow(/storage key/);
  });

  it('puts a 20 MB stream as it is read, never whole in memory (S3: as a multipart upload)', async () => {
    const size = 20 * MB;
    const chunk = 64 * 1024;
    let landedBeforeEnd = -1;
    const baseline = bytesUnder(b.landingDir);
    async function* source() {
      for (let sent = 0; sent < size; sent += chunk) {
        // Just before the last chunk is made: what reached the store already was not held back in memory.
        if (sent + chunk >= size) landedBeforeEnd = bytesUnder(b.landingDir) - baseline;
        yield Buffer.alloc(chunk, sent / chunk);
      }
    }
    const put = await b.files.put('videos/big.mp4', Readable.from(source()));
    expect(put.bytes).toBe(size);
    // S3: 5 MiB parts; the first parts were stored while the rest was still being produced.
    expect(put.parts).toBe(kind === 's3' ? 4 : 1);
    expect(landedBeforeEnd).toBeGreaterThanOrEqual(kind === 's3' ? 5 * MB : 1);
    expect(await b.files.stat('videos/big.mp4')).toEqual({ size });
    const tail = await b.files.read('videos/big.mp4', { start: size - 2, end: size - 1 });
    const bytes: Buffer[] = [];
    for await (const c of tail!.body) bytes.push(c as Buffer);
    // Chunk n is filled with n (mod 256): the tail is the last chunk's.
    const last = (size / chunk - 1) % 256;
    expect([...Buffer.concat(bytes)]).toEqual([last, last]);
  });

  if (kind === 's3') {
    it('writes nothing under DATA_DIR but its cache', async () => {
      expect(readdirSync(b.dataDir)).toEqual(['cache']);
    });

    it('serves every replica the current bytes: a cached copy is checked against the object', async () => {
      await b.files.put('videos/shared.mp4', Buffer.from('version one'));
      const read = (files: FileStorage) =>
        files.withLocalFile('videos/shared.mp4', async (path) => readFileSync(path, 'utf8'));
      expect(await read(b.replica!)).toBe('version one');
      await b.files.put('videos/shared.mp4', Buffer.from('version two'));
      expect(await read(b.replica!)).toBe('version two');
      await b.files.delete('videos/shared.mp4');
      expect(await read(b.replica!)).toBeUndefined();
    });
  }
});
