import { createStore, del, get, set } from 'idb-keyval';
import type { PersistStorage, StorageValue } from 'zustand/middleware';
import type { Draft, Frame } from './draft-types.ts';
import { restoreDraft } from './restore-draft.ts';

/** The minimal key-value surface the draft needs; IndexedDB in the browser, a Map in tests. */
export interface KeyValue {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
}

export function memoryKeyValue(): KeyValue & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    get: async (k) => structuredClone(map.get(k)),
    set: async (k, v) => {
      map.set(k, structuredClone(v));
    },
    del: async (k) => {
      map.delete(k);
    },
  };
}

export function indexedDbKeyValue(): KeyValue {
  // A database of our own: idb-keyval stores made with the same database name would clash on upgrade.
  const store = createStore('motion-studio-draft', 'kv');
  return {
    get: (k) => get(k, store),
    set: (k, v) => set(k, v, store),
    del: (k) => del(k, store),
  };
}

let shared: KeyValue | undefined;

/**
 * The studio's one key-value store: the editor's draft and the motion brush's masks (started from
 * main.tsx) both live in it, under keys of their own.
 */
export function defaultKeyValue(): KeyValue {
  shared ??= typeof indexedDB === 'undefined' ? memoryKeyValue() : indexedDbKeyValue();
  return shared;
}

const frameKey = (name: string, id: string) => `${name}:frame:${id}`;

function fileFrames(d: Draft): Extract<Frame, { source: 'file' }>[] {
  return [d.frames.start, d.frames.end].filter(
    (f): f is Extract<Frame, { source: 'file' }> => f?.source === 'file',
  );
}

function stripBytes(f: Frame | null): Frame | null {
  return f?.source === 'file' ? { ...f, base64: '' } : f;
}

/**
 * Zustand persist storage for the draft, in IndexedDB (structured clone, no JSON).
 * Frame bytes (up to ~13 MB of base64 each) are written once under their own key, so typing a prompt
 * rewrites a few hundred bytes rather than the images. Writes are coalesced and serialised: at most one
 * in flight, and the latest state always wins, so a slow write can never land after a newer one.
 */
export function createDraftStorage(kv: KeyValue = defaultKeyValue()): PersistStorage<Draft> {
  const written = new Set<string>();
  let pending: { name: string; value: StorageValue<Draft> } | undefined;
  let running: Promise<void> | undefined;

  async function write(name: string, value: StorageValue<Draft>) {
    const draft = value.state;
    const live = new Set<string>();
    for (const f of fileFrames(draft)) {
      live.add(f.id);
      if (!written.has(f.id)) {
        await kv.set(frameKey(name, f.id), f.base64);
        written.add(f.id);
      }
    }
    const stored: StorageValue<Draft> = {
      version: value.version,
      state: {
        ...draft,
        frames: { start: stripBytes(draft.frames.start), end: stripBytes(draft.frames.end) },
      },
    };
    await kv.set(name, stored);
    for (const id of [...written])
      if (!live.has(id)) {
        written.delete(id);
        await kv.del(frameKey(name, id));
      }
  }

  async function drain() {
    while (pending) {
      const job = pending;
      pending = undefined;
      try {
        await write(job.name, job.value);
      } catch (err) {
        // Quota or a private window: the editor keeps working, only the reload safety net is lost.
        console.warn('Motion Studio: could not save the draft', err);
      }
    }
    running = undefined;
  }

  return {
    async getItem(name) {
      const raw = (await kv.get(name)) as StorageValue<unknown> | undefined;
      if (!raw || typeof raw !== 'object') return null;
      const state = raw.state as { frames?: { start?: unknown; end?: unknown } } | undefined;
      const frames = { ...(state?.frames ?? {}) } as Record<'start' | 'end', unknown>;
      for (const slot of ['start', 'end'] as const) {
        const f = frames[slot] as { source?: string; id?: string } | undefined;
        if (f?.source === 'file' && typeof f.id === 'string') {
          const base64 = await kv.get(frameKey(name, f.id));
          frames[slot] = typeof base64 === 'string' ? { ...f, base64 } : null;
          if (typeof base64 === 'string') written.add(f.id);
        }
      }
      return { version: raw.version ?? 0, state: restoreDraft({ ...state, frames }) };
    },
    setItem(name, value) {
      pending = { name, value };
      running ??= drain();
      return running;
    },
    async removeItem(name) {
      pending = undefined;
      await running;
      for (const id of written) await kv.del(frameKey(name, id));
      written.clear();
      await kv.del(name);
    },
  };
}
