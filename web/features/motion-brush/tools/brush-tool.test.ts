import { describe, expect, it } from 'vitest';
import { brushIdle, brushTool } from './brush-tool.ts';

const down = (x: number, y: number, button = 0) =>
  ({ type: 'down', pointerId: 1, at: { x, y }, button, alt: false }) as const;

describe('brush tool', () => {
  describe('when idle', () => {
    it('starts painting on a primary-button press, with a dab where it landed', () => {
      const [s, fx] = brushTool(brushIdle, down(5, 6));
      expect(s).toEqual({ kind: 'painting', pointerId: 1, last: { x: 5, y: 6 } });
      expect(fx).toEqual([{ type: 'begin', at: { x: 5, y: 6 } }]);
    });
    it('ignores other buttons, moves and releases', () => {
      expect(brushTool(brushIdle, down(5, 6, 1))).toEqual([brushIdle, []]);
      expect(brushTool(brushIdle, { type: 'move', pointerId: 1, points: [{ x: 1, y: 1 }] })).toEqual([
        brushIdle,
        [],
      ]);
      expect(brushTool(brushIdle, { type: 'up', pointerId: 1 })).toEqual([brushIdle, []]);
    });
  });

  describe('when painting', () => {
    const [painting] = brushTool(brushIdle, down(0, 0));
    it('paints only the new segments, one per coalesced sample', () => {
      const [s, fx] = brushTool(painting, {
        type: 'move',
        pointerId: 1,
        points: [
          { x: 1, y: 0 },
          { x: 2, y: 1 },
        ],
      });
      expect(fx).toEqual([
        { type: 'segment', from: { x: 0, y: 0 }, to: { x: 1, y: 0 } },
        { type: 'segment', from: { x: 1, y: 0 }, to: { x: 2, y: 1 } },
      ]);
      expect(s.kind === 'painting' && s.last).toEqual({ x: 2, y: 1 });
    });
    it('ignores another pointer (a palm, a second pen)', () => {
      expect(brushTool(painting, { type: 'move', pointerId: 2, points: [{ x: 9, y: 9 }] })).toEqual([
        painting,
        [],
      ]);
      expect(brushTool(painting, { type: 'up', pointerId: 2 })).toEqual([painting, []]);
    });
    it('commits on release and reverts on cancel, back to idle', () => {
      expect(brushTool(painting, { type: 'up', pointerId: 1 })).toEqual([brushIdle, [{ type: 'commit' }]]);
      expect(brushTool(painting, { type: 'cancel' })).toEqual([brushIdle, [{ type: 'revert' }]]);
    });
  });
});
