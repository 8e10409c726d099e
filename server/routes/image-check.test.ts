import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, imageCheckSchema } from '../../contract/schemas/studio-api.ts';
import { gif1x1, pngWithGarbageIdat } from '../../contract/testing/test-images.ts';
import { jpeg, png, type Studio, startStudio, withSim } from '../testing/studio-harness.ts';

/**
 * POST /api/image-check on a real studio listening on loopback, fetching from real HTTP servers: one the
 * operator trusts (URL_FETCH_ALLOW_HOSTS, as an internal image host would be) and one it does not. Every
 * refusal is compared with what POST /api/tasks says about the same URL: one set of rules and words.
 */
const ctx = withSim({ resetBeforeEach: true });
let studio: Studio;

interface FileServer {
  server: Server;
  url: string;
  hits: string[];
}
async function fileServer(files: Map<string, Buffer>): Promise<FileServer> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const body = files.get(req.url ?? '');
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'image/png' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

let trusted: FileServer;
let untrusted: FileServer;

beforeAll(async () => {
  const files = new Map<string, Buffer>([
    ['/ok.jpg', await jpeg(1280, 720)],
    ['/small.png', await png(200, 200)],
    ['/wide.png', await png(900, 300)],
    ['/gif-named.png', Buffer.from(gif1x1())],
    ['/garbage.png', Buffer.from(pngWithGarbageIdat(640, 480))],
  ]);
  trusted = await fileServer(files);
  untrusted = await fileServer(files);
  studio = await startStudio(ctx.sim, {
    env: { URL_FETCH_ALLOW_HOSTS: `127.0.0.1:${new URL(trusted.url).port}` },
  });
});
afterAll(async () => {
  await studio?.close();
  trusted?.server.close();
  untrusted?.server.close();
});

const check = (body: unknown) =>
  studio.fetch('/api/image-check', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function checked(url: string, field?: 'image' | 'image_tail') {
  const res = await check(field ? { url, field } : { url });
  expect(res.status).toBe(200);
  return imageCheckSchema.parse(await res.json());
}

/** What POST /api/tasks answers for the same URL in the same field. */
async function createIssues(field: string, url: string) {
  const res = await studio.create(field === 'image' ? { image: url } : { image: url, image_tail: url });
  expect(res.status).toBe(400);
  return apiErrorSchema.parse(await res.json()).error.issues?.filter((i) => i.field === field);
}

async function thumbnailSize(dataUrl: string | null) {
  expect(dataUrl).toMatch(/^data:image\/jpeg;base64,/);
  const meta = await sharp(Buffer.from(dataUrl!.split(',')[1]!, 'base64')).metadata();
  return { format: meta.format, width: meta.width, height: meta.height };
}

describe('POST /api/image-check', () => {
  it('reads a good picture from its bytes and returns a thumbnail the studio made', async () => {
    const r = await checked(`${trusted.url}/ok.jpg`);
    expect(r.facts).toEqual({ format: 'jpeg', bytes: expect.any(Number), width: 1280, height: 720 });
    expect(r.violations).toEqual([]);
    expect(await thumbnailSize(r.thumbnail)).toEqual({ format: 'jpeg', width: 320, height: 180 });
    expect(await ctx.sim.requests()).toEqual([]);
  });

  it('names the rule a picture that is too small breaks, in create’s words, with its thumbnail', async () => {
    const url = `${trusted.url}/small.png`;
    const r = await checked(url);
    expect(r.facts).toMatchObject({ format: 'png', width: 200, height: 200 });
    expect(r.violations).toEqual([
      {
        field: 'image',
        rule: 'image_too_small',
        message: 'Start frame (image): 200×200 px is below the 300 px minimum for each side',
      },
    ]);
    expect(await thumbnailSize(r.thumbnail)).toMatchObject({ width: 200, height: 200 });
    expect(await createIssues('image', url)).toEqual(r.violations);
  });

  it('names the end frame by its own field', async () => {
    const url = `${trusted.url}/wide.png`;
    const r = await checked(url, 'image_tail');
    expect(r.violations).toEqual([
      {
        field: 'image_tail',
        rule: 'image_aspect',
        message: 'End frame (image_tail): 3:1 is wider than 2.5:1 (aspect ratio must be 1:2.5 to 2.5:1)',
      },
    ]);
    expect(await createIssues('image_tail', url)).toEqual(r.violations);
  });

  it.each([
    ['a private address', 'http://10.1.2.3/cat.png'],
    ['loopback by name', 'http://localhost:1/cat.png'],
    ['the cloud metadata address', 'http://169.254.169.254/latest'],
  ])('refuses %s as create refuses it, without fetching', async (_what, url) => {
    const r = await checked(url);
    expect(r).toEqual({
      facts: null,
      thumbnail: null,
      violations: [
        {
          field: 'image',
          rule: 'image_url_unusable',
          message:
            'Start frame (image): the URL points at a private, loopback or link-local address, which the studio does not fetch',
        },
      ],
    });
    expect(await createIssues('image', url)).toEqual(r.violations);
  });

  it('never fetches from a loopback server the operator did not trust', async () => {
    const url = `${untrusted.url}/ok.jpg`;
    const r = await checked(url);
    expect(r.violations).toMatchObject([{ rule: 'image_url_unusable' }]);
    expect(untrusted.hits).toEqual([]);
  });

  it('says a host that does not exist cannot be found', async () => {
    const url = 'https://no-such-host.invalid/cat.png';
    const r = await checked(url);
    expect(r).toEqual({
      facts: null,
      thumbnail: null,
      violations: [
        {
          field: 'image',
          rule: 'image_url_unusable',
          message: 'Start frame (image): the URL names a host that could not be found',
        },
      ],
    });
    expect(await createIssues('image', url)).toEqual(r.violations);
  });

  it('says when the address answers an error', async () => {
    const r = await checked(`${trusted.url}/missing.png`);
    expect(r.violations).toEqual([
      {
        field: 'image',
        rule: 'image_url_unusable',
        message: 'Start frame (image): the URL could not be downloaded (the server answered HTTP 404)',
      },
    ]);
  });

  it('judges by content: a GIF named .png, and damaged picture data (no thumbnail for either)', async () => {
    const gif = await checked(`${trusted.url}/gif-named.png`);
    expect(gif.violations).toMatchObject([{ rule: 'image_format' }]);
    expect(gif.thumbnail).toBeNull();
    const damaged = await checked(`${trusted.url}/garbage.png`);
    expect(damaged.facts).toMatchObject({ format: 'png', width: 640, height: 480 });
    expect(damaged.violations).toEqual([
      {
        field: 'image',
        rule: 'image_damaged',
        message: 'Start frame (image): the picture data is damaged, so Kling could not read it',
      },
    ]);
    expect(damaged.thumbnail).toBeNull();
  });

  it('answers a malformed request in the usual error envelope', async () => {
    const refused = async (body: unknown, status: number) => {
      const res = await check(body);
      expect(res.status).toBe(status);
      return apiErrorSchema.parse(await res.json()).error;
    };
    expect(await refused({}, 400)).toMatchObject({
      code: 'validation_failed',
      issues: [{ field: 'url' }],
    });
    expect(await refused({ url: 'ftp://example.com/a.png' }, 400)).toMatchObject({
      issues: [
        { field: 'image', rule: 'image_url_scheme', message: 'Start frame (image): must be an http(s) URL' },
      ],
    });
    expect(await refused({ url: 'https://example.com/a.png', field: 'static_mask' }, 400)).toMatchObject({
      issues: [{ field: 'field' }],
    });
    expect(await refused({ url: 'https://example.com/a.png', extra: 1 }, 400)).toMatchObject({
      code: 'validation_failed',
    });
    const form = await studio.fetch('/api/image-check', { method: 'POST', body: 'url=x' });
    expect(form.status).toBe(415);
    expect(trusted.hits.filter((h) => h === '/a.png')).toEqual([]);
  });
});
