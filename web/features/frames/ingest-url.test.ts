import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImageCheck } from '../../../contract/schemas/studio-api.ts';
import { frameFromUrl } from './ingest.ts';
import { thumbnailOf } from './url-thumbnails.ts';

afterEach(() => vi.unstubAllGlobals());

/** The studio's answer to POST /api/image-check; every fetch the page makes is recorded. */
function studioAnswers(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

const THUMB = 'data:image/jpeg;base64,/9j/AAAA';

describe('frames by URL, checked by the studio', () => {
  it('asks the studio (never the image host) and keeps the URL with the facts and thumbnail it found', async () => {
    const answer: ImageCheck = {
      facts: { format: 'png', bytes: 4000, width: 640, height: 400 },
      violations: [],
      thumbnail: THUMB,
    };
    const calls = studioAnswers(200, answer);
    const r = await frameFromUrl(' https://example.com/a.png ', 'start');
    expect(r).toMatchObject({
      ok: true,
      frame: { source: 'url', url: 'https://example.com/a.png', facts: answer.facts },
    });
    expect(calls.map((c) => c.url)).toEqual(['/api/image-check']);
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({
      url: 'https://example.com/a.png',
      field: 'image',
    });
    expect(thumbnailOf('https://example.com/a.png')).toBe(THUMB);
  });

  it('refuses what the studio found, in the contract words, for the end frame’s field', async () => {
    const violation = {
      field: 'image_tail',
      rule: 'image_too_small',
      message: 'End frame (image_tail): 200×200 px is below the 300 px minimum for each side',
    };
    const calls = studioAnswers(200, {
      facts: { format: 'png', bytes: 900, width: 200, height: 200 },
      violations: [violation],
      thumbnail: THUMB,
    });
    const r = await frameFromUrl('https://example.com/small.png', 'end');
    expect(r).toEqual({
      ok: false,
      violations: [violation],
      facts: { format: 'png', bytes: 900, width: 200, height: 200 },
      thumbnail: THUMB,
    });
    expect(JSON.parse(String(calls[0]!.init?.body))).toMatchObject({ field: 'image_tail' });
  });

  it('says a host cannot be reached before anything is generated', async () => {
    const unreachable = {
      field: 'image',
      rule: 'image_url_unusable',
      message: 'Start frame (image): the URL names a host that could not be found',
    };
    studioAnswers(200, { facts: null, violations: [unreachable], thumbnail: null });
    expect(await frameFromUrl('https://no-such-host.invalid/a.jpg', 'start')).toEqual({
      ok: false,
      violations: [unreachable],
    });
  });

  it('shows the studio’s error issues, or its message under the field’s label', async () => {
    const issue = {
      field: 'image',
      rule: 'image_url_scheme',
      message: 'Start frame (image): must be an http(s) URL',
    };
    studioAnswers(400, { error: { code: 'validation_failed', message: issue.message, issues: [issue] } });
    expect(await frameFromUrl('https://example.com/a.png', 'start')).toEqual({
      ok: false,
      violations: [issue],
    });
    studioAnswers(503, {
      error: { code: 'busy', message: 'The studio is checking other pictures. Try again in 2 s.' },
    });
    expect(await frameFromUrl('https://example.com/a.png', 'start')).toEqual({
      ok: false,
      violations: [
        {
          field: 'image',
          rule: 'busy',
          message: 'Start frame (image): The studio is checking other pictures. Try again in 2 s.',
        },
      ],
    });
  });

  it('refuses what is not an http(s) address without asking anyone', async () => {
    const calls = studioAnswers(200, {});
    for (const raw of ['ftp://example.com/a.png', 'data:image/png;base64,AAAA', 'not a url'])
      expect(await frameFromUrl(raw, 'start')).toMatchObject({
        ok: false,
        violations: [{ field: 'image', rule: 'image_url_scheme' }],
      });
    expect(calls).toEqual([]);
  });
});
