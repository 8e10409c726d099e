import type { Readable } from 'node:stream';
import type { Config } from '../config/config.ts';
import { createLocalStorage } from './local-storage.ts';
import { createS3Storage } from './s3-storage.ts';

/**
 * Where the studio keeps its files: task inputs, thumbnails, uploads, archived videos and posters. Keys are
 * the relative paths DATA_DIR has always used (`inputs/<task>/image.png`, `videos/<task>.mp4`,
 * `uploads/<id>.mp4`), so local storage is DATA_DIR's layout unchanged and a bucket holds the same tree
 * (under S3_PREFIX). Keys are written once and never changed in place in practice, which is what lets S3
 * storage keep local copies (see s3-storage.ts).
 */
export interface FileStorage {
  readonly kind: 'local' | 's3';
  /** A stream (read once, never held whole in memory) or small bytes; replaces what the key held. */
  put(key: string, body: Readable | Uint8Array, opts?: PutOptions): Promise<PutResult>;
  /**
   * A local file. With `move` the storage may take the file (local: a rename; S3: it becomes the cached
   * copy), so the caller must not use the path afterwards; without, the file stays where it was.
   */
  putFile(key: string, path: string, opts?: PutOptions & { move?: boolean }): Promise<PutResult>;
  /** The bytes (all, or an inclusive range within the size) and the whole object's size; undefined: none. */
  read(key: string, range?: ByteRange): Promise<StoredRead | undefined>;
  stat(key: string): Promise<{ size: number } | undefined>;
  /** Nothing happens for a missing key. */
  delete(key: string): Promise<void>;
  /** Every key starting with `prefix` (`inputs/<task>/` removes a task's folder). */
  deletePrefix(prefix: string): Promise<void>;
  /** A server-side copy where the store has one (a hard link locally, CopyObject in S3). */
  copy(from: string, to: string): Promise<void>;
  /**
   * Runs `fn` with a path on this machine holding the key's bytes, for tools that read files (ffmpeg, the
   * video judge); undefined (and `fn` not run) when the key is missing. The file is only valid while `fn`
   * runs: local storage hands out the file itself, S3 a cached download that is kept from eviction meanwhile.
   */
  withLocalFile<T>(key: string, fn: (path: string) => Promise<T>): Promise<T | undefined>;
  /**
   * A fresh path (its folder made) where a caller writes a file that then becomes `key` (or a key beside it)
   * through `putFile(…, { move: true })`: on local storage next to the key, so the move is a rename; on S3
   * in the cache, so nothing but caches is ever written under DATA_DIR. The caller removes it on failure.
   */
  stagingPath(key: string): Promise<string>;
  /** Keys under `prefix`, with when each was written (for sweeping orphans). */
  list(prefix: string): AsyncIterable<{ key: string; size: number; modifiedAt: number }>;
  /** Stops timers and removes the cache, if any. */
  close(): Promise<void>;
}

export interface PutOptions {
  contentType?: string;
}

export interface PutResult {
  bytes: number;
  /** How many parts it went up in: 1 for a local file or a single S3 PUT, more for a multipart upload. */
  parts: number;
}

/** Inclusive, as in an HTTP Range. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredRead {
  body: Readable;
  /** The whole object's size, whatever the range. */
  size: number;
}

/** S3 storage with S3_BUCKET, else DATA_DIR as today. */
export function createFileStorage(config: Pick<Config, 'dataDir' | 's3'>): FileStorage {
  if (!config.s3) return createLocalStorage(config.dataDir);
  return createS3Storage({ ...config.s3, dataDir: config.dataDir });
}

/** The whole object in memory: only for small ones (input images, at most the image limit). */
export async function readBytes(files: FileStorage, key: string): Promise<Buffer | undefined> {
  const found = await files.read(key);
  if (!found) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of found.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const exists = async (files: FileStorage, key: string) => (await files.stat(key)) !== undefined;
