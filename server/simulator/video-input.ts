import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LIMITS } from '../../contract/limits.ts';
import { fieldLabel } from '../../contract/rules/field-labels.ts';
import type { Violation } from '../../contract/schemas/studio-api.ts';
import { type ByteSource, readVideoFacts, type VideoFacts } from '../../contract/video/container-header.ts';
import { describeError } from './image-input.ts';

/**
 * A motion-control reference video, fetched as Kling fetches `video_url`: streamed to a file in the data
 * dir (never whole in memory), at most LIMITS.videoMaxBytes + 1 bytes so "too large" is still provable,
 * then judged from its container header by the contract's readVideoFacts over the file handle — the
 * same reader the browser and the backend use, so all three see the same facts.
 */
export interface VideoFetchOptions {
  /** Where references are kept while their task lives (created if missing). */
  dir: string;
  /** The whole download's budget (the simulator's fetchTimeoutMs, as for image URLs). */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface FetchedReference {
  /** The downloaded file; the caller deletes it when done. */
  file: string;
  facts: VideoFacts;
  /** The file's first bytes, so a refused file can be named for what it is ("a PNG image"). */
  head: Uint8Array;
}

const MAX_DOWNLOAD = LIMITS.videoMaxBytes + 1;
/** Enough for every sniffer the rules use (an SVG's text header is the longest). */
const HEAD_BYTES = 512;

export const REFERENCES_DIR = 'references';

/** A ByteSource over an open file: the box reader asks for a few headers and the `moov`, nothing else. */
export function fileSource(handle: FileHandle, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = Buffer.alloc(n);
      const { bytesRead } = n > 0 ? await handle.read(buf, 0, n, offset) : { bytesRead: 0 };
      return buf.subarray(0, bytesRead);
    },
  };
}

/** Streams the body to `file`, stopping after MAX_DOWNLOAD bytes; returns how many were written. */
async function streamToFile(url: string, file: string, signal: AbortSignal): Promise<number> {
  const res = await fetch(url, { signal, redirect: 'follow' });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status}`);
  }
  const out = await open(file, 'wx');
  let total = 0;
  const reader = res.body?.getReader();
  try {
    for (;;) {
      if (!reader) break; // no body at all: an empty file, which the rules name
      const { done, value } = await reader.read();
      if (done) break;
      const take = Math.min(value.byteLength, MAX_DOWNLOAD - total);
      await out.write(value, 0, take);
      total += take;
      if (total >= MAX_DOWNLOAD) {
        await reader.cancel();
        break;
      }
    }
  } finally {
    await out.close();
  }
  return total;
}

async function factsOfFile(file: string): Promise<{ facts: VideoFacts; head: Uint8Array }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const source = fileSource(handle, size);
    return { facts: await readVideoFacts(source), head: await source.read(0, HEAD_BYTES) };
  } finally {
    await handle.close();
  }
}

export async function fetchReferenceVideo(
  field: string,
  url: string,
  opts: VideoFetchOptions,
): Promise<{ reference: FetchedReference } | { violation: Violation }> {
  mkdirSync(opts.dir, { recursive: true });
  const id = randomUUID();
  const partial = join(opts.dir, `${id}.part`);
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  try {
    await streamToFile(url, partial, signal);
  } catch (err) {
    await rm(partial, { force: true });
    return {
      violation: {
        field,
        rule: 'video_unreachable',
        message: `${fieldLabel(field)}: the URL could not be downloaded (${describeError(err, opts.timeoutMs)})`,
      },
    };
  }
  try {
    const { facts, head } = await factsOfFile(partial);
    // Named by what its boxes say it is, which is what ffmpeg will read it as.
    const file = join(opts.dir, `${id}.${facts.format === 'mov' ? 'mov' : 'mp4'}`);
    await rename(partial, file);
    return { reference: { file, facts, head } };
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}

/** Deletes every reference left in `dir` (reset, shutdown, and at start: those of a killed process). */
export function clearReferences(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) rmSync(join(dir, name), { force: true });
}
