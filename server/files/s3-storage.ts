import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createDownloadCache } from './download-cache.ts';
import type { FileStorage, PutOptions, PutResult } from './file-storage.ts';
import { checkKey } from './storage-key.ts';

export interface S3StorageOptions {
  bucket: string;
  /** S3_ENDPOINT (MinIO, R2, s3rver…); undefined: AWS itself. */
  endpoint: string | undefined;
  region: string;
  /** Prepended to every key: `` or `team-a/` (S3_PREFIX). */
  prefix: string;
  /** The cache lives in DATA_DIR/cache. */
  dataDir: string;
  /** Bytes per part of a multipart upload (S3's minimum, 5 MiB, by default). */
  partSize?: number;
  cacheMaxBytes?: number;
  cacheIdleMs?: number;
}

/** S3's smallest part but the last: an upload holds at most (PARTS_IN_FLIGHT + 1) of these in memory. */
const PART_SIZE = 5 * 1024 * 1024;
/** Parts sent at once per upload: 2 keeps a 100 MB upload's memory near 15 MB and still overlaps work. */
const PARTS_IN_FLIGHT = 2;
/** Room for a few dozen posters' source videos (100 MB at most each) on any server disk. */
const CACHE_MAX_BYTES = 2 * 1024 ** 3;
const CACHE_IDLE_MS = 15 * 60_000;
/** One socket per video being played: the SDK's default of 50 would queue the 51st viewer. */
const MAX_SOCKETS = 512;

/**
 * The client the studio uses: credentials from the SDK's default chain (AWS_ACCESS_KEY_ID and friends,
 * a profile, an instance role). With S3_ENDPOINT, path-style addressing (`endpoint/bucket/key`: MinIO and
 * s3rver have no per-bucket host names), and checksums only where an operation requires one: the SDK's
 * default CRC32 trailers (aws-chunked bodies) are AWS's own and other stores refuse or mangle them.
 */
export function createS3Client(opts: Pick<S3StorageOptions, 'endpoint' | 'region'>): S3Client {
  const custom = opts.endpoint !== undefined;
  const nonAws = custom && !/\.amazonaws\.com(\.cn)?$/i.test(new URL(opts.endpoint!).hostname);
  return new S3Client({
    region: opts.region,
    ...(custom ? { endpoint: opts.endpoint, forcePathStyle: true } : {}),
    ...(nonAws
      ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
    requestHandler: {
      connectionTimeout: 5000,
      // Idle time on a socket, not the whole transfer: a paused <video> stops reading, and after this its
      // stream is let go (the browser asks again with Range when it plays on).
      requestTimeout: 120_000,
      httpAgent: { keepAlive: true, maxSockets: MAX_SOCKETS },
      httpsAgent: { keepAlive: true, maxSockets: MAX_SOCKETS },
    },
  });
}

const statusOf = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const isNotFound = (e: unknown) => {
  const name = (e as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(e) === 404;
};

/**
 * Files in an S3-compatible bucket, under `prefix` + the key. Writes go up with lib-storage's Upload: a
 * stream is cut into parts as it is read (multipart past one part, PARTS_IN_FLIGHT at a time), so a file
 * is never whole in memory. Reads are streamed GETs, with a Range when asked. Tools that need a file get a
 * copy from the download cache (download-cache.ts), which every use checks against the object's ETag.
 */
export function createS3Storage(opts: S3StorageOptions & { client?: S3Client }): FileStorage {
  const client = opts.client ?? createS3Client(opts);
  const Bucket = opts.bucket;
  const objectKey = (key: string) => `${opts.prefix}${checkKey(key)}`;
  const cache = createDownloadCache({
    dir: join(opts.dataDir, 'cache'),
    maxBytes: opts.cacheMaxBytes ?? CACHE_MAX_BYTES,
    idleMs: opts.cacheIdleMs ?? CACHE_IDLE_MS,
  });

  async function upload(
    key: string,
    body: Readable | Uint8Array,
    contentLength: number | undefined,
    put: PutOptions,
  ): Promise<PutResult & { etag: string | undefined }> {
    const parts = new Set<number>();
    const job = new Upload({
      client,
      params: {
        Bucket,
        Key: objectKey(key),
        Body: body,
        ...(contentLength !== undefined ? { ContentLength: contentLength } : {}),
        ...(put.contentType ? { ContentType: put.contentType } : {}),
      },
      partSize: opts.partSize ?? PART_SIZE,
      queueSize: PARTS_IN_FLIGHT,
      // A failed multipart upload is aborted, so its parts are not billed forever.
      leavePartsOnError: false,
    });
    let bytes = 0;
    job.on('httpUploadProgress', (p) => {
      if (p.part !== undefined) parts.add(p.part);
      if (p.loaded !== undefined) bytes = Math.max(bytes, p.loaded);
    });
    const done = await job.done();
    cache.forget(key);
    const size = contentLength ?? (body instanceof Uint8Array ? body.byteLength : bytes);
    return { bytes: size, parts: Math.max(1, parts.size), etag: 'ETag' in done ? done.ETag : undefined };
  }

  async function head(key: string): Promise<{ size: number; etag: string | undefined } | undefined> {
    try {
      const res = await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(key) }));
      return { size: res.ContentLength ?? 0, etag: res.ETag };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async function download(key: string, dest: string, etag: string | undefined): Promise<void> {
    // IfMatch: a rewrite between the HEAD and this GET fails the download instead of caching a mix-up.
    const res = await client.send(
      new GetObjectCommand({ Bucket, Key: objectKey(key), ...(etag ? { IfMatch: etag } : {}) }),
    );
    await pipeline(res.Body as Readable, createWriteStream(dest));
  }

  async function remove(key: string): Promise<void> {
    await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
    cache.forget(key);
  }

  async function* list(prefix: string) {
    checkKey(prefix);
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket, Prefix: objectKey(prefix), ContinuationToken }),
      );
      for (const item of page.Contents ?? [])
        if (item.Key)
          yield {
            key: item.Key.slice(opts.prefix.length),
            size: item.Size ?? 0,
            modifiedAt: item.LastModified?.getTime() ?? 0,
          };
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  return {
    kind: 's3',

    async put(key, body, put = {}) {
      const { etag: _etag, ...result } = await upload(key, body, undefined, put);
      return result;
    },

    async putFile(key, path, put = {}) {
      const { size } = await stat(path);
      const { etag, ...result } = await upload(key, createReadStream(path), size, put);
      if (put.move) {
        // The file just sent is the object: keep it as the cached copy (a poster is made from it next).
        if (etag) await cache.adopt(key, { etag }, path).catch(() => rm(path, { force: true }));
        else await rm(path, { force: true });
      }
      return { ...result, bytes: size };
    },

    async read(key, range) {
      try {
        const res = await client.send(
          new GetObjectCommand({
            Bucket,
            Key: objectKey(key),
            ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
          }),
        );
        // `bytes 0-99/1234`: the whole size is after the slash; without a range, the length is the size.
        const total = /\/(\d+)$/.exec(res.ContentRange ?? '')?.[1];
        return {
          body: res.Body as Readable,
          size: total !== undefined ? Number(total) : (res.ContentLength ?? 0),
        };
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },

    async stat(key) {
      const found = await head(key);
      return found ? { size: found.size } : undefined;
    },

    delete: remove,

    async deletePrefix(prefix) {
      checkKey(prefix);
      // One DELETE per key rather than DeleteObjects: a prefix here is one task's few inputs, and the batch
      // call needs a Content-MD5 or checksum header that S3-compatible stores accept unevenly.
      const keys: string[] = [];
      for await (const item of list(prefix)) keys.push(item.key);
      const lanes = Array.from({ length: Math.min(8, keys.length) }, async () => {
        for (let key = keys.pop(); key !== undefined; key = keys.pop()) await remove(key);
      });
      await Promise.all(lanes);
    },

    async copy(from, to) {
      // CopySource is `bucket/key`, URL-encoded per segment (keys may hold characters a URL may not).
      const source = `${Bucket}/${objectKey(from).split('/').map(encodeURIComponent).join('/')}`;
      await client.send(new CopyObjectCommand({ Bucket, Key: objectKey(to), CopySource: source }));
      cache.forget(to);
    },

    async withLocalFile(key, fn) {
      const found = await head(key);
      if (!found) {
        cache.forget(key);
        return undefined;
      }
      // Without an ETag (no store seen yet omits it) the size stands in as the version.
      const version = { etag: found.etag ?? `size:${found.size}` };
      return cache.use(key, version, (dest) => download(key, dest, found.etag), fn);
    },

    stagingPath: () => cache.stagingPath(),

    list,

    async close() {
      await cache.close();
      client.destroy();
    },
  };
}
