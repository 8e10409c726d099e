import { describe, expect, it } from 'vitest';
import { draftWith, pngFrame } from '../testing/draft.ts';
import { createDraftStorage, memoryKeyValue } from './draft-storage.ts';

const NAME = 'draft';

describe('draft storage', () => {
  it('survives a reload, frame bytes included, with bytes stored once under their own key', async () => {
    const kv = memoryKeyValue();
    const start = pngFrame(800, 600, 'start.png');
    const draft = draftWith({
      frames: { start, end: null },
      prompt: 'hello',
      model: 'kling-v1-5',
      mode: 'pro',
    });
    await createDraftStorage(kv).setItem(NAME, { state: draft, version: 1 });

    const main = kv.map.get(NAME) as { state: { frames: { start: { base64: string } } } };
    expect(main.state.frames.start.base64).toBe('');
    expect(kv.map.get(`${NAME}:frame:${start.id}`)).toBe(start.base64);

    // A fresh storage object = a reloaded page.
    const restored = await createDraftStorage(kv).getItem(NAME);
    expect(restored).toEqual({ version: 1, state: draft });
  });

  it('drops frame bytes nobody refers to any more', async () => {
    const kv = memoryKeyValue();
    const storage = createDraftStorage(kv);
    const a = pngFrame(640, 360, 'a.png');
    const b = pngFrame(640, 360, 'b.png');
    await storage.setItem(NAME, { state: draftWith({ frames: { start: a, end: null } }), version: 1 });
    await storage.setItem(NAME, { state: draftWith({ frames: { start: b, end: null } }), version: 1 });
    expect(kv.map.has(`${NAME}:frame:${a.id}`)).toBe(false);
    expect(kv.map.has(`${NAME}:frame:${b.id}`)).toBe(true);
  });

  it('coalesces bursts of writes; the last state wins', async () => {
    const kv = memoryKeyValue();
    const storage = createDraftStorage(kv);
    const writes = ['a', 'ab', 'abc'].map((prompt) =>
      storage.setItem(NAME, { state: draftWith({ prompt }), version: 1 }),
    );
    await Promise.all(writes);
    expect((await storage.getItem(NAME))?.state.prompt).toBe('abc');
  });

  it('repairs a damaged record instead of failing', async () => {
    const kv = memoryKeyValue();
    kv.map.set(NAME, {
      version: 1,
      state: {
        model: 'kling-v9',
        mode: 'ultra',
        prompt: 42,
        frames: { start: { source: 'file', id: 'gone' } },
      },
    });
    const restored = await createDraftStorage(kv).getItem(NAME);
    expect(restored?.state).toEqual(draftWith());
  });
});
