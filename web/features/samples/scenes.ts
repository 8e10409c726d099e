/**
 * Built-in start frames, drawn procedurally so the project owns every pixel (no stock images). Each scene
 * is deterministic (seeded), so a sample is byte-for-byte the same on every machine.
 */
export interface Scene {
  id: string;
  name: string;
  width: number;
  height: number;
  /** A prompt that suits the picture, offered when the creator's prompt is empty. */
  prompt: string;
  draw(ctx: CanvasRenderingContext2D, w: number, h: number, rnd: () => number): void;
}

/** mulberry32: a tiny seeded PRNG. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gradient(ctx: CanvasRenderingContext2D, y0: number, y1: number, stops: [number, string][]) {
  const g = ctx.createLinearGradient(0, y0, 0, y1);
  for (const [at, color] of stops) g.addColorStop(at, color);
  return g;
}

/** A jagged ridge line across the width, filled down to `bottom`. */
function ridge(
  ctx: CanvasRenderingContext2D,
  w: number,
  base: number,
  amp: number,
  bottom: number,
  fill: string | CanvasGradient,
  rnd: () => number,
) {
  ctx.beginPath();
  ctx.moveTo(0, bottom);
  let y = base;
  for (let x = 0; x <= w; x += w / 48) {
    y = Math.max(base - amp, Math.min(base + amp * 0.3, y + (rnd() - 0.55) * amp * 0.5));
    ctx.lineTo(x, y);
  }
  ctx.lineTo(w, bottom);
  ctx.closePath();
  ctx.fillStyle = fill;
  ctx.fill();
}

const lake: Scene = {
  id: 'alpine-lake',
  name: 'Alpine lake at dusk',
  width: 1280,
  height: 720,
  prompt: 'Clouds drift over the peaks as gentle ripples cross the lake; the sun sinks slowly',
  draw(ctx, w, h, rnd) {
    const horizon = h * 0.58;
    ctx.fillStyle = gradient(ctx, 0, horizon, [
      [0, '#1d2b64'],
      [0.55, '#b0527a'],
      [1, '#f8b26a'],
    ]);
    ctx.fillRect(0, 0, w, horizon);
    // Sun with a soft glow.
    const sun = ctx.createRadialGradient(w * 0.64, horizon - 60, 10, w * 0.64, horizon - 60, 220);
    sun.addColorStop(0, 'rgba(255,240,200,1)');
    sun.addColorStop(0.18, 'rgba(255,214,150,0.9)');
    sun.addColorStop(1, 'rgba(255,180,120,0)');
    ctx.fillStyle = sun;
    ctx.fillRect(0, 0, w, horizon);
    // Wispy clouds.
    ctx.fillStyle = 'rgba(255,220,230,0.18)';
    for (let i = 0; i < 9; i++) {
      ctx.beginPath();
      ctx.ellipse(
        rnd() * w,
        60 + rnd() * horizon * 0.45,
        120 + rnd() * 160,
        10 + rnd() * 14,
        0,
        0,
        Math.PI * 2,
      );
      ctx.fill();
    }
    ridge(ctx, w, horizon - 150, 140, horizon, '#4b3a6b', rnd);
    ridge(ctx, w, horizon - 70, 90, horizon, '#2e2850', rnd);
    ridge(ctx, w, horizon - 20, 40, horizon, '#1c1a36', rnd);
    // The lake mirrors the sky, darker.
    ctx.fillStyle = gradient(ctx, horizon, h, [
      [0, '#d98a6a'],
      [0.35, '#6b3f6e'],
      [1, '#141a3a'],
    ]);
    ctx.fillRect(0, horizon, w, h - horizon);
    ctx.fillStyle = 'rgba(255,230,190,0.55)';
    for (let i = 0; i < 60; i++) {
      const y = horizon + 6 + (i / 60) ** 1.6 * (h - horizon);
      const len = 40 + rnd() * 160 * (1 - i / 60);
      ctx.fillRect(w * 0.64 - len / 2 + (rnd() - 0.5) * 40, y, len, 2);
    }
    // Pines on the near shore.
    ctx.fillStyle = '#0b0d1c';
    for (let i = 0; i < 14; i++) {
      const x = (i < 7 ? 0 : w * 0.78) + rnd() * w * 0.22;
      const top = h * (0.5 + rnd() * 0.12);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x - 22 - rnd() * 12, h * 0.7);
      ctx.lineTo(x + 22 + rnd() * 12, h * 0.7);
      ctx.closePath();
      ctx.fill();
    }
    ctx.fillRect(0, h * 0.7, w * 0.24, 4);
    ctx.fillRect(w * 0.76, h * 0.7, w * 0.24, 4);
  },
};

const city: Scene = {
  id: 'neon-city',
  name: 'Neon city at night',
  width: 1280,
  height: 720,
  prompt: 'Rain falls on the neon street, reflections shimmer and signs flicker',
  draw(ctx, w, h, rnd) {
    const street = h * 0.72;
    ctx.fillStyle = gradient(ctx, 0, street, [
      [0, '#050816'],
      [1, '#2a1050'],
    ]);
    ctx.fillRect(0, 0, w, street);
    for (let i = 0; i < 120; i++) {
      ctx.fillStyle = `rgba(255,255,255,${0.2 + rnd() * 0.6})`;
      ctx.fillRect(rnd() * w, rnd() * street * 0.5, 1.5, 1.5);
    }
    ctx.fillStyle = '#f3f0d8';
    ctx.beginPath();
    ctx.arc(w * 0.82, h * 0.14, 38, 0, Math.PI * 2);
    ctx.fill();
    // Two rows of buildings, lit windows in the front row.
    const palette = ['#12122a', '#181836', '#1f1b40', '#0f1024'];
    for (const row of [0, 1]) {
      let x = -20;
      while (x < w) {
        const bw = 60 + rnd() * 110;
        const bh = (row === 0 ? 0.35 : 0.22) * h + rnd() * h * (row === 0 ? 0.25 : 0.3);
        ctx.fillStyle = palette[Math.floor(rnd() * palette.length)]!;
        ctx.fillRect(x, street - bh, bw, bh);
        if (row === 1)
          for (let wy = street - bh + 14; wy < street - 20; wy += 18)
            for (let wx = x + 8; wx < x + bw - 12; wx += 16)
              if (rnd() < 0.45) {
                ctx.fillStyle = rnd() < 0.7 ? '#ffd27a' : '#7ae0ff';
                ctx.fillRect(wx, wy, 8, 10);
              }
        x += bw + 4;
      }
    }
    // Neon signs.
    const signs: [number, number, string][] = [
      [0.18, 0.42, '#ff3ea5'],
      [0.52, 0.36, '#3ef2ff'],
      [0.74, 0.48, '#b6ff3e'],
    ];
    for (const [sx, sy, color] of signs) {
      ctx.shadowColor = color;
      ctx.shadowBlur = 24;
      ctx.fillStyle = color;
      ctx.fillRect(w * sx, h * sy, 90, 16);
      ctx.fillRect(w * sx + 36, h * sy - 40, 16, 40);
    }
    ctx.shadowBlur = 0;
    // Wet street with streaked reflections.
    ctx.fillStyle = gradient(ctx, street, h, [
      [0, '#1b1236'],
      [1, '#06050d'],
    ]);
    ctx.fillRect(0, street, w, h - street);
    for (const [sx, , color] of signs) {
      ctx.fillStyle = color;
      ctx.globalAlpha = 0.35;
      for (let y = street + 8; y < h; y += 6) ctx.fillRect(w * sx + (rnd() - 0.5) * 14, y, 90, 2);
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = 'rgba(180,200,255,0.25)';
    for (let i = 0; i < 80; i++) {
      const x = rnd() * w;
      const y = rnd() * h;
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x - 4, y + 16);
      ctx.stroke();
    }
  },
};

const lighthouse: Scene = {
  id: 'lighthouse',
  name: 'Lighthouse on the cliffs',
  width: 720,
  height: 1280,
  prompt: 'Waves crash against the cliffs while the lighthouse beam sweeps across the sky',
  draw(ctx, w, h, rnd) {
    const sea = h * 0.62;
    ctx.fillStyle = gradient(ctx, 0, sea, [
      [0, '#0e3b5c'],
      [0.6, '#4f8fb0'],
      [1, '#cfe3e8'],
    ]);
    ctx.fillRect(0, 0, w, sea);
    ctx.fillStyle = 'rgba(255,255,255,0.35)';
    for (let i = 0; i < 7; i++) {
      ctx.beginPath();
      ctx.ellipse(rnd() * w, 120 + rnd() * sea * 0.5, 90 + rnd() * 90, 18 + rnd() * 16, 0, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.fillStyle = gradient(ctx, sea, h, [
      [0, '#2c6e8f'],
      [1, '#0a2233'],
    ]);
    ctx.fillRect(0, sea, w, h - sea);
    ctx.strokeStyle = 'rgba(255,255,255,0.5)';
    ctx.lineWidth = 3;
    for (let y = sea + 20; y < h; y += 34) {
      ctx.beginPath();
      for (let x = 0; x <= w; x += 20) ctx.lineTo(x, y + Math.sin(x / 40 + y) * 5);
      ctx.stroke();
    }
    // The cliff.
    ctx.fillStyle = '#3b3a2f';
    ctx.beginPath();
    ctx.moveTo(w * 0.35, h);
    ctx.lineTo(w * 0.42, sea + 40);
    ctx.lineTo(w * 0.55, sea - 60);
    ctx.lineTo(w, sea - 90);
    ctx.lineTo(w, h);
    ctx.closePath();
    ctx.fill();
    ctx.fillStyle = '#4f6b3a';
    ctx.fillRect(w * 0.55, sea - 96, w * 0.45, 14);
    // The tower, striped, with its lamp and beam.
    const tx = w * 0.74;
    const top = sea - 520;
    ctx.fillStyle = '#f1efe6';
    ctx.beginPath();
    ctx.moveTo(tx - 46, sea - 90);
    ctx.lineTo(tx - 30, top);
    ctx.lineTo(tx + 30, top);
    ctx.lineTo(tx + 46, sea - 90);
    ctx.closePath();
    ctx.fill();
    ctx.fillStyle = '#c8342f';
    for (let i = 0; i < 4; i++) ctx.fillRect(tx - 44 + i * 4, top + 60 + i * 110, 88 - i * 8, 44);
    ctx.fillStyle = '#222';
    ctx.fillRect(tx - 40, top - 20, 80, 20);
    ctx.fillStyle = '#ffe680';
    ctx.fillRect(tx - 26, top - 70, 52, 50);
    ctx.fillStyle = '#222';
    ctx.beginPath();
    ctx.moveTo(tx - 34, top - 70);
    ctx.lineTo(tx, top - 104);
    ctx.lineTo(tx + 34, top - 70);
    ctx.fill();
    const beam = ctx.createLinearGradient(tx, top - 45, 0, top - 200);
    beam.addColorStop(0, 'rgba(255,240,170,0.7)');
    beam.addColorStop(1, 'rgba(255,240,170,0)');
    ctx.fillStyle = beam;
    ctx.beginPath();
    ctx.moveTo(tx, top - 45);
    ctx.lineTo(0, top - 260);
    ctx.lineTo(0, top - 120);
    ctx.closePath();
    ctx.fill();
  },
};

export const SCENES: readonly Scene[] = [lake, city, lighthouse];
