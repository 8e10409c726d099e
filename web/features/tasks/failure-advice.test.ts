import { describe, expect, it } from 'vitest';
import { adviseOnFailure } from './failure-advice.ts';

describe('adviseOnFailure', () => {
  it.each([
    // The simulator's `[sim:fail]` message (Kling's real wording), as the studio's tracker reports it.
    [
      'Kling could not make this video: Failure to pass the risk control system',
      /content check/,
      /another start frame/,
    ],
    ['Trigger the content security policy of the platform', /content check/, /reword the prompt/],
    ['Resolution of static_mask and dynamic_masks.mask must be identical', /masks/, /repaint the masks/],
    ['Aspect ratio must match the input image', /start or end frame/, /1:2.5 and 2.5:1/],
    ['Resource pack depleted or expired', /run out of credit/, /Top up/],
    ['Task timed out', /too long/, /Generate again/],
  ])('%s', (message, summary, change) => {
    const advice = adviseOnFailure(message);
    expect(advice.summary).toMatch(summary);
    expect(advice.change).toMatch(change);
  });

  it('says so when Kling gave no reason, and still suggests a next step', () => {
    expect(adviseOnFailure(null).summary).toMatch(/did not say why/);
    expect(adviseOnFailure('  ').change).toMatch(/Remix/);
  });

  it('falls back to a generic next step for messages it does not know, adding no summary', () => {
    expect(adviseOnFailure('Kling could not make this video: Something odd')).toEqual({
      change: expect.stringMatching(/Remix.*generate again/),
    });
  });
});
