/**
 * # Kling simulator
 *
 * A local stand-in for Kling's legacy image-to-video API (shared/reference/kling-api.md) and its motion
 * control (kling-2026.md §2), faithful on the wire so that a client which works against it works against Kling. It imports only contract/ and its own
 * files — never other server/ code — so it stays an independent third party.
 *
 * ## Kling's API (Bearer JWT: HS256, iss = access key, signed with the secret key; or the static apiKey)
 * - `POST /v1/videos/image2video` — create. 400/1201 names the offending field; 429/1303 over the
 *   concurrency limit; `external_task_id` must be unique (400/1201 "external_task_id already exists").
 *   kling-v3 (kling-2026.md §1): any whole duration 3–15 s, rendered exactly (reported as duration + 0.1,
 *   "12.1"); std 1280×720, pro 1920×1080, 4k 3840×2160 for a 16:9 frame, 24 fps; `multi_shot` (also the
 *   string "true", as Kling's own curl example sends it) with `customize` renders the storyboard's shots as
 *   hard cuts, with `intelligence` the simulator plans 2–3 whole-second shots itself (shot-plan.ts); sound on
 *   (kling-v2-6 pro, kling-v3's native audio) gives the video an AAC track. `final_unit_deduction` is the
 *   contract's image2videoUnits (model × mode × duration × sound × voices).
 * - `GET /v1/videos/image2video/{task_id | external_task_id}` — one task; unknown → 404/1203 (a guess:
 *   Kling's answer for an unknown task is undocumented).
 * - `GET /v1/videos/image2video?external_task_id=X` — the same, the form some clients use.
 * - `GET /v1/videos/image2video?pageNum=1&pageSize=30` — newest first; pageNum ∈ [1,1000],
 *   pageSize ∈ [1,500], otherwise 400/1201.
 * - `POST /v1/videos/motion-control` — animate `image_url` (base64 or URL) with the motion of `video_url`
 *   (an http(s) URL, loopback included, downloaded to `<dataDir>/references/` — at most 100 MB + 1 byte —
 *   and judged from its MP4/MOV header). Every rule of the contract's validateMotionControl answers
 *   400/1201 naming the field (a clip too long for the orientation, too small or short, not a video, an
 *   unreachable URL, elements on kling-v2-6…). No `duration`: the video lasts as long as the reference
 *   (`task_result.videos[].duration` "7.2"), `final_unit_deduction` = motionControlUnits(model, mode,
 *   reference ms). The reference is deleted when the task ends, on reset and on shutdown.
 * - `GET /v1/videos/motion-control/{task_id | external_task_id}`, `?external_task_id=X`, and the list
 *   `?pageNum&pageSize`: as for image2video. Each endpoint's reads see only its own tasks; external ids
 *   are unique across both (UNCERTAIN upstream), and both count against the one concurrency limit.
 * - Auth failures: 401 with 1001 (no header), 1002 (malformed, bad signature, wrong iss, no exp),
 *   1003 (nbf in the future), 1004 (expired); 5 s clock skew allowed; extra claims (iat) accepted,
 *   a missing nbf tolerated.
 * - Callbacks: the bare task object POSTed to `callback_url` on `processing`, `succeed`/`failed`
 *   (not `submitted` unless `callbackOnSubmit`), in order, 3 tries with backoff; signed (Standard
 *   Webhooks headers) when started with `webhookSecrets` / `SIM_WEBHOOK_SECRET`.
 *
 * - Retired models (`retiredModels` / `SIM_RETIRED_MODELS=kling-v1,kling-v1-5`): a create on one of them,
 *   on either endpoint, by `model_name` or by the endpoint's default when it is absent, answers
 *   `retiredCode` (`SIM_RETIRED_CODE`, default 1203, HTTP 404 from KLING_CODES) with `retiredMessage`
 *   (`SIM_RETIRED_MESSAGE`, default "model not found") before the body is checked. Kling's real answer for a
 *   model it dropped is UNCERTAIN (kling-2026.md §1); the settings let a client rehearse either guess.
 *
 * ## Test extras (no auth — they are not Kling's)
 * - `GET /__sim/requests` — create requests as received (parsed body, headers minus Authorization,
 *   receivedAt, and the answer given), newest last.
 * - `GET /__sim/stats` — `{creates, tasksCreated, queries, listQueries, queriesByTask, active, renders}`.
 * - `GET /__sim/queries` — every single-task query `{taskId, externalTaskId, at}`, oldest first (the
 *   newest 20,000 kept): whether several clients polled one task at once. List queries are not in it.
 * - `GET /__sim/downloads` — per task_id `{downloads, partials, firstDownloadAt, lastDownloadAt}`: GETs of
 *   its video answered from byte 0 (200, or a 206 from 0) and later ranges; HEAD, 404 and 416 not counted.
 * - `GET /__sim/tasks`, `GET /__sim/callbacks` (every delivery attempt), `GET|POST /__sim/faults`.
 * - `POST /__sim/reset` — forgets tasks, videos, requests, counters, callbacks and faults set at run time
 *   (the faults configured at start are restored).
 * - `GET /__sim/videos/<id>.mp4` — the results (public, with Range), as Kling's CDN links are.
 *
 * ## Faults (faults.ts): `fail`, `1301`, `1302`, `1303`, `5000` (any Kling code), `slow=<ms>`, `hang`,
 * `malformed` — per request as a prompt marker `[sim:1303]` or header `X-Sim-Fault: 1303`; by
 * configuration (`faults` option, `SIM_FAULT`, `POST /__sim/faults {"queries": {"code": 5000, "count": 2}}`).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { signKlingToken } from './auth.ts';
import { createSimulatorApp } from './routes.ts';
import { Simulator, type SimulatorOptions } from './simulator.ts';

export { signKlingToken, verifyAuthorization } from './auth.ts';
export type { FaultConfig, FaultRuleInput } from './faults.ts';
export { parseFaultEnv } from './faults.ts';
export type { RenderFn, RenderJob, RenderResult, SimRenderJob, TransferJob } from './render-queue.ts';
export { createSimulatorApp } from './routes.ts';
export type { RecordedRequest, SimulatorOptions, SimulatorStats } from './simulator.ts';
export { Simulator } from './simulator.ts';
export type { TaskKind, WireTask } from './task-store.ts';

export interface RunningSimulator {
  /** e.g. `http://127.0.0.1:8686` — use as a Kling base URL. */
  baseUrl: string;
  host: string;
  port: number;
  accessKey: string;
  secretKey: string;
  app: Hono;
  /** The state behind the API (tasks, faults, requests, stats), for tests. */
  sim: Simulator;
  /** A fresh token signed with the simulator's keys, as Kling's docs sign one. */
  token(opts?: { ttlSeconds?: number; nowSeconds?: number }): Promise<string>;
  close(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSimulator(opts: SimulatorOptions): Promise<RunningSimulator> {
  const sim = new Simulator(opts);
  const app = createSimulatorApp(sim);
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: host }, () =>
      resolve(s as Server),
    ) as Server;
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://${urlHost(host)}:${port}`;
  sim.baseUrl ??= baseUrl;
  let closing: Promise<void> | undefined;
  return {
    baseUrl,
    host,
    port,
    accessKey: opts.accessKey,
    secretKey: opts.secretKey,
    app,
    sim,
    token: (t) => signKlingToken(opts.accessKey, opts.secretKey, t),
    close() {
      closing ??= (async () => {
        await sim.shutdown();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
