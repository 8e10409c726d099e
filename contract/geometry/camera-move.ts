import type { CameraType } from '../capabilities/matrix.ts';
import type { CameraConfig } from '../schemas/create-request.ts';

/**
 * What a Kling camera_control does to the picture, as screen geometry: one definition for the
 * simulator's renderer and the composer's live preview, so the preview predicts the simulated video.
 *
 * Kling describes the *camera* (reference §2): horizontal + moves it right, vertical + up, pan + turns it
 * right (D-new: about the y axis, negative = left), tilt + turns it up, roll − is counter-clockwise, and
 * zoom − is a longer focal length (narrower view). On screen the picture does the opposite of the camera:
 * a camera moving right makes the picture slide left, a narrower view makes the centre bigger.
 */
export interface CameraMove {
  /** Fraction of the frame width the picture slides by the end; + is right. */
  shiftX: number;
  /** Fraction of the frame height the picture slides by the end; + is up. */
  shiftY: number;
  /** In-plane rotation of the picture in degrees by the end; + is clockwise. */
  rotationDeg: number;
  /** How much bigger the picture ends than it starts; < 1 is a wider view. */
  zoom: number;
}

// Magnitudes at |value| = 10: about a quarter-frame shift, 1.6× zoom, 30° roll.
const SHIFT_PER_UNIT = 0.025;
/** Pan and tilt rotate the camera; without 3D, a shift plus a slight push-in reads as one. */
const TURN_SHIFT_PER_UNIT = 0.02;
const TURN_ZOOM_PER_UNIT = 0.01;
const ZOOM_PER_UNIT = 0.06;
const ROLL_DEG_PER_UNIT = 3;

export const NO_MOVE: CameraMove = { shiftX: 0, shiftY: 0, rotationDeg: 0, zoom: 1 };

/** Kling's preset moves written in the simple axes (camera terms), so one sign convention rules all. */
export const CAMERA_PRESETS: Record<Exclude<CameraType, 'simple'>, CameraConfig> = {
  // The camera drops and pulls back: the picture rises and the view widens.
  down_back: { horizontal: 0, vertical: -5, pan: 0, tilt: 0, roll: 0, zoom: 5 },
  // The camera moves in and up: the picture sinks and grows.
  forward_up: { horizontal: 0, vertical: 5, pan: 0, tilt: 0, roll: 0, zoom: -5 },
  right_turn_forward: { horizontal: 0, vertical: 0, pan: 6, tilt: 0, roll: 0, zoom: -4 },
  left_turn_forward: { horizontal: 0, vertical: 0, pan: -6, tilt: 0, roll: 0, zoom: -4 },
};

const clampAxis = (v: number) => (Number.isFinite(v) ? Math.min(10, Math.max(-10, v)) : 0);

/** The end-of-clip move for a simple config. Kling allows one non-zero axis; several simply combine. */
export function cameraMoveFromConfig(config: CameraConfig): CameraMove {
  const h = clampAxis(config.horizontal);
  const v = clampAxis(config.vertical);
  const pan = clampAxis(config.pan);
  const tilt = clampAxis(config.tilt);
  const roll = clampAxis(config.roll);
  const zoom = clampAxis(config.zoom);
  const turnPushIn = (1 + TURN_ZOOM_PER_UNIT * Math.abs(pan)) * (1 + TURN_ZOOM_PER_UNIT * Math.abs(tilt));
  return {
    shiftX: -(SHIFT_PER_UNIT * h + TURN_SHIFT_PER_UNIT * pan),
    shiftY: -(SHIFT_PER_UNIT * v + TURN_SHIFT_PER_UNIT * tilt),
    rotationDeg: -ROLL_DEG_PER_UNIT * roll,
    zoom: (1 + ZOOM_PER_UNIT * Math.abs(zoom)) ** -Math.sign(zoom) * turnPushIn,
  };
}

/** The move a camera_control asks for; a simple type without a config is no move at all. */
export function cameraMove(control: { type: CameraType; config?: CameraConfig | undefined }): CameraMove {
  if (control.type !== 'simple') return cameraMoveFromConfig(CAMERA_PRESETS[control.type]);
  return control.config ? cameraMoveFromConfig(control.config) : NO_MOVE;
}
