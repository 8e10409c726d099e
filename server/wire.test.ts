import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskEnvelopeSchema } from '../contract/schemas/studio-api.ts';
import { b64, png, type Studio, startStudio, waitForTask, withSim } from './testing/studio-harness.ts';

/**
 * The upstream on loopback is trusted for the studio's archive of its own video links, and for nothing a
 * creator hands in (security review 2026-12, finding 8). The upstream here is a recording proxy in front of
 * the simulator, so "nothing was fetched" is read off the requests the upstream actually received.
 */
const ctx = withSim();
let upstream: Server;
let upstreamUrl: string;
const upstreamSaw: string[] = [];
/** A stand-in for a public image host (allowed by URL_FETCH_ALLOW_HOSTS) that redirects to the upstream. */
let files: Server;
let filesHost: string;
let studio: Studio;

const listen = async (s: Server) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(s.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  upstream = createServer((req, res) => {
    upstreamSaw.push(`${req.method} ${req.url}`);
    const fwd = request(
      { host: ctx.sim.host, port: ctx.sim.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  upstreamUrl = `http://${await listen(upstream)}`;
  // The simulator's video links then name the proxy, as a real upstream's own links name itself.
  ctx.sim.sim.baseUrl = upstreamUrl;
  files = createServer((req, res) => {
    const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to') ?? '/';
    res.writeHead(302, { location: `${upstreamUrl}${to}` }).end();
  });
  filesHost = await listen(files);
  studio = await startStudio({ baseUrl: upstreamUrl }, { env: { URL_FETCH_ALLOW_HOSTS: filesHost } });
});
afterAll(async () => {
  await studio.close();
  for (const s of [upstream, files]) {
    s.closeAllConnections();
    s.close();
  }
});

const imageRefusal = async (image: string) => {
  const before = upstreamSaw.length;
  const res = await studio.create({ image, prompt: 'exempt?' });
  const body = (await res.json()) as {
    error: { issues?: { field: string; rule: string; message: string }[] };
  };
  return { status: res.status, issue: body.error.issues?.[0], saw: upstreamSaw.slice(before) };
};

describe("the upstream's loopback exemption", () => {
  it('does not extend to an image URL on the upstream: refused as blocked before any connection', async () => {
    const { status, issue, saw } = await imageRefusal(`${upstreamUrl}/__sim/requests`);
    expect(status).toBe(400);
    expect(issue).toMatchObject({ field: 'image', rule: 'image_url_unusable' });
    expect(issue?.message).toMatch(/private, loopback or link-local/);
    expect(saw).toEqual([]);
  });

  it("does not extend to an image URL under the upstream's own video prefix either", async () => {
    const { status, issue, saw } = await imageRefusal(`${upstreamUrl}/__sim/videos/anything.mp4`);
    expect(status).toBe(400);
    expect(issue?.message).toMatch(/private, loopback or link-local/);
    expect(saw).toEqual([]);
  });

  it('does not extend to a redirect target: an image URL that 302s to the upstream is refused', async () => {
    for (const to of ['/__sim/requests', '/__sim/videos/anything.mp4']) {
      const { status, issue, saw } = await imageRefusal(`http://${filesHost}/a.png?to=${to}`);
      expect(status, to).toBe(400);
      expect(issue?.message, to).toMatch(/private, loopback or link-local/);
      expect(saw, to).toEqual([]);
    }
  });

  it("still archives the upstream's own video links", async () => {
    const res = await studio.create({ image: b64(await png(640, 360)), prompt: 'archived' });
    expect(res.status).toBe(201);
    const { task } = taskEnvelopeSchema.parse(await res.json());
    const done = await waitForTask(studio, task.id);
    expect(done.status).toBe('succeed');
    expect(done.video).toBeTruthy();
    expect(upstreamSaw.some((l) => /^GET \/__sim\/videos\//.test(l))).toBe(true);
  });
});
