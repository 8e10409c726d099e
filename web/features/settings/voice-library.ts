import { create } from 'zustand';
import { defaultKeyValue, type KeyValue } from '../../editor/draft-storage.ts';
import { newId } from '../../editor/ids.ts';

/**
 * The creator's voice library: Kling voice ids saved under a name (and an optional sample clip to hear),
 * kept in this browser (IndexedDB, beside the draft, under keys of its own). The request still carries
 * `voice_list: [{voice_id}]` and `<<<voice_N>>>` in the prompt; the library only puts names on them.
 */

export interface VoiceSample {
  /** The clip's file name, as picked. */
  name: string;
  /** Its MIME type, so the browser knows how to play the bytes back. */
  type: string;
  bytes: number;
}

export interface SavedVoice {
  /** The library's own key (not Kling's). */
  id: string;
  name: string;
  /** Kling's voice id, exactly what `voice_list[].voice_id` carries. */
  voiceId: string;
  sample?: VoiceSample;
}

export interface NewVoice {
  name: string;
  voiceId: string;
  sample?: Blob & { name?: string };
}

/** A refused entry: which field and why, in the words shown beside it. */
export interface VoiceProblem {
  field: 'name' | 'voiceId' | 'sample';
  message: string;
}

export const VOICE_NAME_MAX = 40;
/** A sample is a few seconds of speech; anything larger is not a sample and would crowd IndexedDB. */
export const VOICE_SAMPLE_MAX_BYTES = 10 * 1024 * 1024;

const LIST_KEY = 'motion-studio:voices';
const sampleKey = (id: string) => `motion-studio:voices:sample:${id}`;

interface StoredSample {
  type: string;
  data: ArrayBuffer;
}

function isSavedVoice(v: unknown): v is SavedVoice {
  const o = v as Partial<SavedVoice> | null;
  return !!o && typeof o.id === 'string' && typeof o.name === 'string' && typeof o.voiceId === 'string';
}

/** Every reason an entry cannot be saved (or renamed), all at once. */
export function voiceProblems(
  entry: { name: string; voiceId?: string; sample?: Blob },
  saved: readonly SavedVoice[],
  /** The voice being renamed, which may keep its own name. */
  self?: string,
): VoiceProblem[] {
  const out: VoiceProblem[] = [];
  const name = entry.name.trim();
  if (!name) out.push({ field: 'name', message: 'Voice name: give the voice a name' });
  else if (name.length > VOICE_NAME_MAX)
    out.push({ field: 'name', message: `Voice name: at most ${VOICE_NAME_MAX} characters` });
  else if (saved.some((v) => v.id !== self && v.name.toLowerCase() === name.toLowerCase()))
    out.push({ field: 'name', message: `Voice name: “${name}” is already in the library` });
  if (entry.voiceId !== undefined) {
    const voiceId = entry.voiceId.trim();
    const twin = saved.find((v) => v.voiceId === voiceId);
    if (!voiceId) out.push({ field: 'voiceId', message: 'Voice ID: paste the voice id from Kling' });
    else if (/\s/.test(voiceId))
      out.push({ field: 'voiceId', message: 'Voice ID: a voice id has no spaces' });
    else if (twin) out.push({ field: 'voiceId', message: `Voice ID: already saved as “${twin.name}”` });
  }
  const sample = entry.sample;
  if (sample) {
    if (!/^(audio|video)\//.test(sample.type))
      out.push({ field: 'sample', message: 'Sample clip: pick an audio or video file' });
    else if (sample.size > VOICE_SAMPLE_MAX_BYTES)
      out.push({
        field: 'sample',
        message: 'Sample clip: at most 10 MB (a few seconds of speech is enough)',
      });
  }
  return out;
}

export interface VoiceLibraryState {
  voices: SavedVoice[];
  /** False until the stored library has been read. */
  loaded: boolean;
  load(): Promise<void>;
  /** Saves a voice, or answers why not (nothing is saved then). */
  add(entry: NewVoice): Promise<VoiceProblem[]>;
  rename(id: string, name: string): Promise<VoiceProblem[]>;
  /** Removes a voice and answers how to put it back exactly (sample included), for an Undo. */
  remove(id: string): Promise<(() => Promise<void>) | undefined>;
  /** The sample's bytes as a playable Blob, when the voice has one. */
  sample(id: string): Promise<Blob | undefined>;
}

export function createVoiceLibrary(kv: KeyValue = defaultKeyValue()) {
  return create<VoiceLibraryState>()((set, get) => {
    // Writes in order, so a slow write never lands after a newer one.
    let queue: Promise<void> = Promise.resolve();
    const persist = () => {
      const voices = get().voices;
      queue = queue
        .then(() => kv.set(LIST_KEY, { version: 1, voices }))
        .catch((err) => console.warn('Motion Studio: could not save the voice library', err));
      return queue;
    };
    let loading: Promise<void> | undefined;
    return {
      voices: [],
      loaded: false,
      load: () => {
        loading ??= (async () => {
          try {
            const raw = (await kv.get(LIST_KEY)) as { voices?: unknown } | undefined;
            const stored = Array.isArray(raw?.voices) ? raw.voices.filter(isSavedVoice) : [];
            // Voices added before the stored list arrived are kept after it.
            set((s) => ({
              voices: [...stored, ...s.voices.filter((v) => !stored.some((x) => x.id === v.id))],
            }));
          } catch (err) {
            console.warn('Motion Studio: could not read the voice library', err);
          }
          set({ loaded: true });
        })();
        return loading;
      },
      add: async (entry) => {
        await get().load();
        const problems = voiceProblems(entry, get().voices);
        if (problems.length) return problems;
        const voice: SavedVoice = { id: newId(), name: entry.name.trim(), voiceId: entry.voiceId.trim() };
        if (entry.sample) {
          const type = entry.sample.type;
          const data = await entry.sample.arrayBuffer();
          await kv.set(sampleKey(voice.id), { type, data } satisfies StoredSample);
          voice.sample = { name: entry.sample.name ?? 'sample', type, bytes: data.byteLength };
        }
        set((s) => ({ voices: [...s.voices, voice] }));
        await persist();
        return [];
      },
      rename: async (id, name) => {
        const problems = voiceProblems({ name }, get().voices, id);
        if (problems.length) return problems;
        set((s) => ({ voices: s.voices.map((v) => (v.id === id ? { ...v, name: name.trim() } : v)) }));
        await persist();
        return [];
      },
      remove: async (id) => {
        const index = get().voices.findIndex((v) => v.id === id);
        const voice = get().voices[index];
        if (!voice) return undefined;
        const sample = voice.sample ? ((await kv.get(sampleKey(id))) as StoredSample | undefined) : undefined;
        set((s) => ({ voices: s.voices.filter((v) => v.id !== id) }));
        await persist();
        if (sample) await kv.del(sampleKey(id));
        return async () => {
          if (get().voices.some((v) => v.id === id)) return;
          if (sample) await kv.set(sampleKey(id), sample);
          set((s) => {
            const voices = [...s.voices];
            voices.splice(Math.min(index, voices.length), 0, voice);
            return { voices };
          });
          await persist();
        };
      },
      sample: async (id) => {
        const stored = (await kv.get(sampleKey(id))) as StoredSample | undefined;
        return stored ? new Blob([stored.data], { type: stored.type }) : undefined;
      },
    };
  });
}

/** The studio's library, in the studio's IndexedDB. */
export const useVoiceLibrary = createVoiceLibrary();

/** The saved voice with Kling's `voiceId`, for its name. */
export function voiceNamed(voices: readonly SavedVoice[], voiceId: string): SavedVoice | undefined {
  return voiceId ? voices.find((v) => v.voiceId === voiceId) : undefined;
}
