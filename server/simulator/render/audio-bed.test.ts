import { describe, expect, it } from 'vitest';
import { AUDIO_LABEL, shotPitchHz, toneBedGraph, toneSamples } from './audio-bed.ts';

describe('toneBedGraph', () => {
  it('one shot: a single soft tone, stopping a whole AAC frame before the video', () => {
    // 5 s is 240000 samples, 234.375 AAC frames: the bed stops after 233 of them.
    expect(toneBedGraph([5])).toBe(
      `sine=frequency=220:sample_rate=48000,atrim=end_sample=238592,volume=0.25,afade=t=in:ss=0:ns=960,afade=t=out:ss=237632:ns=960[${AUDIO_LABEL}]`,
    );
  });

  it('several shots: a tone each, cut on the sample of each shot boundary, concatenated in order', () => {
    expect(toneSamples([4, 5, 3])).toEqual([192_000, 240_000, 142_464]);
    const graph = toneBedGraph([4, 5, 3]);
    expect(graph).toContain('sine=frequency=220:sample_rate=48000,atrim=end_sample=192000,');
    expect(graph).toContain(`sine=frequency=${shotPitchHz(1)}:sample_rate=48000,atrim=end_sample=240000,`);
    expect(graph).toContain('atrim=end_sample=142464,');
    expect(graph.endsWith(`[tone0][tone1][tone2]concat=n=3:v=0:a=1[${AUDIO_LABEL}]`)).toBe(true);
  });

  it('ends one to two AAC frames (21–43 ms) before the video, so the file never outlasts it', () => {
    for (let seconds = 3; seconds <= 15; seconds++) {
      const total = toneSamples([seconds]).reduce((a, b) => a + b, 0);
      expect(total % 1024).toBe(0);
      expect(total).toBeLessThanOrEqual(seconds * 48_000 - 1024);
      expect(total).toBeGreaterThan(seconds * 48_000 - 2048);
    }
  });

  it('changes pitch at every cut', () => {
    for (let i = 0; i < 12; i++) expect(shotPitchHz(i + 1)).not.toBe(shotPitchHz(i));
  });

  it('refuses no shots and empty shots', () => {
    expect(() => toneBedGraph([])).toThrow(RangeError);
    expect(() => toneBedGraph([3, 0])).toThrow(/shot 2/);
  });
});
