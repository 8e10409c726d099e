import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_NAMES, MODELS, withRetiredModels } from '../../contract/capabilities/matrix.ts';
import { MOTION_CONTROL_MODELS } from '../../contract/capabilities/motion-control.ts';
import { LIMITS } from '../../contract/limits.ts';
import {
  IMAGE2VIDEO_PRICES,
  MOTION_CONTROL_UNITS_PER_SECOND,
  PRICE_SOURCE,
} from '../../contract/pricing/prices.ts';
import { capabilitiesSchema } from '../../contract/schemas/studio-api.ts';
import { type Studio, startStudio, withSim } from '../testing/studio-harness.ts';

/** GET /api/capabilities on a real studio: the shape the web parses, and the operator's settings in it. */
const ctx = withSim();
let plain: Studio;
let configured: Studio;
beforeAll(async () => {
  plain = await startStudio(ctx.sim);
  configured = await startStudio(ctx.sim, {
    env: { RETIRED_MODELS: 'kling-v1-5, kling-v2-1', USD_PER_UNIT: '0.2' },
  });
});
afterAll(async () => {
  await plain?.close();
  await configured?.close();
});

const capabilities = async (s: Studio) => {
  const res = await s.fetch('/api/capabilities');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return capabilitiesSchema.parse(await res.json());
};
const json = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('GET /api/capabilities', () => {
  it('serves the contract’s map, limits, motion control and prices, parsed by the schema the web uses', async () => {
    const body = await capabilities(plain);
    expect(body).toEqual(
      json({
        models: MODELS,
        limits: LIMITS,
        motionControl: MOTION_CONTROL_MODELS,
        prices: {
          image2video: IMAGE2VIDEO_PRICES,
          motionControl: MOTION_CONTROL_UNITS_PER_SECOND,
          source: PRICE_SOURCE,
          usdPerUnit: 0.14,
        },
      }),
    );
    // Nothing retired by default; the legacy models say so with their note.
    expect(MODEL_NAMES.filter((m) => body.models[m].lifecycle.status === 'retired')).toEqual([]);
    expect(body.models['kling-v1-5'].lifecycle).toEqual({
      status: 'legacy',
      note: 'reported retired on 2026-09-15; may fail on your account',
      date: '2026-09-15',
    });
    expect(body.models['kling-v3'].durations).toHaveLength(13);
    expect(body.models['kling-v3'].modes).toEqual(['std', 'pro', '4k']);
  });

  it('marks RETIRED_MODELS retired with their note, and carries USD_PER_UNIT', async () => {
    const body = await capabilities(configured);
    expect(body.models).toEqual(json(withRetiredModels(MODELS, ['kling-v1-5', 'kling-v2-1'])));
    expect(MODEL_NAMES.filter((m) => body.models[m].lifecycle.status === 'retired')).toEqual([
      'kling-v1-5',
      'kling-v2-1',
    ]);
    expect(body.models['kling-v2-1'].lifecycle).toEqual({
      status: 'retired',
      note: 'Kling no longer offers kling-v2-1; pick another',
    });
    // Everything else as the contract has it.
    expect(body.models['kling-v1']).toEqual(json(MODELS['kling-v1']));
    expect(body.prices.usdPerUnit).toBe(0.2);
    expect(body.prices.image2video).toEqual(json(IMAGE2VIDEO_PRICES));
  });

  it('the schema refuses a map that is not the contract’s shape', async () => {
    const body = await (await plain.fetch('/api/capabilities')).json();
    expect(capabilitiesSchema.safeParse(body).success).toBe(true);
    const { 'kling-v3': _gone, ...fewer } = body.models;
    expect(capabilitiesSchema.safeParse({ ...body, models: fewer }).success).toBe(false);
    const badLifecycle = { ...body.models['kling-v1'], lifecycle: { status: 'sunset' } };
    expect(
      capabilitiesSchema.safeParse({ ...body, models: { ...body.models, 'kling-v1': badLifecycle } }).success,
    ).toBe(false);
    expect(capabilitiesSchema.safeParse({ ...body, prices: { ...body.prices, usdPerUnit: 0 } }).success).toBe(
      false,
    );
  });
});
