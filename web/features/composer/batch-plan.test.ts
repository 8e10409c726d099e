import { describe, expect, it } from 'vitest';
import { BATCH_LIMITS } from '../../../contract/schemas/studio-api.ts';
import { toCreateRequest } from '../../editor/to-create-request.ts';
import { draftWith, pngFrame } from '../../testing/draft.ts';
import {
  BATCH_BODY_BYTES,
  type BatchPicture,
  batchBody,
  batchOffer,
  namePictures,
  otherSizes,
  planBatch,
  refusalLines,
  takesBody,
} from './batch-plan.ts';

const picture = (width: number, height: number, name = `p-${width}x${height}.png`): BatchPicture =>
  pngFrame(width, height, name);
const hd = { width: 1280, height: 720 };

describe('the same-size rule', () => {
  it('names the pictures whose size differs from the start frame, by index', () => {
    const pictures = [picture(1280, 720), picture(1024, 768), picture(1280, 720), picture(720, 1280)];
    expect(otherSizes(pictures, hd)).toEqual([1, 3]);
    expect(
      otherSizes(
        pictures.filter((p) => p.facts.width === 1280),
        hd,
      ),
    ).toEqual([]);
  });

  it('with no start frame, no picture fits a mask', () => {
    expect(otherSizes([picture(1280, 720)], undefined)).toEqual([0]);
  });
});

describe('planBatch', () => {
  const five = batchOffer(
    Array.from({ length: 5 }, (_, i) => picture(1280, 720, `shot-${i + 1}.png`)),
    [],
  );

  it('says what will happen: one task each, and the total', () => {
    expect(planBatch(five, { motionTab: 'camera', start: hd, unitsEach: 3.5 })).toEqual({
      count: 5,
      summary: '5 pictures · one task each · 17.5 units',
      units: 17.5,
    });
    expect(planBatch(five, { motionTab: 'frames', start: hd }).summary).toBe('5 pictures · one task each');
  });

  it('the Motion brush: masks go only when every picture has the start frame size; else it refuses, naming them', () => {
    expect(planBatch(five, { motionTab: 'brush', start: hd, unitsEach: 1 }).blocked).toBeUndefined();
    const mixed = batchOffer([picture(1280, 720, 'a.png'), picture(1024, 768, 'b.png')], []);
    expect(planBatch(mixed, { motionTab: 'brush', start: hd }).blocked).toBe(
      "The motion brush's masks fit the start frame's 1280 × 720 px; picture 2 (b.png) has another size. Drop pictures of that size, or use another Motion tab.",
    );
    // Other tabs send no masks: mixed sizes are fine there.
    expect(planBatch(mixed, { motionTab: 'camera', start: hd }).blocked).toBeUndefined();
  });

  it('the Reference video tab takes no batch; nothing usable refuses too', () => {
    expect(planBatch(five, { motionTab: 'reference', start: hd }).blocked).toMatch(
      /^Reference video makes one task/,
    );
    expect(planBatch(batchOffer([], []), { motionTab: 'camera', start: hd }).blocked).toMatch(
      /each was refused/,
    );
  });

  it('keeps the first 20 and names the rest', () => {
    const many = Array.from({ length: BATCH_LIMITS.frames + 2 }, (_, i) => picture(400, 400, `n${i}.png`));
    const offer = batchOffer(many, []);
    expect(offer.pictures).toHaveLength(BATCH_LIMITS.frames);
    expect(offer.leftOut).toEqual(['n20.png', 'n21.png']);
  });

  it('a batch too large for one body is held back in words', () => {
    const big = { ...picture(1280, 720), base64: 'A'.repeat(BATCH_BODY_BYTES / 2 + 1) };
    expect(planBatch(batchOffer([big, big], []), { motionTab: 'camera', start: hd }).blocked).toMatch(
      /^The 2 pictures add up to \d+ MB; one batch carries up to 44 MB/,
    );
  });
});

describe('the batch bodies', () => {
  const draft = draftWith({
    frames: { start: pngFrame(1280, 720), end: null },
    model: 'kling-v1-5',
    mode: 'pro',
    prompt: 'slow pan',
    motionTab: 'camera',
    camera: { type: 'simple', config: { horizontal: 0, vertical: 0, pan: 5, tilt: 0, roll: 0, zoom: 0 } },
  });
  const request = { ...toCreateRequest(draft), external_task_id: 'mine' };

  it('pictures: the shared request without its own frame or id, one image per picture, in order', () => {
    const pictures = [picture(1280, 720, 'a.png'), picture(1024, 768, 'b.png')];
    const body = batchBody(request, pictures);
    expect(body.images).toEqual(pictures.map((p) => p.base64));
    expect(body.request).not.toHaveProperty('image');
    expect(body.request).not.toHaveProperty('external_task_id');
    expect(body.request).toMatchObject({ model_name: 'kling-v1-5', camera_control: request.camera_control });
    expect(body).not.toHaveProperty('count');
  });

  it('takes: the whole request (its frame included) and the count', () => {
    const body = takesBody(request, 3);
    expect(body).toEqual({ request: { ...request, external_task_id: undefined }, count: 3 });
    expect(body.request).not.toHaveProperty('external_task_id');
    expect(body.request.image).toBe(request.image);
  });
});

describe('refusals, by the picture the creator knows', () => {
  const names = ['beach.png', 'tiny.png', 'wide.jpg'];

  it('each refused index with its name, its message without the field label, and the rule', () => {
    const lines = refusalLines(
      [
        {
          index: 1,
          error: {
            code: 'invalid_request',
            message: 'The request is not valid',
            issues: [
              {
                field: 'image',
                rule: 'image_too_small',
                message: 'Start frame (image): 200×200 px is below 300 px',
              },
            ],
          },
        },
        { index: 2, error: { code: 'image_unreadable', message: 'The picture could not be decoded' } },
      ],
      names,
    );
    expect(lines.map(({ text, rule, index }) => ({ text, rule, index }))).toEqual([
      { text: 'Picture 2 (tiny.png): 200×200 px is below 300 px', rule: 'image_too_small', index: 1 },
      { text: 'Picture 3 (wide.jpg): The picture could not be decoded', rule: 'image_unreadable', index: 2 },
    ]);
  });

  it("the studio's images[i] become the picture's name", () => {
    expect(namePictures('None of the 3 pictures can be used: Picture 2 (images[1]): too small', names)).toBe(
      'None of the 3 pictures can be used: Picture 2 (tiny.png): too small',
    );
    expect(namePictures('Picture 9 (images[8]): x', names)).toBe('Picture 9 (images[8]): x');
  });
});
