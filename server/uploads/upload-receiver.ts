import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { LIMITS } from '../../contract/limits.ts';
import { fieldLabel } from '../../contract/rules/field-labels.ts';
import { videoFactRules } from '../../contract/rules/video-rules.ts';
import type { Violation } from '../../contract/schemas/studio-api.ts';
import { FORMAT_SNIFF_BYTES, sniffVideoFormat } from '../../contract/video/container-header.ts';
import { StudioError, validationError } from '../lib/studio-error.ts';

/** The field an upload stands in for: its violations read like a create's (`Reference video (video_url): …`). */
export const UPLOAD_FIELD = 'video_url';

/**
 * Bytes the file stream may hold before the request is paused: the body goes to disk at disk speed, and
 * what it costs in memory is this, not the file's size.
 */
const WRITE_BUFFER_BYTES = 1024 * 1024;

export interface Received {
  bytes: number;
  /** The first FORMAT_SNIFF_BYTES (fewer for a shorter body): what the file really is. */
  head: Uint8Array;
}

/**
 * Streams a request body into `path` (created; it must not exist), judging it as it lands: the first bytes
 * must be an MP4 or MOV header, and the body must stay within the video limit. A refusal stops reading at
 * once. Resolves or rejects only once the file is closed, so the caller may remove it straight away; the
 * caller removes it on a rejection (this only writes).
 */
export function receiveToFile(
  body: Readable,
  path: string,
  maxBytes = LIMITS.videoMaxBytes,
): Promise<Received> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(path, { flags: 'wx', mode: 0o600, highWaterMark: WRITE_BUFFER_BYTES });
    let total = 0;
    let head = Buffer.alloc(0);
    let judged = false;
    let settled = false;

    const detach = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onCut);
      body.off('close', onClose);
      out.off('drain', onDrain);
    };
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      detach();
      // Paused, not destroyed: the refusal can still be answered; the server closes what is left.
      body.pause();
      if (out.closed) return reject(err);
      out.once('close', () => reject(err));
      out.destroy();
    };
    const judgeHead = () => {
      judged = true;
      if (sniffVideoFormat(head) === 'unknown') fail(notAVideo(head, total));
    };
    const onData = (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > maxBytes) return fail(tooLarge(maxBytes));
      if (!judged) {
        head = Buffer.concat([head, chunk.subarray(0, FORMAT_SNIFF_BYTES - head.length)]);
        if (head.length >= FORMAT_SNIFF_BYTES) judgeHead();
        if (settled) return;
      }
      if (!out.write(chunk)) {
        body.pause();
        out.once('drain', onDrain);
      }
    };
    const onDrain = () => {
      if (!settled) body.resume();
    };
    const onEnd = () => {
      if (!judged && total > 0) judgeHead();
      if (settled) return;
      settled = true;
      detach();
      out.end();
      out.once('close', () =>
        out.errored ? reject(writeFailed(out.errored)) : resolve({ bytes: total, head }),
      );
    };
    // A request stream only errs or closes early when the connection broke: the client is gone.
    const onCut = () => fail(cutOff());
    const onClose = () => {
      if (!body.readableEnded) fail(cutOff());
    };
    out.on('error', (e) => fail(writeFailed(e)));
    if (body.readableEnded) return onEnd();
    if (body.destroyed) return fail(cutOff());
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onCut);
    body.on('close', onClose);
    body.resume();
  });
}

const issue = (rule: string, words: string): Violation => ({
  field: UPLOAD_FIELD,
  rule,
  message: `${fieldLabel(UPLOAD_FIELD)}: ${words}`,
});

const MB = 1024 * 1024;

/** 413 with the `video_too_large` violation: said before reading (declared length) or at the limit. */
export function tooLarge(maxBytes: number, declared?: number): StudioError {
  const words =
    declared === undefined
      ? `the file is larger than the ${maxBytes / MB} MB limit`
      : `${(declared / MB).toFixed(1)} MB is over the ${maxBytes / MB} MB limit`;
  const v = issue('video_too_large', words);
  return new StudioError(413, 'payload_too_large', v.message, { issues: [v] });
}

/** The rules' own words, so a PNG renamed to .mp4 is called "a PNG image". */
function notAVideo(head: Uint8Array, bytes: number): StudioError {
  const facts = { format: 'unknown', bytes, width: 0, height: 0, durationMs: 0, hasAudio: false } as const;
  return validationError(videoFactRules(UPLOAD_FIELD, facts, undefined, head));
}

function cutOff(): StudioError {
  return new StudioError(400, 'upload_incomplete', 'The upload was cut off before its end. Try again.');
}

/** A full disk is said as such (507, like the create's floor); anything else is a bug for the log. */
function writeFailed(e: unknown): unknown {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new StudioError(
      507,
      'insufficient_storage',
      "The studio's disk is full, so the video could not be stored. Free some space and try again.",
    );
  return e;
}
