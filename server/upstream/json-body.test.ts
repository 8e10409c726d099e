import { describe, expect, it } from 'vitest';
import { jsonBody, STREAM_MIN_CHARS } from './json-body.ts';

async function bytesOf(body: string | ReadableStream<Uint8Array>): Promise<Buffer> {
  if (typeof body === 'string') return Buffer.from(body);
  const parts: Uint8Array[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('jsonBody', () => {
  const big = (ch: string, extra = 0) => ch.repeat(STREAM_MIN_CHARS * 2 + 7 + extra);

  it.each([
    ['a small body', { prompt: 'café ☕', image: 'QUJD', n: [1, null, true] }],
    ['one image', { model_name: 'kling-v1', image: `${big('A')}==`, prompt: 'é' }],
    [
      'several images, nested',
      { image: big('B', 1), dynamic_masks: [{ mask: big('C', 2), trajectories: [{ x: 1, y: 2 }] }] },
    ],
    ['a long string JSON must escape', { prompt: `"${big('D')}\n`, image: big('/') }],
    ['a long non-ASCII string', { prompt: big('é') }],
  ])('sends exactly JSON.stringify’s bytes: %s', async (_name, value) => {
    const json = jsonBody(value);
    const expected = Buffer.from(JSON.stringify(value));
    expect(json.length).toBe(expected.length);
    // Twice: a retry gets a fresh body with the same bytes.
    expect((await bytesOf(json.body())).equals(expected)).toBe(true);
    expect((await bytesOf(json.body())).equals(expected)).toBe(true);
  });

  it('streams bodies with long verbatim strings and keeps small ones a string', () => {
    expect(typeof jsonBody({ image: 'QUJD' }).body()).toBe('string');
    expect(typeof jsonBody({ prompt: `\n${big('x')}` }).body()).toBe('string');
    expect(jsonBody({ image: big('A') }).body()).toBeInstanceOf(ReadableStream);
  });
});
