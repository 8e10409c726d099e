import type { CameraType, Duration, Mode, ModelName } from '../../contract/capabilities/matrix.ts';
import type {
  CharacterOrientation,
  MotionControlMode,
  MotionControlModel,
} from '../../contract/capabilities/motion-control.ts';
import type { ImageFacts } from '../../contract/images/sniff.ts';
import type { CameraConfig, ShotType } from '../../contract/schemas/create-request.ts';
import type { KEEP_ORIGINAL_SOUND } from '../../contract/schemas/motion-control-request.ts';
import type { Upload } from '../../contract/schemas/studio-api.ts';

/** A frame read from a file (or a sample): its bytes travel as raw base64, as the API wants them. */
export interface FileFrame {
  source: 'file';
  /** Stable id: keys the frame's bytes in IndexedDB and its object URL. */
  id: string;
  name: string;
  /** Raw base64, no `data:` prefix — exactly the value of `image` / `image_tail`. */
  base64: string;
  /** Read from the bytes themselves (never the extension). */
  facts: ImageFacts;
}

/** A frame given by URL: sent as the URL. Facts are known only when the browser may read the bytes. */
export interface UrlFrame {
  source: 'url';
  id: string;
  url: string;
  facts: ImageFacts | null;
}

export type Frame = FileFrame | UrlFrame;
export type FrameSlot = 'start' | 'end';

/**
 * The mutually exclusive motion kinds; only the active tab's work is submitted. `reference` (motion
 * control) goes to another endpoint altogether: the start frame is its character picture.
 */
export const MOTION_TABS = ['frames', 'brush', 'camera', 'reference'] as const;
export type MotionTab = (typeof MOTION_TABS)[number];

export const MOTION_TAB_LABELS: Record<MotionTab, string> = {
  frames: 'Start & end frames',
  brush: 'Motion brush',
  camera: 'Camera',
  reference: 'Reference video',
};

/**
 * A reference video the studio holds: the upload's `ref` (what `video_url` carries) and its facts as the
 * backend measured them. The File itself is not kept: after a reload the clip is known by its facts.
 */
export interface ReferenceClip {
  upload: Upload;
  /** The file's name, for the creator's eyes only. */
  name: string;
  /** Read by the browser from the file's tracks (the upload's record does not say). */
  hasAudio: boolean;
}

/** The Reference video tab's own setup: motion control has its own models and fields. */
export interface ReferenceDraft {
  model: MotionControlModel;
  mode: MotionControlMode;
  orientation: CharacterOrientation;
  keepSound: (typeof KEEP_ORIGINAL_SOUND)[number];
  clip: ReferenceClip | null;
}

/** One shot of a kling-v3 storyboard: its own prompt and its length in whole seconds. */
export interface ShotDraft {
  /** Stable across reorders (the card's key). */
  id: string;
  prompt: string;
  seconds: number;
}

/**
 * kling-v3 multi-shot: `customize` sends the shots, `intelligence` lets Kling plan them from the prompt
 * (the shots are kept meanwhile). Element ids are kept as typed (digits).
 */
export interface StoryboardDraft {
  enabled: boolean;
  shotType: ShotType;
  shots: ShotDraft[];
  elements: string[];
}

/** Everything the creator is composing, as persisted (no actions). */
export interface Draft {
  frames: { start: Frame | null; end: Frame | null };
  model: ModelName;
  /** Kept even for models without modes, so switching back restores it; effectiveMode ignores it. */
  mode: Mode;
  duration: Duration;
  prompt: string;
  negativePrompt: string;
  cfgScale: number;
  sound: 'on' | 'off';
  /** voice_id values, at most LIMITS.voicesMax; `<<<voice_N>>>` in the prompt refers to voices[N-1]. */
  voices: string[];
  camera: { type: CameraType; config: CameraConfig };
  reference: ReferenceDraft;
  storyboard: StoryboardDraft;
  motionTab: MotionTab;
}
