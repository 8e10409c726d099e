import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planShots } from './shot-plan.ts';
import type { WireTask } from './task-store.ts';
import { b64, fakeRenderer, png, startTestSim, type TestSim } from './test-support.ts';

/**
 * kling-v3 tasks over HTTP with a fake renderer: what the renderer is handed (exact duration, quality per
 * mode, the storyboard's or the simulator's own shots, an audio track whenever sound is on), the duration
 * the result reports and the units billed (the contract's image2videoUnits).
 */
let img: string;
beforeAll(async () => {
  img = b64(await png(640, 360));
});

const shot = (index: number, duration: string, prompt = `shot ${index}`) => ({ index, prompt, duration });
const v3 = (extra: Record<string, unknown> = {}) => ({ model_name: 'kling-v3', image: img, ...extra });
const storyboard = (
  duration: string,
  shots: ReturnType<typeof shot>[],
  extra: Record<string, unknown> = {},
) => v3({ duration, multi_shot: true, shot_type: 'customize', multi_prompt: shots, ...extra });

describe('kling-v3 renders and bills', () => {
  let sim: TestSim;
  const renderer = fakeRenderer();
  beforeAll(async () => {
    sim = await startTestSim({ render: renderer.render, concurrency: 100 });
  });
  afterAll(() => sim.stop());

  async function run(body: Record<string, unknown>) {
    const { json } = await sim.create(body);
    expect(json.message).toBe('SUCCEED');
    const task = await sim.waitFor((json.data as WireTask).task_id);
    expect(task.task_status).toBe('succeed');
    const job = renderer.jobs.find((j) => j.outFile.includes(task.task_result.videos![0]!.id));
    return { task, job: job! };
  }

  it('renders the exact duration at 24 fps, the quality of the mode, and reports duration + 0.1', async () => {
    const cases = [
      [{ duration: '3' }, 'std', 3, '3.1'],
      [{ duration: '7', mode: 'pro' }, 'pro', 7, '7.1'],
      [{ duration: '12', mode: '4k' }, '4k', 12, '12.1'],
      [{ duration: '15', mode: 'std' }, 'std', 15, '15.1'],
    ] as const;
    for (const [extra, quality, seconds, reported] of cases) {
      const { task, job } = await run(v3(extra));
      expect(job).toMatchObject({ fps: 24, durationSeconds: seconds, quality, audio: false });
      expect(job.shots).toBeUndefined();
      expect(task.task_result.videos![0]!.duration).toBe(reported);
    }
  });

  it('hands a customized storyboard over as its shots, in order, and "true" as well as true', async () => {
    const { job } = await run(storyboard('12', [shot(1, '4'), shot(2, '5'), shot(3, '3')]));
    expect(job.shots).toEqual([{ durationSeconds: 4 }, { durationSeconds: 5 }, { durationSeconds: 3 }]);
    expect(job.durationSeconds).toBe(12);
    const asString = await run(
      storyboard('3', [shot(1, '1'), shot(2, '1'), shot(3, '1')], { multi_shot: 'true' }),
    );
    expect(asString.job.shots).toEqual([
      { durationSeconds: 1 },
      { durationSeconds: 1 },
      { durationSeconds: 1 },
    ]);
    // With an end frame the storyboard still arrives whole.
    const tail = b64(await png(640, 360, { r: 250, g: 250, b: 0 }));
    const framed = await run(storyboard('6', [shot(1, '2'), shot(2, '4')], { image_tail: tail }));
    expect(framed.job.shots).toEqual([{ durationSeconds: 2 }, { durationSeconds: 4 }]);
    expect(framed.job.imageTail?.equals(Buffer.from(tail, 'base64'))).toBe(true);
  });

  it('plans the shots itself for intelligence: 2–3 whole-second shots adding up, the same every time', async () => {
    const body = v3({ multi_shot: true, shot_type: 'intelligence', prompt: 'a chase', duration: '10' });
    const first = await run(body);
    const again = await run(body);
    expect(first.job.shots).toEqual([{ durationSeconds: 4 }, { durationSeconds: 3 }, { durationSeconds: 3 }]);
    expect(again.job.shots).toEqual(first.job.shots);
    for (let seconds = 3; seconds <= 15; seconds++) {
      const plan = planShots(seconds).map((s) => s.durationSeconds);
      expect(plan.length).toBeGreaterThanOrEqual(2);
      expect(plan.length).toBeLessThanOrEqual(3);
      expect(plan.reduce((a, b) => a + b, 0)).toBe(seconds);
      for (const d of plan) expect(Number.isInteger(d) && d >= 1).toBe(true);
    }
  });

  it('asks for an audio track whenever sound is on: kling-v2-6 pro and kling-v3 native audio', async () => {
    expect((await run({ model_name: 'kling-v2-6', mode: 'pro', image: img, sound: 'on' })).job.audio).toBe(
      true,
    );
    expect((await run({ model_name: 'kling-v2-6', mode: 'pro', image: img, sound: 'off' })).job.audio).toBe(
      false,
    );
    expect((await run({ model_name: 'kling-v2-6', mode: 'pro', image: img })).job.audio).toBe(false);
    expect((await run(v3({ sound: 'on', duration: '8' }))).job.audio).toBe(true);
    const shots = await run(storyboard('3', [shot(1, '1'), shot(2, '2')], { sound: 'on' }));
    expect(shots.job).toMatchObject({ audio: true, shots: [{ durationSeconds: 1 }, { durationSeconds: 2 }] });
  });

  it('bills kling-v3 per second by mode and sound, as the 2026 price table says', async () => {
    const cases = [
      [{ duration: '5' }, '3'], // std 0.6/s
      [{ duration: '7' }, '4.2'],
      [{ duration: '7', sound: 'on' }, '6.3'], // std with native audio 0.9/s
      [{ duration: '10', mode: 'pro' }, '8'], // pro 0.8/s
      [{ duration: '10', mode: 'pro', sound: 'on' }, '12'], // pro with audio 1.2/s
      [{ duration: '5', mode: '4k' }, '15'], // 4k 3/s, sound or not
      [{ duration: '5', mode: '4k', sound: 'on' }, '15'],
      // Shots split the duration; they do not change the price.
      [
        {
          duration: '12',
          multi_shot: true,
          shot_type: 'customize',
          multi_prompt: [shot(1, '6'), shot(2, '6')],
        },
        '7.2',
      ],
    ] as const;
    for (const [extra, units] of cases) {
      const { task } = await run(v3(extra));
      expect({ extra, units: task.final_unit_deduction }).toEqual({ extra, units });
    }
    // kling-v2-6: sound 1.2/s in pro, voices 6 units per 5 s.
    expect(
      (await run({ model_name: 'kling-v2-6', mode: 'pro', image: img, sound: 'on' })).task
        .final_unit_deduction,
    ).toBe('6');
    const voiced = await run({
      model_name: 'kling-v2-6',
      mode: 'pro',
      duration: '10',
      image: img,
      sound: 'on',
      voice_list: [{ voice_id: 'v1' }],
      prompt: 'she says <<<voice_1>>> hello',
    });
    expect(voiced.task.final_unit_deduction).toBe('12');
  });
});
