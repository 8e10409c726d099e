import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiError, taskEnvelopeSchema, taskListSchema } from '../../contract/schemas/studio-api.ts';
import { b64, png, type Studio, startStudio, waitForTask, withSim } from '../testing/studio-harness.ts';
import { studioErrorFromUpstream, UpstreamError } from '../upstream/upstream-error.ts';

/**
 * POST /api/tasks with issue 15's fields, on loopback against the simulator: kling-v3 storyboards sent as
 * given; the API corpus refused with every violation and nothing sent; a model the operator retired
 * (RETIRED_MODELS) refused before sending, for image2video and motion control; a model Kling itself says it
 * no longer has (the simulator's retiredModels: 1203) explained in the same words.
 */
const ctx = withSim({ retiredModels: ['kling-v2-5-turbo'], resetBeforeEach: true });
let studio: Studio;
/** A second studio whose operator retired kling-v3 (which motion control uses too). */
let v3Retired: Studio;
let image: string;
beforeAll(async () => {
  image = b64(await png(640, 360));
  studio = await startStudio(ctx.sim, { env: { RETIRED_MODELS: 'kling-v1-5,kling-v2-1' } });
  v3Retired = await startStudio(ctx.sim, { env: { RETIRED_MODELS: 'kling-v3' } });
});
afterAll(async () => {
  await studio?.close();
  await v3Retired?.close();
});

const v3 = () => ({ model_name: 'kling-v3', mode: 'pro', duration: '12', image });
const v26 = () => ({ model_name: 'kling-v2-6', mode: 'pro', duration: '5', image });
const shots = (...seconds: number[]) => ({
  multi_shot: true,
  shot_type: 'customize',
  multi_prompt: seconds.map((s, i) => ({ index: i + 1, prompt: `shot ${i + 1}`, duration: String(s) })),
});
const elements = (n: number) => ({
  element_list: Array.from({ length: n }, (_, i) => ({ element_id: 100 + i })),
});
const voices = { sound: 'on', voice_list: [{ voice_id: 'v1' }] };

async function refused(res: Response): Promise<ApiError['error']> {
  const json = (await res.json()) as ApiError;
  expect(res.status, JSON.stringify(json)).toBe(400);
  return json.error;
}
const rules = (e: ApiError['error']) => (e.issues ?? []).map((i) => `${i.field} ${i.rule}`).sort();
const taskTotal = async (s: Studio) =>
  taskListSchema.parse(await (await s.fetch('/api/tasks?pageSize=100')).json()).tasks.length;

describe('a kling-v3 storyboard', () => {
  it('3 shots in 12 s with start and end frames and elements: accepted and sent with its fields as given', async () => {
    const multi_prompt = [
      { index: 1, prompt: 'a wide shot of the harbour at dawn', duration: '3' },
      { index: 2, prompt: 'the camera pushes in on the boat', duration: '4' },
      { index: 3, prompt: 'a close-up of the sail filling', duration: '5' },
    ];
    const body = {
      ...v3(),
      image_tail: image,
      multi_shot: true,
      shot_type: 'customize',
      multi_prompt,
      element_list: [{ element_id: 123 }, { element_id: '9876543210' }],
    };
    const res = await studio.create(body);
    const json = await res.json();
    expect(res.status, JSON.stringify(json)).toBe(201);
    const { task } = taskEnvelopeSchema.parse(json);
    expect(task).toMatchObject({ model: 'kling-v3', mode: 'pro', duration: '12', shots: 3 });

    await waitForTask(studio, task.id, (t) => t.status !== 'queued');
    const received = await ctx.sim.requests();
    expect(received).toHaveLength(1);
    const sent = received[0]!.body;
    expect(sent).toMatchObject({
      model_name: 'kling-v3',
      mode: 'pro',
      duration: '12',
      multi_shot: true,
      shot_type: 'customize',
      multi_prompt,
      element_list: [{ element_id: 123 }, { element_id: '9876543210' }],
    });
    expect(sent.image).toBe(image);
    expect(sent.image_tail).toBe(image);

    // Kling bills it by the price table: 12 s × 0.8 units/s (pro, silent).
    const done = await waitForTask(studio, task.id);
    expect(done.status).toBe('succeed');
    expect(done.units).toBe('9.6');
    expect(done.shots).toBe(3);
  });

  it('intelligence with a prompt, 15 s std with sound: accepted and sent', async () => {
    const body = {
      ...v3(),
      mode: 'std',
      duration: '15',
      sound: 'on',
      multi_shot: true,
      shot_type: 'intelligence',
      prompt: 'a chase over rooftops',
    };
    const res = await studio.create(body);
    expect(res.status).toBe(201);
    await waitForTask(studio, (await res.json()).task.id, (t) => t.status !== 'queued');
    const [sent] = await ctx.sim.requests();
    expect(sent?.body).toMatchObject({
      multi_shot: true,
      shot_type: 'intelligence',
      duration: '15',
      sound: 'on',
      prompt: 'a chase over rooftops',
    });
    expect(sent?.body).not.toHaveProperty('multi_prompt');
  });
});

/** [name, body, the violations expected (field and rule)] */
const CORPUS: [string, () => Record<string, unknown>, string[]][] = [
  [
    'shots of 4 + 4 + 3 in a 12 s video',
    () => ({ ...v3(), ...shots(4, 4, 3) }),
    ['multi_prompt shot_durations_sum'],
  ],
  [
    '7 shots',
    () => ({ ...v3(), duration: '14', ...shots(2, 2, 2, 2, 2, 2, 2) }),
    ['multi_prompt multi_prompt_too_many'],
  ],
  [
    'a 513-character shot prompt',
    () => ({ ...v3(), ...shots(12), multi_prompt: [{ index: 1, prompt: 'a'.repeat(513), duration: '12' }] }),
    ['multi_prompt[0].prompt shot_prompt_too_long'],
  ],
  [
    'elements with voices (kling-v2-6)',
    () => ({ ...v26(), ...elements(1), ...voices }),
    ['element_list elements_with_voices', 'element_list feature_unsupported'],
  ],
  ['4 elements', () => ({ ...v3(), ...elements(4) }), ['element_list element_list_too_many']],
  ['4k on kling-v2-6', () => ({ ...v26(), mode: '4k' }), ['mode mode_unsupported']],
  ['duration "16"', () => ({ ...v3(), duration: '16' }), ['duration enum']],
  ['multi_shot on kling-v2-6', () => ({ ...v26(), ...shots(5) }), ['multi_shot feature_unsupported']],
  [
    'intelligence without a prompt',
    () => ({ ...v3(), multi_shot: true, shot_type: 'intelligence' }),
    ['prompt prompt_required'],
  ],
  [
    'shots without multi_shot',
    () => ({ ...v3(), multi_prompt: shots(12).multi_prompt }),
    ['multi_prompt needs_multi_shot'],
  ],
  [
    'shots indexed 1, 3, 2',
    () => ({
      ...v3(),
      ...shots(4, 4, 4),
      multi_prompt: [1, 3, 2].map((index) => ({ index, prompt: `shot ${index}`, duration: '4' })),
    }),
    ['multi_prompt[1].index shot_index_order', 'multi_prompt[2].index shot_index_order'],
  ],
  [
    'all at once: 7 shots summing 14 s in 12 s, a 513-character prompt, 4 elements and voices',
    () => ({
      ...v3(),
      ...shots(2, 2, 2, 2, 2, 2, 2),
      multi_prompt: shots(2, 2, 2, 2, 2, 2, 2).multi_prompt.map((s, i) =>
        i === 1 ? { ...s, prompt: 'a'.repeat(513) } : s,
      ),
      ...elements(4),
      ...voices,
    }),
    [
      'element_list element_list_too_many',
      'element_list elements_with_voices',
      'multi_prompt multi_prompt_too_many',
      'multi_prompt shot_durations_sum',
      'multi_prompt[1].prompt shot_prompt_too_long',
      'voice_list feature_unsupported',
    ],
  ],
];

describe('the API corpus: refused with every violation, nothing sent upstream', () => {
  it.each(CORPUS)('%s', async (_name, body, expected) => {
    const before = await taskTotal(studio);
    const error = await refused(await studio.create(body()));
    expect(error.code).toBe('validation_failed');
    expect(rules(error)).toEqual([...expected].sort());
    // The first problem's words are the top-level message, led by the field's label.
    expect(error.message.startsWith(error.issues![0]!.message)).toBe(true);
    expect(await ctx.sim.requests()).toEqual([]);
    expect(await taskTotal(studio)).toBe(before);
  });
});

describe('retired models', () => {
  it('RETIRED_MODELS: refused on model_name in the contract’s words, with nothing sent or stored', async () => {
    const before = await taskTotal(studio);
    const error = await refused(
      await studio.create({ model_name: 'kling-v1-5', mode: 'pro', duration: '5', image }),
    );
    expect(error.issues).toEqual([
      {
        field: 'model_name',
        rule: 'model_retired',
        message: 'Model: Kling no longer offers kling-v1-5; pick another',
      },
    ]);
    // With the request's other problems, all at once.
    const both = await refused(await studio.create({ model_name: 'kling-v2-1', duration: '16', image }));
    expect(rules(both)).toEqual(['duration enum', 'model_name model_retired']);
    expect(await ctx.sim.requests()).toEqual([]);
    expect(await taskTotal(studio)).toBe(before);
    // The models not retired still go through on the same studio.
    const ok = await studio.create({ ...v26() });
    expect(ok.status).toBe(201);
    expect(
      (await waitForTask(studio, (await ok.json()).task.id, (t) => t.status !== 'queued')).status,
    ).not.toBe('failed');
  });

  it('RETIRED_MODELS covers motion control, said with the request’s other problems', async () => {
    const res = await v3Retired.fetch('/api/motion-control', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model_name: 'kling-v3',
        image_url: image,
        video_url: 'upload:00000000-0000-0000-0000-000000000000',
        character_orientation: 'video',
        mode: 'std',
      }),
    });
    const error = await refused(res);
    expect(error.issues).toContainEqual({
      field: 'model_name',
      rule: 'model_retired',
      message: 'Model: Kling no longer offers kling-v3; pick another',
    });
    const v3 = await refused(
      await v3Retired.create({ ...shots(12), model_name: 'kling-v3', mode: 'pro', duration: '12', image }),
    );
    expect(rules(v3)).toEqual(['model_name model_retired']);
    expect(await ctx.sim.requests()).toEqual([]);
  });

  it('Kling answering a create with 1203: the task fails "Kling no longer offers <model>; pick another"', async () => {
    const res = await studio.create({ model_name: 'kling-v2-5-turbo', mode: 'std', duration: '5', image });
    expect(res.status).toBe(201);
    const { task } = taskEnvelopeSchema.parse(await res.json());
    // Only Kling could know: the studio queued it, and the task ends with Kling's answer in the words the
    // composer uses for a retired model.
    const failed = await waitForTask(studio, task.id);
    expect(failed).toMatchObject({
      status: 'failed',
      statusMessage: 'Kling no longer offers kling-v2-5-turbo; pick another',
      klingTaskId: null,
      units: null,
    });
    // It was sent once, answered 404/1203, and nothing is left to track or pay for.
    const received = await ctx.sim.requests();
    expect(received).toHaveLength(1);
    expect(received[0]?.response).toMatchObject({ status: 404, code: 1203 });
  });

  it('1203 outside a create keeps its generic meaning', () => {
    const e = new UpstreamError('api', 'resource not found', { code: 1203, httpStatus: 404 });
    expect(studioErrorFromUpstream(e).code).toBe('upstream_rejected');
    expect(studioErrorFromUpstream(e, undefined, { model: 'kling-v1' }).message).toBe(
      'Kling no longer offers kling-v1; pick another',
    );
  });
});
