import sharp from 'sharp';
import { beforeEach, describe, expect, it } from 'vitest';
import { validateRequest } from '../../../../contract/rules/validate-request.ts';
import { jpegImageBase64 } from '../../../../contract/testing/test-images.ts';
import {
  addDynamicMask,
  beginStroke,
  commitPath,
  resetMotionBrush,
  selectStatic,
  setBrushSize,
  setImageSize,
} from './actions.ts';
import { getBitmap } from './bitmaps.ts';
import { buildMotionBrushFields, motionBrushViolations } from './export-fields.ts';
import { loadMotionBrush } from './load-fields.ts';
import { useMotionBrushStore } from './store.ts';

const size = { width: 800, height: 600 };

function dab(x: number, y: number) {
  const s = beginStroke('paint', { x, y })!;
  s.commit();
  return s.maskId;
}

async function decode(b64: string) {
  const png = Buffer.from(b64, 'base64');
  const meta = await sharp(png).metadata();
  const px = await sharp(png).extractChannel(0).raw().toBuffer();
  return { meta, at: (x: number, y: number) => px[y * meta.width! + x]! };
}

beforeEach(() => {
  resetMotionBrush();
  setImageSize(size);
  setBrushSize(60);
});

describe('buildMotionBrushFields', () => {
  it('sends each mask as a binary PNG at the frame size and paths in API space', async () => {
    selectStatic();
    dab(700, 500);
    addDynamicMask();
    const id = dab(100, 500);
    commitPath(
      id,
      [],
      [
        { x: 100, y: 500 },
        { x: 700, y: 100 },
      ],
    );
    const fields = await buildMotionBrushFields(size);
    expect(fields.static_mask).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const stat = await decode(fields.static_mask!);
    expect([stat.meta.width, stat.meta.height]).toEqual([800, 600]);
    expect(stat.at(700, 500)).toBe(255);
    expect(stat.at(100, 500)).toBe(0);
    const dyn = await decode(fields.dynamic_masks![0]!.mask);
    expect([dyn.meta.width, dyn.meta.height]).toEqual([800, 600]);
    expect(dyn.at(100, 500)).toBe(255);
    expect(dyn.at(700, 500)).toBe(0);
    // Lower left → upper right in image space is small y → large y in Kling's bottom-left space.
    expect(fields.dynamic_masks![0]!.trajectories).toEqual([
      { x: 100, y: 100 },
      { x: 700, y: 500 },
    ]);
    // And the contract agrees with the whole request.
    const img = jpegImageBase64(800, 600, { color: { r: 0x33, g: 0x44, b: 0x55 } });
    const { violations } = validateRequest({
      model_name: 'kling-v1',
      mode: 'std',
      duration: '5',
      image: img,
      ...fields,
    });
    expect(violations).toEqual([]);
  });

  it('leaves out empty masks and dynamic masks without a path', async () => {
    selectStatic();
    addDynamicMask();
    dab(100, 100);
    expect(await buildMotionBrushFields(size)).toEqual({});
  });
});

describe('motionBrushViolations', () => {
  it('flags nothing painted, paint without a path, and a path without paint', () => {
    expect(motionBrushViolations().map((v) => v.rule)).toEqual(['motion_brush_empty']);
    const a = addDynamicMask()!;
    dab(100, 100);
    const b = addDynamicMask()!;
    commitPath(
      b,
      [],
      [
        { x: 1, y: 1 },
        { x: 2, y: 2 },
      ],
    );
    expect(motionBrushViolations()).toEqual([
      expect.objectContaining({ field: 'dynamic_masks[0].trajectories', rule: 'trajectory_too_short' }),
      expect.objectContaining({ field: 'dynamic_masks[1].mask', rule: 'mask_empty' }),
    ]);
    commitPath(
      a,
      [],
      [
        { x: 1, y: 1 },
        { x: 2, y: 2 },
      ],
    );
    expect(motionBrushViolations().map((v) => v.field)).toEqual(['dynamic_masks[1].mask']);
    expect(motionBrushViolations()[0]!.message).toMatch(/^Dynamic mask 2: /);
  });
});

describe('loadMotionBrush (remix)', () => {
  it('restores masks and paths from a request built by the editor', async () => {
    selectStatic();
    dab(400, 300);
    addDynamicMask();
    const id = dab(100, 500);
    const path = [
      { x: 100, y: 500 },
      { x: 400, y: 250 },
      { x: 700, y: 100 },
    ];
    commitPath(id, [], path);
    const fields = await buildMotionBrushFields(size);
    const before = getBitmap(id)!.data.slice();
    resetMotionBrush();
    await loadMotionBrush(fields, size);
    const { masks } = useMotionBrushStore.getState();
    expect(masks.map((m) => m.kind)).toEqual(['static', 'dynamic']);
    expect(masks[1]!.path).toEqual(path);
    expect(Buffer.compare(getBitmap(masks[1]!.id)!.data, before)).toBe(0);
    expect(await buildMotionBrushFields(size)).toEqual(fields);
  });
});
