/** Runs ffmpeg as a child process: the renders' pixel work happens there, off Node's event loop. */
import { spawn } from 'node:child_process';
import { ffmpegPath } from './ffmpeg-binary.ts';

/** Enough of stderr to explain a failure without holding a chatty log in memory. */
const STDERR_TAIL_BYTES = 16 * 1024;

export class FfmpegError extends Error {
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(message: string, exitCode: number | null, stderr: string) {
    super(message);
    this.name = 'FfmpegError';
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

export interface FfmpegResult {
  stderr: string;
}

/**
 * Runs ffmpeg with `args` and resolves with its stderr when it exits 0. Aborting kills it at once
 * (SIGKILL: a half-written file is thrown away anyway) and rejects with the signal's reason.
 */
export function runFfmpeg(args: readonly string[], signal?: AbortSignal): Promise<FfmpegResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const child = spawn(ffmpegPath(), args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    let stderr = '';
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      child.kill('SIGKILL');
      settle(() => reject(signal?.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > 2 * STDERR_TAIL_BYTES) stderr = stderr.slice(-STDERR_TAIL_BYTES);
    });
    child.on('error', (error) => settle(() => reject(error)));
    child.on('close', (code, killedBy) => {
      settle(() => {
        if (code === 0) resolve({ stderr });
        else {
          const why = killedBy ? `was killed by ${killedBy}` : `exited with code ${code}`;
          const lastLines = stderr.trim().split('\n').slice(-5).join('\n');
          reject(new FfmpegError(`ffmpeg ${why}: ${lastLines}`, code, stderr));
        }
      });
    });
  });
}
