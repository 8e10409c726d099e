import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { syntheticVideo } from '../../contract/testing/test-videos.ts';
import { createLocalStorage } from '../files/local-storage.ts';
import { manualClock } from '../lib/clock.ts';
import { memoryLogger } from '../lib/logger.ts';
import { StudioError } from '../lib/studio-error.ts';
import { type Db, openDatabase } from '../tasks/sqlite/database.ts';
import { createSqliteTaskStore } from '../tasks/sqlite/sqlite-task-store.ts';
import { png, tempDir } from '../testing/studio-harness.ts';
import { insertTaskRow, setTaskStatus } from './test-task-rows.ts';
import { createUploadStore, referenceFileName, type UploadStore, uploadsDir } from './upload-store.ts';
import { URL_KEY_FILE } from './url-signing.ts';

const DAY = 24 * 3600_000;

/** `bytes` as a request body arriving in pieces of `piece` bytes. */
const bodyOf = (bytes: Uint8Array, piece = 64 * 1024) =>
  Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += piece) yield Buffer.from(bytes.subarray(at, at + piece));
    })(),
  );

let dataDir: string;
let db: Db;
let clock: ReturnType<typeof manualClock>;
let stores: UploadStore[];

const makeStore = (ttlMs = DAY) => {
  const s = createUploadStore({
    rows: createSqliteTaskStore(db).uploads,
    files: createLocalStorage(dataDir),
    dataDir,
    clock,
    log: memoryLogger(),
    ttlMs,
  });
  stores.push(s);
  return s;
};
const filesInUploads = () => readdirSync(uploadsDir(dataDir)).sort();

async function refusal(p: Promise<unknown>): Promise<StudioError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StudioError);
  return err as StudioError;
}

beforeEach(() => {
  dataDir = tempDir('uploads');
  db = openDatabase(dataDir);
  clock = manualClock(Date.UTC(2026, 5, 1));
  stores = [];
});

afterEach(() => {
  for (const s of stores) s.stop();
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('receiving an upload', () => {
  it('stores a video that arrives in pieces, with the facts its header says, under its final name only', async () => {
    const store = makeStore();
    const file = syntheticVideo({
      width: 720,
      height: 1280,
      durationMs: 6500,
      audio: true,
      mdatBytes: 300_000,
    });
    const record = await store.receive(bodyOf(file, 7000));
    expect(record).toMatchObject({
      format: 'mp4',
      bytes: file.length,
      width: 720,
      height: 1280,
      durationMs: 6500,
      hasAudio: true,
      createdAt: clock.now(),
    });
    expect(await store.get(record.id)).toEqual(record);
    expect(readFileSync(join(dataDir, await store.fileKey(record.id))).equals(Buffer.from(file))).toBe(true);
    expect(filesInUploads()).toEqual([`${record.id}.mp4`]);
    expect(statSync(join(dataDir, await store.fileKey(record.id))).mode & 0o777).toBe(0o600);
  });

  it('calls a MOV a MOV (brand qt)', async () => {
    const store = makeStore();
    const record = await store.receive(bodyOf(syntheticVideo({ format: 'mov', durationMs: 4000 })));
    expect(record.format).toBe('mov');
    expect(join(dataDir, await store.fileKey(record.id))).toMatch(/\.mov$/);
  });

  it('stops reading a PNG at its first bytes, says what it is, and keeps nothing', async () => {
    const store = makeStore();
    const image = await png(64, 64);
    let pulled = 0;
    // A PNG head, then 50 MB more on demand: only what the first piece brought may be read.
    const body = Readable.from(
      (function* () {
        pulled++;
        yield image;
        for (let i = 0; i < 50; i++) {
          pulled++;
          yield Buffer.alloc(1024 * 1024);
        }
      })(),
      // One piece at a time, as a socket delivers them: nothing is read ahead of the receiver.
      { objectMode: false, highWaterMark: 1 },
    );
    const err = await refusal(store.receive(body));
    expect(err.status).toBe(400);
    expect(err.details.issues).toEqual([
      {
        field: 'video_url',
        rule: 'video_format',
        message: 'Reference video (video_url): must be an MP4 or MOV video, but this is a PNG image',
      },
    ]);
    expect(pulled).toBeLessThanOrEqual(3);
    expect(filesInUploads()).toEqual([]);
  });

  it('refuses a clip too short and too small with every violation, and keeps nothing', async () => {
    const store = makeStore();
    const err = await refusal(
      store.receive(bodyOf(syntheticVideo({ width: 320, height: 200, durationMs: 2000 }))),
    );
    expect(err.status).toBe(400);
    expect(err.details.issues?.map((i) => i.rule).sort()).toEqual(['video_too_short', 'video_too_small']);
    expect(err.details.issues?.[0]?.message).toMatch(/^Reference video \(video_url\): /);
    expect(filesInUploads()).toEqual([]);
  });

  it('refuses a header it cannot read (an MP4 brand with no movie box)', async () => {
    const store = makeStore();
    const file = syntheticVideo({ durationMs: 5000 });
    // Only the ftyp box and the start of the rest: the moov never comes.
    const err = await refusal(store.receive(bodyOf(file.subarray(0, 200))));
    expect(err.details.issues?.map((i) => i.rule)).toEqual(['video_unreadable']);
    expect(filesInUploads()).toEqual([]);
  });

  it('refuses an empty body', async () => {
    const err = await refusal(makeStore().receive(Readable.from([])));
    expect(err.details.issues?.map((i) => i.rule)).toEqual(['video_empty']);
    expect(filesInUploads()).toEqual([]);
  });

  it('removes the partial file when the connection breaks mid-body', async () => {
    const store = makeStore();
    const file = syntheticVideo({ mdatBytes: 2_000_000 });
    const body = new Readable({ read() {} });
    const pending = store.receive(body);
    body.push(Buffer.from(file.subarray(0, 1_000_000)));
    await vi.waitFor(() => expect(filesInUploads()).toEqual([expect.stringMatching(/\.partial$/)]));
    body.destroy(new Error('aborted'));
    const err = await refusal(pending);
    expect(err.code).toBe('upload_incomplete');
    expect(filesInUploads()).toEqual([]);
  });
});

describe('signed links', () => {
  async function claimedUpload(store: UploadStore, taskId: string, status: string) {
    const record = await store.receive(bodyOf(syntheticVideo()));
    insertTaskRow(db, taskId, status);
    await store.claim(record.id, taskId);
    const url = new URL(await store.signedUrl('https://studio.example/', record.id, taskId));
    const [, , , id, task, sig, file] = url.pathname.split('/') as string[];
    return { record, url, id: id!, task: task!, sig: sig!, file: file! };
  }

  it('have the documented shape and are servable while the claiming task is submitted or processing', async () => {
    const store = makeStore();
    const { record, url, id, task, sig, file } = await claimedUpload(store, 'task-0001', 'submitted');
    expect(url.href).toBe(`https://studio.example/api/uploads/${record.id}/task-0001/${sig}/reference.mp4`);
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await store.servable(id, task, sig, file)).toEqual(record);
    setTaskStatus(db, 'task-0001', 'processing');
    expect(await store.servable(id, task, sig, file)).toEqual(record);
    for (const done of ['succeed', 'failed']) {
      setTaskStatus(db, 'task-0001', done);
      expect(await store.servable(id, task, sig, file)).toBeUndefined();
    }
  });

  it('refuse a tampered signature, another task, an unclaimed task, a queued one and another file name', async () => {
    const store = makeStore();
    const { record, id, task, sig, file } = await claimedUpload(store, 'task-0002', 'processing');
    const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    expect(await store.servable(id, task, flipped, file)).toBeUndefined();
    expect(await store.servable(id, task, sig.slice(0, 42), file)).toBeUndefined();
    expect(await store.servable(id, task, sig, 'reference.mov')).toBeUndefined();
    // A genuine signature for a task that never claimed the upload.
    insertTaskRow(db, 'task-0003', 'processing');
    const other = new URL(await store.signedUrl('https://s.example', record.id, 'task-0003'));
    expect(await store.servable(id, 'task-0003', other.pathname.split('/')[5]!, file)).toBeUndefined();
    // Claimed, but not yet sent (Kling has nothing to fetch it for).
    insertTaskRow(db, 'task-0004', 'queued');
    await store.claim(record.id, 'task-0004');
    const queued = new URL(await store.signedUrl('https://s.example', record.id, 'task-0004'));
    expect(await store.servable(id, 'task-0004', queued.pathname.split('/')[5]!, file)).toBeUndefined();
    // The signature of one task does not open the upload for another.
    expect(await store.servable(id, 'task-0003', sig, file)).toBeUndefined();
    expect(referenceFileName('mp4')).toBe(file);
  });

  it('are signed with a key kept in DATA_DIR (0600), so a restart keeps them and another studio cannot forge them', async () => {
    const first = makeStore();
    const { record, url } = await claimedUpload(first, 'task-0005', 'submitted');
    const keyFile = join(dataDir, URL_KEY_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
    expect(await makeStore().signedUrl('https://studio.example', record.id, 'task-0005')).toBe(url.href);
    writeFileSync(keyFile, 'f'.repeat(64));
    expect(await makeStore().signedUrl('https://studio.example', record.id, 'task-0005')).not.toBe(url.href);
  });
});

describe('cleanup', () => {
  it('removes old uploads no unfinished task claims, and keeps new ones and those of unfinished tasks', async () => {
    const store = makeStore(DAY);
    const upload = () => store.receive(bodyOf(syntheticVideo()));
    const unclaimed = await upload();
    const ofRunning = await upload();
    const ofQueued = await upload();
    const ofFinished = await upload();
    const ofNoTask = await upload();
    insertTaskRow(db, 'running', 'processing');
    insertTaskRow(db, 'queued', 'queued');
    insertTaskRow(db, 'finished', 'succeed');
    await store.claim(ofRunning.id, 'running');
    await store.claim(ofQueued.id, 'queued');
    await store.claim(ofFinished.id, 'finished');
    await store.claim(ofNoTask.id, 'never-inserted');
    clock.advance(DAY - 1);
    const fresh = await upload();
    clock.advance(2);
    expect(await store.sweep()).toBe(3);
    const kept = [ofRunning, ofQueued, fresh];
    for (const r of kept) expect(await store.get(r.id)).toBeDefined();
    for (const r of [unclaimed, ofFinished, ofNoTask]) expect(await store.get(r.id)).toBeUndefined();
    expect(filesInUploads()).toEqual(kept.map((r) => `${r.id}.mp4`).sort());
    // A removed upload can no longer be claimed (nor linked) by a create.
    await expect(store.claim(unclaimed.id, 'running')).rejects.toThrow(/No such upload/);
    await expect(store.signedUrl('https://s.example', unclaimed.id, 'running')).rejects.toThrow(
      /No such upload/,
    );
    // Once its task finishes, the old upload goes too.
    setTaskStatus(db, 'running', 'failed');
    expect(await store.sweep()).toBe(1);
    expect(await store.get(ofRunning.id)).toBeUndefined();
  });

  it('at startup removes partial files and files without a row, and sweeps; then sweeps on a timer', async () => {
    const before = makeStore(2000);
    const kept = await before.receive(bodyOf(syntheticVideo()));
    const old = await before.receive(bodyOf(syntheticVideo()));
    const dir = uploadsDir(dataDir);
    writeFileSync(join(dir, '0b4c5a1e-crash.partial'), 'half a video');
    writeFileSync(join(dir, '6f0e2d7c-no-row.mp4'), 'renamed, never recorded');
    insertTaskRow(db, 'running', 'processing');
    await before.claim(kept.id, 'running');
    clock.advance(3000);

    const after = makeStore(2000);
    await after.start();
    // Done once start() resolves, which wire.ts awaits before the studio listens.
    expect(existsSync(join(dir, '0b4c5a1e-crash.partial'))).toBe(false);
    expect(existsSync(join(dir, '6f0e2d7c-no-row.mp4'))).toBe(false);
    await vi.waitFor(() => expect(filesInUploads()).toEqual([`${kept.id}.mp4`]));
    expect(await after.get(old.id)).toBeUndefined();

    // The timer (every ttl/4, at least a second) takes the kept one once its task is over.
    setTaskStatus(db, 'running', 'succeed');
    await vi.waitFor(() => expect(filesInUploads()).toEqual([]), { timeout: 3000, interval: 100 });
    expect(await after.get(kept.id)).toBeUndefined();
  });
});
