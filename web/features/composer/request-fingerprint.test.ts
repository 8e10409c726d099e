import { describe, expect, it } from 'vitest';
import { canonicalJson, requestFingerprint } from './request-fingerprint.ts';

const body = {
  model_name: 'kling-v2-6',
  mode: 'std',
  duration: '5',
  prompt: 'waves',
  image: 'AAAA',
} as const;

describe('requestFingerprint', () => {
  it('is the same for the same body whatever the key order', () => {
    const reordered = {
      image: 'AAAA',
      prompt: 'waves',
      duration: '5',
      mode: 'std',
      model_name: 'kling-v2-6',
    } as const;
    expect(requestFingerprint({ kind: 'image2video', request: reordered })).toBe(
      requestFingerprint({ kind: 'image2video', request: body }),
    );
  });

  it('differs when anything Kling reads differs: a word of the prompt, a nested value, the endpoint', () => {
    const base = requestFingerprint({ kind: 'image2video', request: body });
    expect(requestFingerprint({ kind: 'image2video', request: { ...body, prompt: 'waves.' } })).not.toBe(
      base,
    );
    const cam = (pan: number) =>
      requestFingerprint({
        kind: 'image2video',
        request: {
          ...body,
          camera_control: {
            type: 'simple',
            config: { horizontal: 0, vertical: 0, pan, tilt: 0, roll: 0, zoom: 0 },
          },
        },
      });
    expect(cam(1)).not.toBe(cam(2));
    expect(
      requestFingerprint({
        kind: 'motion-control',
        request: { image_url: 'AAAA', video_url: 'upload:1', character_orientation: 'image', mode: 'std' },
      }),
    ).toMatch(/^motion-control:/);
  });

  it('ignores the external task id the studio mints on every press', () => {
    const mc = {
      image_url: 'AAAA',
      video_url: 'upload:1',
      character_orientation: 'image',
      mode: 'std',
    } as const;
    expect(requestFingerprint({ kind: 'motion-control', request: { ...mc, external_task_id: 'a' } })).toBe(
      requestFingerprint({ kind: 'motion-control', request: { ...mc, external_task_id: 'b' } }),
    );
  });

  it('tells apart two frames of the same length (megabytes of base64 are digested, not kept)', () => {
    const a = 'A'.repeat(2_000_000);
    const b = `${'A'.repeat(1_000_000)}B${'A'.repeat(999_999)}`;
    const fa = requestFingerprint({ kind: 'image2video', request: { ...body, image: a } });
    const fb = requestFingerprint({ kind: 'image2video', request: { ...body, image: b } });
    expect(fa).not.toBe(fb);
    expect(fa.length).toBeLessThan(64);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } })).toBe('{"a":{"d":[2,1]},"b":1}');
  });

  it('drops a nested external_task_id only at the top level', () => {
    expect(canonicalJson({ external_task_id: 'x', meta: { external_task_id: 'y' } })).toBe(
      '{"meta":{"external_task_id":"y"}}',
    );
  });
});
