import { describe, expect, it } from 'vitest';
import { resubmission } from './resubmission.ts';

describe('resubmission', () => {
  it('keeps every input, swaps in the new external id and drops the old callback', () => {
    const stored = {
      model_name: 'kling-v1-5' as const,
      mode: 'pro' as const,
      image: 'iVBORw0KGgo=',
      prompt: 'pan left',
      camera_control: {
        type: 'simple' as const,
        config: { horizontal: 0, vertical: 0, pan: -5, tilt: 0, roll: 0, zoom: 0 },
      },
      external_task_id: 'old',
      callback_url: 'https://studio.example/api/callbacks/kling/secret',
    };
    expect(resubmission(stored, 'new')).toEqual({
      model_name: 'kling-v1-5',
      mode: 'pro',
      image: 'iVBORw0KGgo=',
      prompt: 'pan left',
      camera_control: stored.camera_control,
      external_task_id: 'new',
    });
  });
});
