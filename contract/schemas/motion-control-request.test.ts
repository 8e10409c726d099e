import { describe, expect, it } from 'vitest';
import {
  isUploadRef,
  motionControlRequestSchema,
  strictMotionControlRequestSchema,
  UPLOAD_REF_PREFIX,
  uploadIdOf,
  uploadRef,
} from './motion-control-request.ts';

describe('upload refs (`upload:<id>` in video_url on the studio API)', () => {
  const id = '0f8e2b6c-1d2a-4c3b-9e8f-7a6b5c4d3e2f';

  it('round-trips an id', () => {
    expect(uploadRef(id)).toBe(`upload:${id}`);
    expect(UPLOAD_REF_PREFIX).toBe('upload:');
    expect(isUploadRef(uploadRef(id))).toBe(true);
    expect(uploadIdOf(uploadRef(id))).toBe(id);
  });

  it.each([
    ['no prefix', id],
    ['too short an id', 'upload:abc'],
    ['too long an id', `upload:${'a'.repeat(65)}`],
    ['a path in the id', 'upload:../../etc/passwd'],
    ['a space', 'upload:abcd efgh'],
    ['an uppercase prefix', `UPLOAD:${id}`],
    ['a URL', 'https://example.com/upload:abcdefgh'],
  ])('refuses %s', (_, value) => {
    expect(isUploadRef(value)).toBe(false);
    expect(uploadIdOf(value)).toBeUndefined();
  });

  it('ids of 8 and 64 characters are the bounds', () => {
    expect(isUploadRef(`upload:${'a'.repeat(8)}`)).toBe(true);
    expect(isUploadRef(`upload:${'a'.repeat(64)}`)).toBe(true);
    expect(isUploadRef(`upload:${'a'.repeat(7)}`)).toBe(false);
  });
});

describe('motionControlRequestSchema', () => {
  const body = {
    image_url: 'x',
    video_url: 'https://a.example/v.mp4',
    character_orientation: 'image',
    mode: 'pro',
  };

  it('injects no default Kling would apply itself', () => {
    expect(motionControlRequestSchema.parse(body)).toEqual(body);
  });

  it('the lenient schema strips unknown keys, the strict one refuses them', () => {
    expect(motionControlRequestSchema.parse({ ...body, duration: '5' })).toEqual(body);
    expect(strictMotionControlRequestSchema.safeParse({ ...body, duration: '5' }).success).toBe(false);
  });
});
