import type { Size } from './types.ts';

/** Dynamic mask colours, distinct in hue and readable over photos at half opacity. */
export const DYNAMIC_COLORS = ['#ff4d6d', '#3a86ff', '#2ec27e', '#ffbe0b', '#b15cff', '#00c2c7'] as const;
/** The static mask's list swatch colour; on the canvas it is hatched (STATIC_HATCH) instead. */
export const STATIC_COLOR = '#94a3b8';

/**
 * The static mask on the canvas: diagonal stripes, near-white and near-black, so one of the two always
 * stands out, over a night sky as over snow (a flat grey vanished on dark pictures). Also the list's
 * swatch, as a CSS gradient.
 */
export const STATIC_HATCH = { light: '#f8fafc', dark: '#0f172a' } as const;

/**
 * Stripe width in the frame's own pixels: about 1/128 of its longer side, so at "Fit" the stripes are a
 * few screen pixels wide whatever the frame's size (fixed image pixels would shimmer on a 4096² frame).
 */
export function hatchBand(size: Size): number {
  return Math.max(3, Math.round(Math.max(size.width, size.height) / 128));
}

/** Whether image pixel (x, y) is on a light stripe: stripes run bottom-left to top-right, `band` wide along x. */
export function onLightStripe(x: number, y: number, band: number): boolean {
  return Math.floor((x + y) / band) % 2 === 0;
}

/** The first palette colour no existing dynamic mask uses (so a deleted mask's colour is reused). */
export function nextDynamicColor(used: readonly string[]): string {
  return (
    DYNAMIC_COLORS.find((c) => !used.includes(c)) ?? DYNAMIC_COLORS[used.length % DYNAMIC_COLORS.length]!
  );
}

export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return [255, 255, 255];
  return [Number.parseInt(m[1]!, 16), Number.parseInt(m[2]!, 16), Number.parseInt(m[3]!, 16)];
}

/** WCAG relative luminance of a #rrggbb colour (0 black … 1 white). */
export function luminance(hex: string): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = hexToRgb(hex).map(lin) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two colours (1 … 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
