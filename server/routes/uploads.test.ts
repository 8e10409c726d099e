import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LIMITS } from '../../contract/limits.ts';
import { type Upload, uploadEnvelopeSchema } from '../../contract/schemas/studio-api.ts';
import { fields } from '../../contract/testing/test-videos.ts';
import { bytesSource, readVideoFacts } from '../../contract/video/container-header.ts';
import { type Db, openDatabase } from '../tasks/sqlite/database.ts';
import { bodyOf, rawConnect } from '../testing/raw-http.ts';
import { png, tempDir, withStudio } from '../testing/studio-harness.ts';
import { makeTestVideo } from '../testing/test-videos.ts';
import { insertTaskRow, setTaskStatus } from '../uploads/test-task-rows.ts';
import { uploadsDir } from '../uploads/upload-store.ts';

const TOKEN = 'uploads-test-app-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const MB = 1024 * 1024;

const ctx = withStudio({ env: { APP_TOKEN: TOKEN } });
const videos = { mp4: '', mov: '', tinyShort: '' };
let db: Db;
let workDir: string;

beforeAll(async () => {
  workDir = tempDir('upload-videos');
  videos.mp4 = join(workDir, 'clip.mp4');
  videos.mov = join(workDir, 'clip.mov');
  videos.tinyShort = join(workDir, 'tiny-short.mp4');
  // One at a time: two cores are shared by everyone.
  await makeTestVideo(videos.mp4, { width: 480, height: 360, seconds: 4 });
  await makeTestVideo(videos.mov, { width: 360, height: 480, seconds: 3.5, format: 'mov', audio: true });
  await makeTestVideo(videos.tinyShort, { width: 320, height: 240, seconds: 2 });
  // A second connection to the studio's database, for task rows in the states a test needs.
  db = openDatabase(ctx.studio.dataDir);
}, 60_000);

afterAll(() => {
  db?.close();
});

const uploadFiles = () => readdirSync(uploadsDir(ctx.studio.dataDir)).sort();
const post = (body: Buffer, type: string | undefined, headers: Record<string, string> = auth) =>
  ctx.studio.fetch('/api/uploads', {
    method: 'POST',
    headers: { ...(type ? { 'content-type': type } : {}), ...headers },
    body: new Uint8Array(body),
  });

async function uploadFile(path: string, type = 'video/mp4'): Promise<Upload> {
  const res = await post(readFileSync(path), type);
  expect(res.status).toBe(201);
  return uploadEnvelopeSchema.parse(await res.json()).upload;
}

/** ftyp + the start of an mdat that claims `bytes`: sniffs as an MP4, so the receiver keeps reading. */
function mp4Head(bytes: number): Buffer {
  const ftyp = Buffer.concat([
    Buffer.from('....ftypisom'),
    fields([0x200, 4]),
    Buffer.from('isomiso2avc1mp41'),
  ]);
  ftyp.writeUInt32BE(ftyp.length, 0);
  return Buffer.concat([ftyp, fields([bytes - ftyp.length, 4]), Buffer.from('mdat')]);
}

const rssSampler = () => {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  return {
    growth() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss) - start;
    },
  };
};

describe('POST /api/uploads', () => {
  it('stores an MP4 and answers 201 with the facts its header says', async () => {
    const bytes = readFileSync(videos.mp4);
    const facts = await readVideoFacts(bytesSource(bytes));
    const res = await post(bytes, 'video/mp4');
    expect(res.status).toBe(201);
    const { upload } = uploadEnvelopeSchema.parse(await res.json());
    expect(upload).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9-]{8,64}$/),
      ref: `upload:${upload.id}`,
      format: 'mp4',
      bytes: bytes.length,
      width: 480,
      height: 360,
      durationMs: facts.durationMs,
    });
    expect(facts.durationMs).toBeGreaterThanOrEqual(3900);
    expect(facts.durationMs).toBeLessThanOrEqual(4100);
    // The very bytes sent, under the final name, recorded with its sound track (none here).
    const stored = join(ctx.studio.dataDir, await ctx.studio.services.uploads.fileKey(upload.id));
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(readFileSync(stored))).toBe(sha(bytes));
    expect(await ctx.studio.services.uploads.get(upload.id)).toMatchObject({
      hasAudio: false,
      format: 'mp4',
    });
    expect(uploadFiles()).toContain(`${upload.id}.mp4`);
  });

  it('stores a MOV (portrait, with sound) as a MOV', async () => {
    const upload = await uploadFile(videos.mov, 'video/quicktime');
    expect(upload).toMatchObject({ format: 'mov', width: 360, height: 480 });
    expect(upload.durationMs).toBeGreaterThanOrEqual(3400);
    expect((await ctx.studio.services.uploads.get(upload.id))?.hasAudio).toBe(true);
  });

  it('needs the app token, and stores nothing without it', async () => {
    const before = uploadFiles();
    const res = await post(readFileSync(videos.mp4), 'video/mp4', {});
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('app_token_required');
    expect(uploadFiles()).toEqual(before);
  });

  it('refuses a PNG renamed to .mp4 by what it is, and leaves nothing in DATA_DIR/uploads', async () => {
    const before = uploadFiles();
    const res = await post(await png(400, 400), 'video/mp4');
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.issues).toEqual([
      {
        field: 'video_url',
        rule: 'video_format',
        message: 'Reference video (video_url): must be an MP4 or MOV video, but this is a PNG image',
      },
    ]);
    expect(error.message).toBe(error.issues[0].message);
    expect(uploadFiles()).toEqual(before);
  });

  it('refuses a clip too short and too small with every issue, and keeps nothing', async () => {
    const before = uploadFiles();
    const res = await post(readFileSync(videos.tinyShort), 'video/mp4');
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('validation_failed');
    expect(error.issues.map((i: { rule: string }) => i.rule).sort()).toEqual([
      'video_too_short',
      'video_too_small',
    ]);
    expect(error.issues.find((i: { rule: string }) => i.rule === 'video_too_small').message).toBe(
      'Reference video (video_url): 320×240 px is below the 340 px minimum for each side',
    );
    expect(uploadFiles()).toEqual(before);
  });

  it.each([['image/png'], ['application/json'], ['multipart/form-data; boundary=x'], [undefined]])(
    'answers 415 for Content-Type %s, naming the field and the types it takes',
    async (type) => {
      const res = await post(readFileSync(videos.mp4), type);
      expect(res.status).toBe(415);
      const { error } = await res.json();
      expect(error.code).toBe('unsupported_media_type');
      expect(error.issues).toEqual([
        {
          field: 'video_url',
          rule: 'video_content_type',
          message: expect.stringMatching(/^Reference video \(video_url\): .*video\/mp4 or video\/quicktime/),
        },
      ]);
    },
  );

  it('accepts the type with parameters and in any case', async () => {
    const res = await post(readFileSync(videos.mp4), 'Video/MP4; codecs="avc1.42E01E"');
    expect(res.status).toBe(201);
  });

  it('refuses a declared 120 MB with 413 before reading a byte of it', async () => {
    const before = uploadFiles();
    const x = await rawConnect(ctx.studio.url);
    const declared = 120 * MB;
    await x.send(
      `POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n` +
        `Content-Type: video/mp4\r\nContent-Length: ${declared}\r\n\r\n`,
    );
    // Not a byte of the body was sent: the answer comes anyway, and the connection is closed after it.
    const head = await x.head;
    expect(head.status).toBe(413);
    expect(head.headers.connection).toBe('close');
    await x.until((t) => t.includes('video_too_large'));
    const { error } = JSON.parse(bodyOf(x.text()));
    expect(error.issues).toEqual([
      {
        field: 'video_url',
        rule: 'video_too_large',
        message: 'Reference video (video_url): 120.0 MB is over the 100 MB limit',
      },
    ]);
    await x.closed;
    expect(uploadFiles()).toEqual(before);
  });

  it('stops a chunked body at the 100 MB limit (413), holding far less than the body in memory', async () => {
    const before = uploadFiles();
    const total = 120 * MB;
    const piece = Buffer.alloc(MB, 0x5a);
    const chunkSize = Buffer.from(`${MB.toString(16)}\r\n`);
    const CRLF = Buffer.from('\r\n');
    const x = await rawConnect(ctx.studio.url);
    let answered = false;
    void x.head.then(() => {
      answered = true;
    });
    const rss = rssSampler();
    await x.send(
      `POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n` +
        'Content-Type: video/mp4\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    const head = mp4Head(total);
    let sent = 0;
    // Each MB as its own chunk, the same buffer every time: the client holds 1 MB, whatever it sends.
    while (sent < total && !answered && !x.socket.destroyed) {
      if (sent === 0) head.copy(piece);
      else piece.fill(0x5a, 0, head.length);
      x.socket.write(chunkSize);
      const ok = await x.send(piece).then(
        () => true,
        () => false,
      );
      if (!ok) break;
      x.socket.write(CRLF);
      sent += piece.length;
    }
    const answer = await x.head;
    const growth = rss.growth();
    expect(answer.status).toBe(413);
    await x.until((t) => t.includes('video_too_large'));
    expect(JSON.parse(bodyOf(x.text())).error.issues[0]).toMatchObject({
      rule: 'video_too_large',
      message: 'Reference video (video_url): the file is larger than the 100 MB limit',
    });
    // The server stopped at the limit: what the client got out is the limit plus what sockets buffer.
    expect(sent).toBeGreaterThan(LIMITS.videoMaxBytes - 8 * MB);
    expect(sent).toBeLessThan(total);
    // A body held in memory would cost over 100 MB. What remains is the spent 64 KB pieces V8 lets pile up
    // before it collects them (about 35 MB here, as much as a bare node:http server: bench upload_video_memory).
    expect(growth).toBeLessThan(60 * MB);
    await x.closed;
    expect(uploadFiles()).toEqual(before);
  }, 60_000);

  it('leaves no file behind when the client disconnects mid-upload', async () => {
    const before = uploadFiles();
    const x = await rawConnect(ctx.studio.url);
    const declared = 50 * MB;
    await x.send(
      `POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n` +
        `Content-Type: video/mp4\r\nContent-Length: ${declared}\r\n\r\n`,
    );
    await x.send(Buffer.concat([mp4Head(declared), Buffer.alloc(8 * MB)]));
    // The partial file is there while the body arrives…
    await vi.waitFor(() => expect(uploadFiles().filter((f) => f.endsWith('.partial'))).toHaveLength(1));
    x.socket.destroy();
    // …and gone once the connection is.
    await vi.waitFor(() => expect(uploadFiles()).toEqual(before));
  });
});

describe('GET /api/uploads/:id/:taskId/:sig/reference.<ext> (the link Kling downloads)', () => {
  let upload: Upload;
  let bytes: Buffer;
  let link: URL;
  const get = (path: string, headers: Record<string, string> = {}) => ctx.studio.fetch(path, { headers });

  beforeAll(async () => {
    bytes = readFileSync(videos.mp4);
    upload = await uploadFile(videos.mp4);
    insertTaskRow(db, 'mc-task-running', 'submitted');
    await ctx.studio.services.uploads.claim(upload.id, 'mc-task-running');
    link = new URL(await ctx.studio.services.uploads.signedUrl(ctx.studio.url, upload.id, 'mc-task-running'));
  });

  it('serves the file without the app token while the claiming task is unfinished, with Range and HEAD', async () => {
    expect(link.pathname).toMatch(
      new RegExp(`^/api/uploads/${upload.id}/mc-task-running/[A-Za-z0-9_-]{43}/reference\\.mp4$`),
    );
    const whole = await get(link.pathname);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);

    const part = await get(link.pathname, { range: 'bytes=100-1099' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 1100))).toBe(true);

    const head = await ctx.studio.fetch(link.pathname, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect((await head.arrayBuffer()).byteLength).toBe(0);

    setTaskStatus(db, 'mc-task-running', 'processing');
    expect((await get(link.pathname)).status).toBe(200);
  });

  it('keeps the signature out of the log', async () => {
    await get(link.pathname);
    const sig = link.pathname.split('/')[5]!;
    expect(ctx.studio.logLines.join('\n')).not.toContain(sig);
    expect(
      ctx.studio.logLines.some((l) => l.includes(`/api/uploads/${upload.id}/mc-task-running/[redacted]`)),
    ).toBe(true);
  });

  it('answers the same 404 for a tampered signature, another task, a foreign file name and an unknown upload', async () => {
    const parts = link.pathname.split('/');
    const sig = parts[5]!;
    insertTaskRow(db, 'mc-task-other', 'processing');
    const otherLink = new URL(
      await ctx.studio.services.uploads.signedUrl(ctx.studio.url, upload.id, 'mc-task-other'),
    );
    const paths = [
      // One character of the signature changed.
      link.pathname.replace(sig, `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`),
      // A genuine signature, for a task that never claimed the upload.
      otherLink.pathname,
      // This task's signature on another task's path.
      `/api/uploads/${upload.id}/mc-task-other/${sig}/reference.mp4`,
      link.pathname.replace('reference.mp4', 'reference.mov'),
      link.pathname.replace(upload.id, '00000000-0000-4000-8000-000000000000'),
    ];
    const answers = await Promise.all(
      paths.map(async (p) => [(await get(p)).status, await (await get(p)).text()]),
    );
    for (const [status, body] of answers) {
      expect(status).toBe(404);
      expect(body).toBe(answers[0]![1]);
    }
  });

  it('stops serving once the task has finished', async () => {
    insertTaskRow(db, 'mc-task-done', 'submitted');
    await ctx.studio.services.uploads.claim(upload.id, 'mc-task-done');
    const done = new URL(
      await ctx.studio.services.uploads.signedUrl(ctx.studio.url, upload.id, 'mc-task-done'),
    );
    expect((await get(done.pathname)).status).toBe(200);
    setTaskStatus(db, 'mc-task-done', 'succeed');
    expect((await get(done.pathname)).status).toBe(404);
    expect((await ctx.studio.fetch(done.pathname, { method: 'HEAD' })).status).toBe(404);
  });

  it('is still closed to everything else under /api/uploads without the token', async () => {
    expect((await get(`/api/uploads/${upload.id}`)).status).toBe(401);
    expect((await get('/api/uploads')).status).toBe(401);
  });
});
