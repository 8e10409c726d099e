import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelList, retiredModels } from './retired-models.ts';
import { b64, png, startTestSim, type TestSim } from './test-support.ts';

/** Models the simulator is told Kling no longer offers: refused on both endpoints, in the configured words. */
let img: string;
beforeAll(async () => {
  img = b64(await png(640, 360));
});

const v3 = (extra: Record<string, unknown> = {}) => ({ model_name: 'kling-v3', image: img, ...extra });

describe('retired models', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ retiredModels: ['kling-v1', 'kling-v1-5'] });
  });
  afterAll(() => sim.stop());

  it('answers 404/1203 "model not found" for a retired model, named or by default, and creates nothing', async () => {
    for (const body of [
      { model_name: 'kling-v1-5', image: img, mode: 'pro' },
      // No model_name is Kling's default, kling-v1: retired as well.
      { image: img },
      // Refused as retired before its other faults are looked at.
      { model_name: 'kling-v1', duration: '7' },
    ]) {
      const { status, json } = await sim.create(body);
      expect({ status, code: json.code, message: json.message }).toEqual({
        status: 404,
        code: 1203,
        message: 'model not found',
      });
      expect(json).not.toHaveProperty('data');
    }
    expect(sim.sim.stats.tasksCreated).toBe(0);
    expect(sim.sim.requests.at(-1)?.response).toMatchObject({ status: 404, code: 1203 });
  });

  it('leaves the other models alone', async () => {
    const { json } = await sim.create({ model_name: 'kling-v2-6', image: img });
    expect(json.code).toBe(0);
    expect((await sim.create(v3())).json.code).toBe(0);
  });

  it('refuses a retired model on the motion-control endpoint too', async () => {
    const local = await startTestSim({ retiredModels: ['kling-v2-6'] });
    try {
      const { status, json } = await local.createMotion({
        model_name: 'kling-v2-6',
        image_url: img,
        video_url: 'http://127.0.0.1:9/never-fetched.mp4',
        character_orientation: 'video',
        mode: 'std',
      });
      expect({ status, code: json.code, message: json.message }).toEqual({
        status: 404,
        code: 1203,
        message: 'model not found',
      });
    } finally {
      await local.stop();
    }
  });

  it('answers with the configured code (its HTTP status from KLING_CODES) and message', async () => {
    const local = await startTestSim({
      retiredModels: ['kling-v2-1'],
      retiredCode: 1201,
      retiredMessage: 'model kling-v2-1 is offline',
    });
    try {
      const { status, json } = await local.create({ model_name: 'kling-v2-1', image: img });
      expect({ status, code: json.code, message: json.message }).toEqual({
        status: 400,
        code: 1201,
        message: 'model kling-v2-1 is offline',
      });
    } finally {
      await local.stop();
    }
  });

  it("refuses a code that is not Kling's, and an empty message falls back to the default", () => {
    expect(() => retiredModels({ retiredModels: ['kling-v1'], retiredCode: 4242 })).toThrow(/retiredCode/);
    expect(retiredModels({ retiredMessage: '' })).toMatchObject({ code: 1203, message: 'model not found' });
    expect(parseModelList(' kling-v1, kling-v1-5 ,,')).toEqual(['kling-v1', 'kling-v1-5']);
  });
});
