import { afterEach, describe, expect, it, vi } from 'vitest';
import { pngImage } from '../../../contract/testing/test-images.ts';
import { frameFromUrl } from './ingest.ts';

afterEach(() => vi.unstubAllGlobals());

const serve = (bytes: Uint8Array, status = 200) =>
  vi.stubGlobal('fetch', async () => new Response(bytes as Uint8Array<ArrayBuffer>, { status }));

describe('frames by URL', () => {
  it('keeps the URL (that is what is sent) and checks the bytes when the browser may read them', async () => {
    serve(pngImage(640, 400));
    const r = await frameFromUrl(' https://example.com/a.png ', 'start');
    expect(r).toMatchObject({
      ok: true,
      frame: {
        source: 'url',
        url: 'https://example.com/a.png',
        facts: { format: 'png', width: 640, height: 400 },
      },
    });
  });

  it('refuses what the bytes break, in the contract words', async () => {
    serve(pngImage(200, 200));
    const r = await frameFromUrl('https://example.com/small.png', 'end');
    expect(r).toMatchObject({
      ok: false,
      violations: [{ field: 'image_tail', rule: 'image_too_small' }],
    });
  });

  it('keeps a URL the browser may not read (CORS), for the studio to check', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const r = await frameFromUrl('https://no-cors.example.com/a.jpg', 'start');
    expect(r).toMatchObject({ ok: true, frame: { source: 'url', facts: null } });
    expect(r.ok && r.note).toMatch(/will check it when you generate/);
  });

  it('says when the address answers an error or is not http(s)', async () => {
    serve(new Uint8Array(0), 404);
    expect(await frameFromUrl('https://example.com/missing.png', 'start')).toMatchObject({
      ok: false,
      violations: [{ message: 'That address answered 404' }],
    });
    expect(await frameFromUrl('ftp://example.com/a.png', 'start')).toMatchObject({ ok: false });
    expect(await frameFromUrl('data:image/png;base64,AAAA', 'start')).toMatchObject({ ok: false });
  });
});
