/** Dynamic mask colours, distinct in hue and readable over photos at half opacity. */
export const DYNAMIC_COLORS = ['#ff4d6d', '#3a86ff', '#2ec27e', '#ffbe0b', '#b15cff', '#00c2c7'] as const;
export const STATIC_COLOR = '#94a3b8';

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
