import { describe, expect, it } from 'vitest';
import { panIdle, panTool, pinch } from './pan-tool.ts';

const v = { scale: 0.5, offsetX: 10, offsetY: 20 };

describe('pan tool', () => {
  it('idle → panning → idle, moving the view by the pointer delta', () => {
    const [s1] = panTool(panIdle, { type: 'down', pointerId: 3, at: { x: 100, y: 100 } }, v);
    expect(s1.kind).toBe('panning');
    const [s2, v2] = panTool(s1, { type: 'move', pointerId: 3, at: { x: 130, y: 90 } }, v);
    expect(v2).toEqual({ scale: 0.5, offsetX: 40, offsetY: 10 });
    expect(panTool(s2, { type: 'up', pointerId: 3 }, v2)[0]).toEqual(panIdle);
  });

  it('pinch zooms about the fingers and keeps the image point under them', () => {
    const next = pinch(
      v,
      [
        { x: 100, y: 100 },
        { x: 200, y: 100 },
      ],
      [
        { x: 50, y: 100 },
        { x: 250, y: 100 },
      ],
      0.01,
    );
    expect(next.scale).toBeCloseTo(1);
    // The midpoint (150, 100) showed image point ((150−10)/0.5, (100−20)/0.5) = (280, 160); still does.
    expect((150 - next.offsetX) / next.scale).toBeCloseTo(280);
    expect((100 - next.offsetY) / next.scale).toBeCloseTo(160);
  });
});
