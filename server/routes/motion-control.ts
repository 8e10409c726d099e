import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { createMotionControl } from '../create/create-motion-control.ts';
import { readJsonBody } from '../http/read-json-body.ts';
import type { AppDeps } from './app-deps.ts';
import { createBodyGate, createTaskDeps, creatorOf } from './create-deps.ts';

/** POST /api/motion-control: Kling's motion-control body; `video_url` an https URL or an upload's ref. */
export function motionControlRoutes(deps: AppDeps) {
  const gate = createBodyGate(deps);
  return new Hono().post('/', async (c) => {
    const who = creatorOf(c, deps);
    // As POST /api/tasks: a client over its limit is refused before a byte of the body is read.
    await deps.guard.check(who.peer);
    const body = await readJsonBody(c, deps.config.bodyLimitBytes, { gate });
    const task = await createMotionControl(
      {
        ...createTaskDeps(deps),
        uploads: deps.uploads,
        uploadBase: uploadBase(deps, c),
        // A reference may be 100 MB: it gets the archive's deadline, not an image's.
        videoFetch: { ...deps.imageFetch, timeoutMs: deps.config.archive.timeoutMs },
      },
      body,
      who,
    );
    return c.json({ task }, 201);
  });
}

/**
 * Where Kling downloads an upload from. PUBLIC_URL when set. Without it, only a simulator on this machine
 * can reach the studio, on the address this request came in on (loopback when the studio listens there or
 * on every interface); real Kling cannot, and an upload is refused.
 */
function uploadBase(deps: AppDeps, c: Context): string | undefined {
  if (deps.config.publicUrl) return deps.config.publicUrl;
  if (deps.upstream.kind !== 'simulator') return undefined;
  const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
  if (!socket?.localPort) return undefined;
  const wildcard = deps.config.host === '0.0.0.0' || deps.config.host === '::';
  const local = (socket.localAddress ?? '').replace(/^::ffff:/, '');
  const host = wildcard || !local ? '127.0.0.1' : local;
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${socket.localPort}`;
}
