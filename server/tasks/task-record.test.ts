import { describe, expect, it } from 'vitest';
import { taskRecord } from '../testing/task-records.ts';
import { toStudioTask } from './task-record.ts';

describe('toStudioTask: shots and the price list figure', () => {
  it('a kling-v3 pro 12 s storyboard with sound: 3 shots, 12 s × 1.2 units/s', () => {
    const record = taskRecord('t1', {
      kind: 'image2video',
      model: 'kling-v3',
      mode: 'pro',
      duration: '12',
      request: {
        model_name: 'kling-v3',
        mode: 'pro',
        duration: '12',
        sound: 'on',
        multi_shot: true,
        shot_type: 'customize',
        multi_prompt: [
          { index: 1, prompt: 'a', duration: '4' },
          { index: 2, prompt: 'b', duration: '5' },
          { index: 3, prompt: 'c', duration: '3' },
        ],
        image: 'input:image',
      },
    });
    const task = toStudioTask(record);
    expect(task.shots).toBe(3);
    expect(task.price).toEqual({ units: 14.4, basis: '12 s × 1.2 units/s with sound' });
  });

  it('a single-shot silent kling-v2-6 std 5 s video: no shots, 1.5 units', () => {
    const task = toStudioTask(
      taskRecord('t1', {
        kind: 'image2video',
        model: 'kling-v2-6',
        mode: 'std',
        duration: '5',
        request: { model_name: 'kling-v2-6', mode: 'std', duration: '5', image: 'input:image' },
      }),
    );
    expect(task.shots).toBeNull();
    expect(task.price).toEqual({ units: 1.5, basis: '5 s × 0.3 units/s' });
  });

  it('motion control is priced from its reference, billed in whole seconds rounded up', () => {
    const task = toStudioTask(
      taskRecord('t1', {
        kind: 'motion-control',
        model: 'kling-v2-6',
        mode: 'std',
        duration: '4.0',
        motion: 'reference',
        request: {
          model_name: 'kling-v2-6',
          mode: 'std',
          image_url: 'input:image_url',
          video_url: 'upload:abcdefgh-1234',
          character_orientation: 'video',
        },
        reference: {
          format: 'mp4',
          width: 480,
          height: 360,
          bytes: 1000,
          durationMs: 4024,
          source: 'upload',
          file: 'reference.mp4',
          hasAudio: true,
        },
      }),
    );
    expect(task.shots).toBeNull();
    expect(task.price).toEqual({ units: 2.5, basis: '5 s × 0.5 units/s' });
  });
});
