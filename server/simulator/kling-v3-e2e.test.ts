import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesSource, readVideoFacts } from '../../contract/video/container-header.ts';
import { detectCuts } from './render/cut-detect.ts';
import { probeVideo } from './render/index.ts';
import { scenePng } from './render/render-test-support.ts';
import type { WireTask } from './task-store.ts';
import { startTestSim, type TestSim } from './test-support.ts';

/**
 * A kling-v3 storyboard with sound, through the simulator with the real renderer: three 1 s shots in std
 * come back as a 3 s 1280×720 H.264 video at 24 fps, with an AAC track and two hard cuts where the shots
 * meet (counted from the decoded frames).
 */
describe('kling-v3 multi-shot with audio, really rendered', () => {
  let sim: TestSim;
  let outDir: string;
  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'sim-v3-e2e-'));
    // The real renderer (startTestSim's default is a fake).
    const { defaultRender } = await import('./default-render.ts');
    sim = await startTestSim({ render: defaultRender, phaseMs: 20 });
  });
  afterAll(async () => {
    await sim.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('renders 3 s, 1280×720, 24 fps, an audio track and a cut at each shot boundary', async () => {
    // Textured enough that each shot's framing looks different: coloured discs spread over the frame.
    const picture = await scenePng({ width: 640, height: 360 }, [
      { cx: 110, cy: 90, r: 60, fill: '#d03020' },
      { cx: 520, cy: 100, r: 70, fill: '#2040d0' },
      { cx: 320, cy: 250, r: 80, fill: '#f0e040' },
      { cx: 80, cy: 300, r: 40, fill: '#20a040' },
      { cx: 580, cy: 310, r: 35, fill: '#ffffff' },
    ]);
    const { json } = await sim.create({
      model_name: 'kling-v3',
      mode: 'std',
      duration: '3',
      sound: 'on',
      image: picture.toString('base64'),
      multi_shot: 'true',
      shot_type: 'customize',
      multi_prompt: [1, 2, 3].map((index) => ({ index, prompt: `shot ${index}`, duration: '1' })),
    });
    expect(json.message).toBe('SUCCEED');
    const task = await sim.waitFor((json.data as WireTask).task_id, undefined, 120_000);
    expect(task.task_status_msg).toBe('');
    expect(task.task_status).toBe('succeed');
    const video = task.task_result.videos![0]!;
    expect(video.duration).toBe('3.1');
    expect(task.final_unit_deduction).toBe('2.7'); // std with native audio: 0.9 units/s

    const res = await fetch(video.url);
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const file = join(outDir, 'v3.mp4');
    writeFileSync(file, bytes);

    const probe = await probeVideo(file);
    expect(probe).toMatchObject({ codec: 'h264', width: 1280, height: 720, fps: 24, frames: 72 });
    expect(probe.durationSeconds).toBeCloseTo(3, 1);
    const facts = await readVideoFacts(bytesSource(readFileSync(file)));
    expect(facts).toMatchObject({ format: 'mp4', width: 1280, height: 720, hasAudio: true });

    const { cuts } = await detectCuts(file);
    expect(cuts.map((c) => c.frame)).toEqual([24, 48]);
  }, 180_000);
});
