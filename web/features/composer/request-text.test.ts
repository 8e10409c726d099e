import { describe, expect, it } from 'vitest';
import { pngFrame } from '../../testing/draft.ts';
import { curlFor, describeImageValue, elideImages } from './request-text.ts';

const frame = pngFrame(1280, 720);

describe('request text', () => {
  it('elides base64 images with what they are, and keeps URLs', () => {
    const out = elideImages({ image: frame.base64, image_tail: 'https://example.com/end.jpg', prompt: 'p' });
    expect(out.image).toMatch(/^<base64 PNG 1280×720, \d+(\.\d)? (KB|MB) — elided>$/);
    expect(out.image_tail).toBe('https://example.com/end.jpg');
    expect(out.prompt).toBe('p');
  });

  it('elides masks too', () => {
    const out = elideImages({
      dynamic_masks: [
        {
          mask: frame.base64,
          trajectories: [
            { x: 1, y: 2 },
            { x: 3, y: 4 },
          ],
        },
      ],
    });
    expect(out.dynamic_masks?.[0]?.mask).toMatch(/^<base64 PNG/);
    expect(out.dynamic_masks?.[0]?.trajectories).toHaveLength(2);
  });

  it('copies a runnable curl with the full body and no token', () => {
    const curl = curlFor({ model_name: 'kling-v1', image: frame.base64 }, 'http://127.0.0.1:8787');
    expect(curl).toContain("curl -X POST 'http://127.0.0.1:8787/api/tasks'");
    expect(curl).toContain('"Authorization: Bearer $APP_TOKEN"');
    expect(curl).toContain(frame.base64);
    const body = curl.split("<<'JSON'\n")[1]!.replace(/\nJSON$/, '');
    expect(JSON.parse(body)).toEqual({ model_name: 'kling-v1', image: frame.base64 });
  });

  it('reads only the decoded head of a long value, and shows a value that is not base64 there as is', () => {
    const long = frame.base64.padEnd(200_000 - (frame.base64.length % 4), 'A');
    expect(describeImageValue(long)).toMatch(/^<base64 PNG 1280×720/);
    const badHead = `${long.slice(0, 80_000)}$${long.slice(80_001)}`;
    expect(describeImageValue(badHead)).toBe(badHead);
  });
});
