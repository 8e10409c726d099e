import { LIMITS } from '../../../../contract/limits.ts';
import { formatAspect } from '../../../../contract/rules/image-rules.ts';

/**
 * The maths of "Crop to fit": a box in the picture's own pixels (integers, top-left origin) locked to an
 * aspect ratio the rules allow, never leaving the picture. The dialog only renders and moves it.
 */
export interface Size {
  width: number;
  height: number;
}
export interface Box extends Size {
  x: number;
  y: number;
}

/** A shape the crop box can be locked to. */
export interface CropGuide {
  /** "2.5:1", "16:9", …, as the creator reads it. */
  label: string;
  /** width / height */
  ratio: number;
  /** The allowed shape nearest the picture's own: where the box starts. */
  nearest: boolean;
}

/** The same comparisons image-rules.ts makes, so a box this module calls allowed passes the rules. */
export const ratioAllowed = (width: number, height: number) =>
  width / height >= LIMITS.aspectMin && width / height <= LIMITS.aspectMax;

/** The allowed aspect ratio nearest the picture's: its own when allowed, else the limit it is past. */
export function nearestAllowedRatio({ width, height }: Size): number {
  return Math.min(LIMITS.aspectMax, Math.max(LIMITS.aspectMin, width / height));
}

const PRESETS: readonly { label: string; ratio: number }[] = [
  { label: '16:9', ratio: 16 / 9 },
  { label: '9:16', ratio: 9 / 16 },
  { label: '1:1', ratio: 1 },
];

/** The nearest allowed shape first, then the common ones (16:9, 9:16, 1:1) that are not the same shape. */
export function cropGuides(picture: Size): CropGuide[] {
  const ratio = nearestAllowedRatio(picture);
  const nearest: CropGuide = {
    label: ratio >= 1 ? formatAspect(ratio, 1) : formatAspect(1, 1 / ratio),
    ratio,
    nearest: true,
  };
  const same = (r: number) => Math.abs(r - ratio) / ratio < 0.005;
  return [nearest, ...PRESETS.filter((p) => !same(p.ratio)).map((p) => ({ ...p, nearest: false }))];
}

/**
 * The largest box of `ratio` inside the picture, rounded to whole pixels and, when the rounding crosses a
 * limit of the rules, trimmed by a pixel so that the cropped picture is accepted.
 */
export function largestBox(picture: Size, ratio: number): Size {
  let width = picture.width;
  let height = Math.round(width / ratio);
  if (height > picture.height) {
    height = picture.height;
    width = Math.min(picture.width, Math.round(height * ratio));
  }
  width = Math.max(1, width);
  height = Math.max(1, height);
  while (width / height > LIMITS.aspectMax && width > 1) width--;
  while (width / height < LIMITS.aspectMin && height > 1) height--;
  return { width, height };
}

/**
 * How small the box may be made (a fraction of the largest box): both sides stay at the rules' minimum,
 * so a crop never turns a picture that is big enough into one that is too small.
 */
export function minBoxScale(picture: Size, ratio: number): number {
  const full = largestBox(picture, ratio);
  return Math.min(1, Math.max(LIMITS.imageMinSide / full.width, LIMITS.imageMinSide / full.height));
}

/** Moves the box back inside the picture (it is never larger than the picture). */
export function clampBox(box: Box, picture: Size): Box {
  const width = Math.min(box.width, picture.width);
  const height = Math.min(box.height, picture.height);
  return {
    width,
    height,
    x: Math.round(Math.min(Math.max(0, box.x), picture.width - width)),
    y: Math.round(Math.min(Math.max(0, box.y), picture.height - height)),
  };
}

/**
 * The box of `ratio` at `scale` of the largest (clamped to minBoxScale…1), centred as near `center` as
 * the picture allows. Without a centre, the picture's middle.
 */
export function boxAt(
  picture: Size,
  ratio: number,
  scale = 1,
  center: { x: number; y: number } = { x: picture.width / 2, y: picture.height / 2 },
): Box {
  const full = largestBox(picture, ratio);
  const s = Math.min(1, Math.max(minBoxScale(picture, ratio), scale));
  const size = s === 1 ? full : largestBox({ width: full.width * s, height: full.height * s }, ratio);
  return clampBox({ ...size, x: center.x - size.width / 2, y: center.y - size.height / 2 }, picture);
}

/** The box moved by (dx, dy) picture pixels, kept inside. */
export function moveBox(box: Box, dx: number, dy: number, picture: Size): Box {
  return clampBox({ ...box, x: box.x + dx, y: box.y + dy }, picture);
}

export const boxCenter = (box: Box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });

/** Picture pixels an arrow key moves the box: 1 % of the picture's longer side (10 % with Shift). */
export function arrowStep(picture: Size, fast: boolean): number {
  const step = Math.max(1, Math.round(Math.max(picture.width, picture.height) / 100));
  return fast ? step * 10 : step;
}
