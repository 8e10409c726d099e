import { describe, expect, it } from 'vitest';
import { memoryKeyValue } from '../../editor/draft-storage.ts';
import { promptPieces } from './prompt-pieces.ts';
import { createVoiceLibrary, VOICE_SAMPLE_MAX_BYTES, voiceNamed, voiceProblems } from './voice-library.ts';

const wav = (bytes = 64) =>
  Object.assign(new Blob([new Uint8Array(bytes)], { type: 'audio/wav' }), { name: 'hi.wav' });

describe('voice library', () => {
  it('saves a voice with its name, id and sample, and a fresh library reads them back', async () => {
    const kv = memoryKeyValue();
    const lib = createVoiceLibrary(kv);
    expect(
      await lib.getState().add({ name: ' Narrator ', voiceId: '829824295735410756', sample: wav(64) }),
    ).toEqual([]);
    const [v] = lib.getState().voices;
    expect(v).toMatchObject({
      name: 'Narrator',
      voiceId: '829824295735410756',
      sample: { name: 'hi.wav', type: 'audio/wav', bytes: 64 },
    });

    const again = createVoiceLibrary(kv);
    await again.getState().load();
    expect(again.getState().voices).toEqual([v]);
    const sample = await again.getState().sample(v!.id);
    expect(sample?.type).toBe('audio/wav');
    expect(sample?.size).toBe(64);
  });

  it('refuses an entry without a name or id, a second voice with the same id, and a non-audio sample', async () => {
    const lib = createVoiceLibrary(memoryKeyValue());
    expect((await lib.getState().add({ name: '', voiceId: '' })).map((p) => p.message)).toEqual([
      'Voice name: give the voice a name',
      'Voice ID: paste the voice id from Kling',
    ]);
    await lib.getState().add({ name: 'Hero', voiceId: '42' });
    expect((await lib.getState().add({ name: 'hero', voiceId: '42' })).map((p) => p.field)).toEqual([
      'name',
      'voiceId',
    ]);
    expect(
      voiceProblems({ name: 'X', voiceId: '7', sample: new Blob(['x'], { type: 'image/png' }) }, []),
    ).toEqual([{ field: 'sample', message: 'Sample clip: pick an audio or video file' }]);
    expect(
      voiceProblems({ name: 'X', voiceId: '7', sample: wav(VOICE_SAMPLE_MAX_BYTES + 1) }, []),
    ).toHaveLength(1);
    expect(lib.getState().voices.map((v) => v.name)).toEqual(['Hero']);
  });

  it('renames (not onto another name) and deletes with an undo that restores the voice and its sample', async () => {
    const kv = memoryKeyValue();
    const lib = createVoiceLibrary(kv);
    await lib.getState().add({ name: 'A', voiceId: '1', sample: wav(8) });
    await lib.getState().add({ name: 'B', voiceId: '2' });
    const [a, b] = lib.getState().voices;
    expect(await lib.getState().rename(a!.id, 'b')).toHaveLength(1);
    expect(await lib.getState().rename(a!.id, 'Alice')).toEqual([]);
    expect(voiceNamed(lib.getState().voices, '1')?.name).toBe('Alice');

    const undo = await lib.getState().remove(a!.id);
    expect(lib.getState().voices).toEqual([b]);
    expect(await lib.getState().sample(a!.id)).toBeUndefined();
    const stored = createVoiceLibrary(kv);
    await stored.getState().load();
    expect(stored.getState().voices.map((v) => v.name)).toEqual(['B']);

    await undo!();
    expect(lib.getState().voices.map((v) => v.name)).toEqual(['Alice', 'B']);
    expect((await lib.getState().sample(a!.id))?.size).toBe(8);
  });
});

describe('promptPieces', () => {
  it('cuts a prompt at its voice references', () => {
    expect(promptPieces('She <<<voice_1>>> says hi to <<<voice_2>>>')).toEqual([
      { kind: 'text', text: 'She ' },
      { kind: 'voice', n: 1, token: '<<<voice_1>>>' },
      { kind: 'text', text: ' says hi to ' },
      { kind: 'voice', n: 2, token: '<<<voice_2>>>' },
    ]);
    expect(promptPieces('no voices')).toEqual([{ kind: 'text', text: 'no voices' }]);
  });
});
