/**
 * Render timings on this machine: `npx tsx server/simulator/render/bench-render.ts`.
 * Uses a busy, grainy 2400x1350 JPEG (flat test images flatter x264) and reports each render's wall
 * time next to the clip's own length, how long the main thread was busy (all of the render's JavaScript),
 * the worst event-loop stall seen while it ran, and the CPU time ffmpeg used.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { type RenderJob, renderVideo } from './index.ts';

const size = { width: 2400, height: 1350 };

/** Deterministic pseudo-random numbers, so every run benchmarks the same picture. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function busyScene(): Promise<Buffer> {
  const next = random(7);
  const circles = Array.from({ length: 400 }, () => {
    const [r, g, b] = [next(), next(), next()].map((v) => Math.round(v * 255));
    return `<circle cx="${next() * size.width}" cy="${next() * size.height}" r="${10 + next() * 160}" fill="rgb(${r},${g},${b})" fill-opacity="${0.3 + next() * 0.6}"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}"><rect width="100%" height="100%" fill="#456"/>${circles}</svg>`;
  const grain = await sharp({
    create: {
      width: size.width,
      height: size.height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 12 },
    },
  })
    .png()
    .toBuffer();
  return sharp(Buffer.from(svg))
    .composite([{ input: grain, blend: 'overlay' }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

function circleMask(cx: number, cy: number, r: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}"><rect width="100%" height="100%" fill="black"/><circle cx="${cx}" cy="${cy}" r="${r}" fill="white"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const image = await busyScene();
const tail = await sharp(image).flop().toBuffer();
const dynamicMasks = [
  {
    mask: await circleMask(600, 900, 260),
    trajectories: [
      { x: 600, y: 450 },
      { x: 1100, y: 700 },
      { x: 1500, y: 600 },
    ],
  },
  {
    mask: await circleMask(1800, 400, 200),
    trajectories: [
      { x: 1800, y: 950 },
      { x: 1400, y: 1100 },
    ],
  },
];
const staticMask = await circleMask(1200, 675, 180);

type Case = Omit<RenderJob, 'outFile' | 'image'>;
const cases: Record<string, Case> = {
  '5 s std camera (zoom 5), 30 fps': {
    cameraControl: {
      type: 'simple',
      config: { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 5 },
    },
    fps: 30,
    durationSeconds: 5,
    quality: 'std',
  },
  '5 s std camera (roll -7), 30 fps': {
    cameraControl: {
      type: 'simple',
      config: { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: -7, zoom: 0 },
    },
    fps: 30,
    durationSeconds: 5,
    quality: 'std',
  },
  '5 s std push-in, 30 fps': { fps: 30, durationSeconds: 5, quality: 'std' },
  '5 s pro motion brush (2 dynamic + static), 30 fps': {
    dynamicMasks,
    staticMask,
    fps: 30,
    durationSeconds: 5,
    quality: 'pro',
  },
  '5 s pro camera (right_turn_forward), 30 fps': {
    cameraControl: { type: 'right_turn_forward' },
    fps: 30,
    durationSeconds: 5,
    quality: 'pro',
  },
  '5 s pro start→end cross-fade, 24 fps': { imageTail: tail, fps: 24, durationSeconds: 5, quality: 'pro' },
  '10 s pro camera (down_back), 24 fps': {
    cameraControl: { type: 'down_back' },
    fps: 24,
    durationSeconds: 10,
    quality: 'pro',
  },
};

/**
 * CPU seconds used so far by this process's finished children (ffmpeg), from /proc on Linux. Unlike
 * wall time it hardly changes when other work shares the machine; null elsewhere.
 */
function childCpuSeconds(): number | null {
  try {
    // Fields after the ")" that ends the command name: cutime and cstime are the 14th and 15th.
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

function readLoad(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

const dir = await mkdtemp(join(tmpdir(), 'render-bench-'));
console.log(
  `load average ${readLoad()}; ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
);
try {
  for (const [name, job] of Object.entries(cases)) {
    const stall = monitorEventLoopDelay({ resolution: 5 });
    stall.enable();
    const cpuBefore = childCpuSeconds();
    const loopBefore = performance.eventLoopUtilization();
    const started = performance.now();
    const result = await renderVideo({ ...job, image, outFile: join(dir, 'bench.mp4') });
    const seconds = (performance.now() - started) / 1000;
    stall.disable();
    // Time the main thread spent running code rather than waiting: all of a render's JavaScript.
    const busyMs = performance.eventLoopUtilization(loopBefore).active;
    const cpuAfter = childCpuSeconds();
    const cpu =
      cpuBefore !== null && cpuAfter !== null ? `, ffmpeg CPU ${(cpuAfter - cpuBefore).toFixed(2)} s` : '';
    console.log(
      `${name.padEnd(50)} ${seconds.toFixed(2)} s for ${result.durationSeconds} s of ${result.width}x${result.height}` +
        ` (${(result.frames / seconds).toFixed(0)} fps), main thread busy ${busyMs.toFixed(0)} ms, worst stall ${(stall.max / 1e6).toFixed(0)} ms${cpu}`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
