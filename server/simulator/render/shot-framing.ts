/**
 * Multi-shot framings. A kling-v3 multi-shot video is several shots of the same start frame; each
 * shot frames it differently (wide, a tighter crop, a close-up…) and moves differently, so every shot
 * boundary is a hard cut anyone can see, and a test can count the cuts from the frames alone.
 * All framings are axis-aligned crops that stay inside the picture: no edge ever shows.
 */
import type { SourceQuad } from './camera.ts';
import { type FrameRange, frameProgress, type Size } from './frame-geometry.ts';

/** What one frame shows: the picture magnified by `scale`, the view centred on (x, y) (0..1, y down). */
export interface Framing {
  scale: number;
  x: number;
  y: number;
}

/** A shot's move: its first frame shows `from`, its last `to`. */
export interface ShotMove {
  name: string;
  from: Framing;
  to: Framing;
}

/**
 * Neighbours differ in magnification by a third or more, or look at another part of the picture,
 * so the jump at a cut dwarfs any frame-to-frame change inside a shot. Shot 1 starts on the untouched
 * start frame, as a single-shot render does.
 */
export const SHOT_MOVES: readonly ShotMove[] = [
  { name: 'wide push-in', from: { scale: 1, x: 0.5, y: 0.5 }, to: { scale: 1.1, x: 0.5, y: 0.5 } },
  { name: 'crop panning left', from: { scale: 1.6, x: 0.62, y: 0.45 }, to: { scale: 1.6, x: 0.38, y: 0.45 } },
  {
    name: 'close-up zooming out',
    from: { scale: 2.5, x: 0.58, y: 0.38 },
    to: { scale: 2, x: 0.58, y: 0.38 },
  },
  { name: 'medium tilting up', from: { scale: 1.4, x: 0.4, y: 0.62 }, to: { scale: 1.4, x: 0.4, y: 0.4 } },
  { name: 'close-up pushing in', from: { scale: 2, x: 0.68, y: 0.6 }, to: { scale: 2.6, x: 0.68, y: 0.6 } },
  { name: 'wide panning right', from: { scale: 1.2, x: 0.42, y: 0.5 }, to: { scale: 1.2, x: 0.58, y: 0.5 } },
];

/**
 * The move of shot `index` (0-based). Past the table (Kling allows six shots) it cycles through all
 * but the first: the last entry cut back to the first would be too gentle a jump.
 */
export function shotMove(index: number): ShotMove {
  if (!(Number.isInteger(index) && index >= 0)) throw new RangeError(`shot index must be ≥ 0, got ${index}`);
  if (index < SHOT_MOVES.length) return SHOT_MOVES[index]!;
  return SHOT_MOVES[1 + ((index - 1) % (SHOT_MOVES.length - 1))]!;
}

/** The framing at progress `t` (0..1): magnification eased geometrically, as a zoom looks even. */
export function framingAt(move: ShotMove, t: number): Framing {
  const p = Math.min(1, Math.max(0, t));
  const { from, to } = move;
  return {
    scale: from.scale * (to.scale / from.scale) ** p,
    x: from.x + (to.x - from.x) * p,
    y: from.y + (to.y - from.y) * p,
  };
}

/** The source rectangle a framing shows, kept inside the picture, as perspective's source quad. */
export function framingQuad(framing: Framing, size: Size): SourceQuad {
  const scale = Math.max(1, framing.scale);
  const halfW = size.width / (2 * scale);
  const halfH = size.height / (2 * scale);
  const clamp = (value: number, half: number, extent: number) =>
    Math.min(extent - half, Math.max(half, value));
  const cx = clamp(framing.x * size.width, halfW, size.width);
  const cy = clamp(framing.y * size.height, halfH, size.height);
  const left = cx - halfW;
  const right = cx + halfW;
  const top = cy - halfH;
  const bottom = cy + halfH;
  return {
    topLeft: { x: left, y: top },
    topRight: { x: right, y: top },
    bottomLeft: { x: left, y: bottom },
    bottomRight: { x: right, y: bottom },
  };
}

/** One source quad per frame of the whole video: each shot runs its own move over its own frames. */
export function multiShotQuads(ranges: readonly FrameRange[], size: Size): SourceQuad[] {
  return ranges.flatMap((range, index) => {
    const move = shotMove(index);
    const frames = range.to - range.from;
    return Array.from({ length: frames }, (_, i) =>
      framingQuad(framingAt(move, frameProgress(i, frames)), size),
    );
  });
}
