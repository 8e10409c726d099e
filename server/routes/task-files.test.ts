import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { taskEnvelopeSchema } from '../../contract/schemas/studio-api.ts';
import { inputsDir } from '../inputs/input-files.ts';
import { b64, png, withStudio } from '../testing/studio-harness.ts';

// Every thumbnail decode goes through this spy, so the test counts real decodes, not answers.
const decodes = vi.hoisted(() => ({ count: 0 }));
vi.mock('../inputs/image-facts.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../inputs/image-facts.ts')>();
  return {
    ...actual,
    makeThumbnail: (bytes: Uint8Array) => {
      decodes.count++;
      return actual.makeThumbnail(bytes);
    },
  };
});

const ctx = withStudio();
let image: string;
beforeAll(async () => {
  image = b64(await png(640, 360));
});
beforeEach(() => {
  decodes.count = 0;
});

async function newTask(prompt: string): Promise<string> {
  const res = await ctx.studio.create({ image, prompt });
  expect(res.status).toBe(201);
  return taskEnvelopeSchema.parse(await res.json()).task.id;
}
const thumbnails = (id: string, n: number) =>
  Promise.all(Array.from({ length: n }, () => ctx.studio.fetch(`/api/tasks/${id}/thumbnail`)));

describe('GET /api/tasks/:id/thumbnail', () => {
  it('answers 20 parallel first requests from one decode', async () => {
    const id = await newTask('thumb once');
    const answers = await thumbnails(id, 20);
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    const bodies = await Promise.all(answers.map(async (r) => Buffer.from(await r.arrayBuffer())));
    for (const b of bodies) expect(b.equals(bodies[0]!)).toBe(true);
    expect(decodes.count).toBe(1);
    expect((await thumbnails(id, 1))[0]!.status).toBe(200);
    expect(decodes.count).toBe(1);
  });

  it('remembers a failed decode: 20 parallel GETs decode once, later GETs answer 404 without decoding', async () => {
    const id = await newTask('thumb broken');
    // The stored start frame goes bad after the create (disk damage, an older studio's input).
    const dir = inputsDir(ctx.studio.dataDir, id);
    const start = readdirSync(dir).find((f) => f.startsWith('image.'))!;
    writeFileSync(join(dir, start), Buffer.from('not a picture any more'));

    const answers = await thumbnails(id, 20);
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(404));
    expect(decodes.count).toBe(1);
    const again = await thumbnails(id, 3);
    expect(again.map((r) => r.status)).toEqual([404, 404, 404]);
    expect((await again[0]!.json()).error.code).toBe('not_found');
    expect(decodes.count).toBe(1);
  });
});
