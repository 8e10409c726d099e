import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from './simulator.ts';
import { b64, png, startTestSim, type TestSim } from './test-support.ts';

/**
 * kling-v3's fields on `POST /v1/videos/image2video` (kling-2026.md §1, kling-api.md §2), over HTTP: every
 * storyboard rule answers 400/1201 naming the field with nothing created; Kling's own spellings pass.
 * The rules themselves are contract/'s (tested there); here the simulator applies them as Kling does.
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

describe('kling-v3 create validation', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ concurrency: 100 });
  });
  afterAll(() => sim.stop());

  /** A refusal names the field in its message, and no task comes of it. */
  async function expect1201(body: unknown, ...fragments: string[]) {
    const before = sim.sim.stats.tasksCreated;
    const { status, json } = await sim.create(body);
    expect({ status, code: json.code }).toEqual({ status: 400, code: 1201 });
    expect(json).not.toHaveProperty('data');
    for (const f of fragments) expect(json.message).toContain(f);
    expect(sim.sim.stats.tasksCreated).toBe(before);
    return json.message;
  }

  it('accepts every v3 field together: 3–15 s, modes, a storyboard, elements as number or digits', async () => {
    for (const body of [
      v3({ duration: '3' }),
      v3({ duration: '15', mode: 'pro' }),
      v3({ duration: '7', mode: '4k', sound: 'on' }),
      storyboard('12', [shot(1, '4'), shot(2, '5'), shot(3, '3')], {
        element_list: [{ element_id: 42 }, { element_id: '9007199254740993' }],
      }),
      v3({ multi_shot: true, shot_type: 'intelligence', prompt: 'a chase across rooftops', duration: '9' }),
    ]) {
      const { json } = await sim.create(body);
      expect({ code: json.code, message: json.message }).toEqual({ code: 0, message: 'SUCCEED' });
    }
  });

  it('reads multi_shot "true" and "false" as Kling\'s own curl example sends them', async () => {
    expect((await sim.create(storyboard('6', [shot(1, '6')], { multi_shot: 'true' }))).json.code).toBe(0);
    expect((await sim.create(v3({ multi_shot: 'false' }))).json.code).toBe(0);
    // "false" is false: shots alongside it are refused as without multi_shot.
    await expect1201(
      storyboard('6', [shot(1, '6')], { multi_shot: 'false' }),
      'needs multi_shot set to true',
    );
    await expect1201(v3({ multi_shot: 'yes' }), 'multi_shot');
    await expect1201(v3({ element_list: [{ element_id: '12a' }] }), 'element_list');
  });

  it('refuses each storyboard rule with 1201 naming the field', async () => {
    await expect1201(
      storyboard('10', [shot(1, '4'), shot(2, '4')]),
      'Storyboard (multi_prompt)',
      '8 s in all',
      '10 s',
    );
    await expect1201(
      storyboard(
        '7',
        [1, 2, 3, 4, 5, 6, 7].map((i) => shot(i, '1')),
      ),
      'Storyboard (multi_prompt)',
      '7 shots',
    );
    await expect1201(
      storyboard('5', [shot(1, '5', 'x'.repeat(513))]),
      'Shot 1 prompt (multi_prompt[0].prompt)',
      '513',
    );
    await expect1201(storyboard('5', [shot(1, '2'), shot(3, '3')]), 'multi_prompt[1].index');
    await expect1201(
      storyboard('5', [shot(1, '5'), shot(2, '0')]),
      'Shot 2 length (multi_prompt[1].duration)',
    );
    await expect1201(storyboard('5', [shot(1, '2.5'), shot(2, '2.5')]), 'multi_prompt[0].duration');
    await expect1201(v3({ multi_shot: true }), 'shot_type');
    await expect1201(v3({ multi_shot: true, shot_type: 'customize' }), 'multi_prompt');
    await expect1201(v3({ multi_shot: true, shot_type: 'intelligence' }), 'Prompt');
    await expect1201(v3({ shot_type: 'customize' }), 'shot_type', 'multi_shot');
    await expect1201(v3({ element_list: [1, 2, 3, 4].map((id) => ({ element_id: id })) }), 'element_list');
  });

  it('refuses what kling-v3 and its neighbours do not take', async () => {
    // Voices are not kling-v3's (and never with elements): the first problem named is the voices'.
    await expect1201(
      v3({ element_list: [{ element_id: 1 }], voice_list: [{ voice_id: 'v1' }] }),
      'voice_list',
    );
    await expect1201({ model_name: 'kling-v2-6', image: img, mode: '4k' }, 'Mode', '4K', 'Kling 3.0');
    await expect1201(v3({ duration: '16' }), 'Duration', '"16"');
    await expect1201({ model_name: 'kling-v2-6', image: img, duration: '7' }, 'Duration');
    await expect1201(
      { model_name: 'kling-v2-6', image: img, multi_shot: true, shot_type: 'intelligence', prompt: 'p' },
      'multi_shot',
    );
    await expect1201(storyboard('5', [shot(1, '5')], { mode: '4k' }), 'multi_shot', '4K');
  });

  it('records the refused bodies as received, each answered 1201', async () => {
    const res = await fetch(`${sim.baseUrl}/__sim/requests`);
    const all = (await res.json()) as RecordedRequest[];
    const sevenShots = all.find(
      (r) => ((r.body as { multi_prompt?: unknown[] }).multi_prompt?.length ?? 0) === 7,
    );
    expect(sevenShots?.response).toMatchObject({ status: 400, code: 1201 });
  });
});
