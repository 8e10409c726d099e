import { useEffect, useState } from 'react';
import { create, type StateCreator } from 'zustand';
import { persist } from 'zustand/middleware';
import {
  type CameraType,
  type Duration,
  type Feature,
  MODELS,
  type Mode,
  type ModelCapabilities,
  type ModelName,
  type Setup,
} from '../../contract/capabilities/matrix.ts';
import type {
  CharacterOrientation,
  MotionControlMode,
  MotionControlModel,
} from '../../contract/capabilities/motion-control.ts';
import { LIMITS } from '../../contract/limits.ts';
import type { CameraAxis, ShotType } from '../../contract/schemas/create-request.ts';
import { showNotice } from '../components/notices.tsx';
import { defaultDraft, ZERO_CAMERA } from './default-draft.ts';
import { createDraftStorage } from './draft-storage.ts';
import type { Draft, Frame, FrameSlot, MotionTab, ReferenceClip, ReferenceDraft } from './draft-types.ts';
import {
  currentSetup,
  forcedSetup,
  lackingFeatures,
  requiredFeatures,
  settleMode,
  settleModel,
} from './gating.ts';
import { restoreDraft } from './restore-draft.ts';
import { type ChangeCause, noticeRate, sameSetup, setupChangeWords } from './setup-change.ts';
import { addShot, fitStoryboard, moveShot, openStoryboard } from './storyboard.ts';

/**
 * The composer's draft: one Zustand store built from slices (zustand's slices pattern), persisted to
 * IndexedDB as a whole. Server data never lives here (that is TanStack Query's job).
 */

export interface FramesSlice {
  frames: Draft['frames'];
  setFrame(slot: FrameSlot, frame: Frame | null): void;
  swapFrames(): void;
}

export interface SettingsSlice
  extends Pick<
    Draft,
    'model' | 'mode' | 'duration' | 'prompt' | 'negativePrompt' | 'cfgScale' | 'sound' | 'voices'
  > {
  /** Picks a model and moves mode/duration to the nearest combination that still carries the draft. */
  setModel(model: ModelName): void;
  setMode(mode: Mode): void;
  setDuration(duration: Duration): void;
  /**
   * Jumps to a whole setup. With `because` (the "Switch to…" offers: the feature it is for) the studio
   * says what changed and what it costs, with Undo.
   */
  applySetup(setup: Setup, because?: Feature): void;
  setPrompt(prompt: string): void;
  setNegativePrompt(text: string): void;
  setCfgScale(value: number): void;
  setSound(sound: 'on' | 'off'): void;
  addVoice(): void;
  setVoice(index: number, voiceId: string): void;
  removeVoice(index: number): void;
}

export interface CameraSlice {
  camera: Draft['camera'];
  setCameraType(type: CameraType): void;
  /** Kling takes exactly one non-zero axis: setting one resets every other axis to 0. */
  setCameraAxis(axis: CameraAxis, value: number): void;
  resetCamera(): void;
}

/** The Reference video tab (motion control): its own model and mode, orientation, sound, and the clip. */
export interface ReferenceSlice {
  reference: ReferenceDraft;
  setReferenceModel(model: MotionControlModel): void;
  setReferenceMode(mode: MotionControlMode): void;
  setOrientation(orientation: CharacterOrientation): void;
  setKeepSound(keep: boolean): void;
  /** The uploaded clip, or null while a new one uploads (or after it expired). */
  setReferenceClip(clip: ReferenceClip | null): void;
}

/** kling-v3's multi-shot storyboard and element ids (see storyboard.ts). */
export interface StoryboardSlice {
  storyboard: Draft['storyboard'];
  /** On for the first time: one shot as long as the video. Off keeps the shots for later. */
  setMultiShot(on: boolean): void;
  setShotType(shotType: ShotType): void;
  addShot(): void;
  removeShot(index: number): void;
  /** −1 up, +1 down. */
  moveShot(index: number, delta: number): void;
  setShotPrompt(index: number, prompt: string): void;
  setShotSeconds(index: number, seconds: number): void;
  /** "Fit to N s": the lengths rebalanced to sum to the video's duration. */
  fitShots(): void;
  addElement(): void;
  setElement(index: number, id: string): void;
  removeElement(index: number): void;
}

export interface MotionSlice {
  motionTab: MotionTab;
  setMotionTab(tab: MotionTab): void;
}

export interface DraftActions {
  /** Replaces the whole draft (remix, tests). */
  replaceDraft(draft: Draft): void;
  resetDraft(): void;
}

export type EditorState = FramesSlice &
  SettingsSlice &
  CameraSlice &
  ReferenceSlice &
  StoryboardSlice &
  MotionSlice &
  DraftActions;
type Slice<T> = StateCreator<EditorState, [], [], T>;

type SetupFields = Pick<Draft, 'model' | 'mode' | 'duration'>;
const setupFields = (s: SetupFields): SetupFields => ({ model: s.model, mode: s.mode, duration: s.duration });

/**
 * Says what the studio just changed on the creator's behalf and what it costs, with an Undo that puts back
 * exactly the model, mode and length they had (`prev`). Nothing is said when nothing Kling would run moved.
 */
function announce(
  set: (p: Partial<EditorState>) => void,
  prev: SetupFields,
  change: { before: Setup; after: Setup; cause: ChangeCause },
  d: Pick<Draft, 'sound' | 'voices'>,
) {
  if (sameSetup(change.before, change.after)) return;
  const was = currentSetup(prev);
  showNotice({
    message: setupChangeWords({ ...change, was }, d, noticeRate()),
    undo: () => set(setupFields(prev)),
  });
}

/**
 * A choice that adds a feature the setup cannot carry (an end frame on Kling 2.6 Standard) moves the setup
 * within the same model and says so; when no setup of the model can, nothing moves and the panel's offer
 * to switch models is what the creator sees.
 */
function settleGained(get: () => EditorState, set: (p: Partial<EditorState>) => void) {
  const s = get();
  const target = forcedSetup(draftOf(s));
  if (!target) return;
  const prev = setupFields(s);
  const before = currentSetup(prev);
  set({ model: target.model, mode: target.mode ?? s.mode, duration: target.duration });
  const cause = { features: lackingFeatures(before, requiredFeatures(draftOf(s))) };
  announce(set, prev, { before, after: target, cause }, s);
}

const framesSlice: Slice<FramesSlice> = (set, get) => ({
  frames: defaultDraft().frames,
  setFrame: (slot, frame) => {
    const gained = slot === 'end' && !!frame && !get().frames.end;
    set((s) => ({ frames: { ...s.frames, [slot]: frame } }));
    if (gained) settleGained(get, set);
  },
  swapFrames: () => {
    const gained = !get().frames.end && !!get().frames.start;
    set((s) => ({ frames: { start: s.frames.end, end: s.frames.start } }));
    if (gained) settleGained(get, set);
  },
});

/**
 * The setup that explains a forced change when the creator picked `model`: what they had, with the parts
 * the model does not offer taken from where the studio landed (so the features it lacks are named on a
 * setup that exists).
 */
function askedOn(model: ModelName, had: SetupFields, landed: Setup): Setup {
  const caps: ModelCapabilities = MODELS[model];
  const asked = currentSetup({ model, mode: had.mode, duration: had.duration });
  return {
    model,
    mode: asked.mode && caps.modes.includes(asked.mode) ? asked.mode : landed.mode,
    duration: caps.durations.includes(asked.duration) ? asked.duration : landed.duration,
  };
}

const settingsSlice: Slice<SettingsSlice> = (set, get) => {
  const d = defaultDraft();
  return {
    model: d.model,
    mode: d.mode,
    duration: d.duration,
    prompt: d.prompt,
    negativePrompt: d.negativePrompt,
    cfgScale: d.cfgScale,
    sound: d.sound,
    voices: d.voices,
    setModel: (model) => {
      const s = get();
      const features = requiredFeatures(draftOf(s));
      const settled = settleModel(s, model, features);
      set({ model, ...settled });
      const after = currentSetup({ model, ...settled });
      const before = currentSetup({ model, mode: s.mode, duration: s.duration });
      const probe = askedOn(model, s, after);
      const cause = { pickedModel: true, features: lackingFeatures(probe, features), featuresOn: probe };
      announce(set, setupFields(s), { before, after, cause }, s);
    },
    setMode: (mode) => {
      const s = get();
      const features = requiredFeatures(draftOf(s));
      const duration = settleMode(s, mode, features);
      set({ mode, duration });
      const before = currentSetup({ model: s.model, mode, duration: s.duration });
      const after = currentSetup({ model: s.model, mode, duration });
      announce(
        set,
        setupFields(s),
        { before, after, cause: { features: lackingFeatures(before, features) } },
        s,
      );
    },
    setDuration: (duration) => set({ duration }),
    applySetup: (setup, because) => {
      const s = get();
      set({ model: setup.model, mode: setup.mode ?? s.mode, duration: setup.duration });
      if (!because) return;
      const before = currentSetup(s);
      announce(
        set,
        setupFields(s),
        { before, after: currentSetup(get()), cause: { features: [because] } },
        s,
      );
    },
    setPrompt: (prompt) => set({ prompt }),
    setNegativePrompt: (negativePrompt) => set({ negativePrompt }),
    setCfgScale: (cfgScale) => set({ cfgScale }),
    setSound: (sound) => set({ sound }),
    addVoice: () => set((s) => (s.voices.length >= LIMITS.voicesMax ? s : { voices: [...s.voices, ''] })),
    setVoice: (index, voiceId) =>
      set((s) => ({ voices: s.voices.map((v, i) => (i === index ? voiceId : v)) })),
    removeVoice: (index) => set((s) => ({ voices: s.voices.filter((_, i) => i !== index) })),
  };
};

const cameraSlice: Slice<CameraSlice> = (set) => ({
  camera: defaultDraft().camera,
  setCameraType: (type) => set((s) => ({ camera: { ...s.camera, type } })),
  setCameraAxis: (axis, value) =>
    set((s) => ({ camera: { ...s.camera, config: { ...ZERO_CAMERA, [axis]: value } } })),
  resetCamera: () => set((s) => ({ camera: { ...s.camera, config: { ...ZERO_CAMERA } } })),
});

const referenceSlice: Slice<ReferenceSlice> = (set) => {
  const patch = (p: Partial<ReferenceDraft>) => set((s) => ({ reference: { ...s.reference, ...p } }));
  return {
    reference: defaultDraft().reference,
    // Both motion-control models take std and pro, so a model change never strands the mode.
    setReferenceModel: (model) => patch({ model }),
    setReferenceMode: (mode) => patch({ mode }),
    setOrientation: (orientation) => patch({ orientation }),
    setKeepSound: (keep) => patch({ keepSound: keep ? 'yes' : 'no' }),
    setReferenceClip: (clip) => patch({ clip }),
  };
};

const storyboardSlice: Slice<StoryboardSlice> = (set) => {
  type Sb = Draft['storyboard'];
  const update = (f: (sb: Sb, s: EditorState) => Sb) => set((s) => ({ storyboard: f(s.storyboard, s) }));
  const editShot = (index: number, p: Partial<Sb['shots'][number]>) =>
    update((sb) => ({ ...sb, shots: sb.shots.map((x, i) => (i === index ? { ...x, ...p } : x)) }));
  return {
    storyboard: defaultDraft().storyboard,
    setMultiShot: (on) =>
      update((sb, s) => (on ? openStoryboard(sb, s.duration) : { ...sb, enabled: false })),
    setShotType: (shotType) => update((sb) => ({ ...sb, shotType })),
    addShot: () => update((sb, s) => addShot(sb, s.duration)),
    removeShot: (index) => update((sb) => ({ ...sb, shots: sb.shots.filter((_, i) => i !== index) })),
    moveShot: (index, delta) => update((sb) => ({ ...sb, shots: moveShot(sb.shots, index, delta) })),
    setShotPrompt: (index, prompt) => editShot(index, { prompt }),
    setShotSeconds: (index, seconds) => editShot(index, { seconds }),
    fitShots: () => update((sb, s) => fitStoryboard(sb, s.duration)),
    addElement: () =>
      update((sb) =>
        sb.elements.length >= LIMITS.elementsMax ? sb : { ...sb, elements: [...sb.elements, ''] },
      ),
    setElement: (index, id) =>
      update((sb) => ({ ...sb, elements: sb.elements.map((e, i) => (i === index ? id : e)) })),
    removeElement: (index) =>
      update((sb) => ({ ...sb, elements: sb.elements.filter((_, i) => i !== index) })),
  };
};

const motionSlice: Slice<MotionSlice> = (set) => ({
  motionTab: defaultDraft().motionTab,
  setMotionTab: (motionTab) => set({ motionTab }),
});

const draftActions: Slice<DraftActions> = (set) => ({
  replaceDraft: (draft) => set(draft),
  resetDraft: () => set(defaultDraft()),
});

/** The data part of the store: what is persisted, submitted and remixed. */
export function draftOf(s: EditorState | Draft): Draft {
  return {
    frames: s.frames,
    model: s.model,
    mode: s.mode,
    duration: s.duration,
    prompt: s.prompt,
    negativePrompt: s.negativePrompt,
    cfgScale: s.cfgScale,
    sound: s.sound,
    voices: s.voices,
    camera: s.camera,
    reference: s.reference,
    storyboard: s.storyboard,
    motionTab: s.motionTab,
  };
}

export const DRAFT_STORAGE_NAME = 'motion-studio:draft';

export const useEditorStore = create<EditorState>()(
  persist(
    (...a) => ({
      ...framesSlice(...a),
      ...settingsSlice(...a),
      ...cameraSlice(...a),
      ...referenceSlice(...a),
      ...storyboardSlice(...a),
      ...motionSlice(...a),
      ...draftActions(...a),
    }),
    {
      name: DRAFT_STORAGE_NAME,
      version: 1,
      storage: createDraftStorage(),
      partialize: (s: EditorState): Draft => draftOf(s),
      // Stored data is repaired field by field before it reaches the editor. Nothing stored (a first
      // visit) keeps the draft as it is: the studio may already be on screen and edited by then.
      merge: (persisted, current) =>
        persisted === undefined ? current : { ...current, ...restoreDraft(persisted) },
    },
  ),
);

/** False until the stored draft has been read, so the composer never flashes an empty draft. */
export function useDraftHydrated(): boolean {
  const [hydrated, setHydrated] = useState(() => useEditorStore.persist.hasHydrated());
  useEffect(() => {
    const unsub = useEditorStore.persist.onFinishHydration(() => setHydrated(true));
    setHydrated(useEditorStore.persist.hasHydrated());
    return unsub;
  }, []);
  return hydrated;
}
