/**
 * Camera moves as pure geometry. A move is described by where it ends (progress 1); every frame is an
 * interpolation from the untouched start frame. Directions describe what the viewer sees the picture
 * do on screen: horizontal −8 slides the picture left, zoom +8 makes the centre bigger.
 */
import type { Size } from './frame-geometry.ts';
import type { Point } from './trajectory.ts';

export type CameraType = 'simple' | 'down_back' | 'forward_up' | 'right_turn_forward' | 'left_turn_forward';

export interface CameraConfig {
  horizontal: number;
  vertical: number;
  pan: number;
  tilt: number;
  roll: number;
  zoom: number;
}

export interface CameraControl {
  type: CameraType;
  config?: CameraConfig;
}

/** The end of a move. Each part grows linearly (zoom geometrically) from nothing at progress 0. */
export interface CameraMove {
  /** Fraction of the frame width the picture slides; + is right. */
  shiftX: number;
  /** Fraction of the frame height the picture slides; + is up. */
  shiftY: number;
  /** In-plane rotation in degrees; + is clockwise, as Kling's roll has − counter-clockwise. */
  rotationDeg: number;
  /** How much bigger the picture ends than it starts; < 1 pulls back. */
  zoom: number;
}

/** The transform at one instant: output = centre + scale · R(rotation) · (source − centre) + shift. */
export interface CameraPose {
  scale: number;
  rotationRad: number;
  /** Screen pixels, y down. */
  shiftX: number;
  shiftY: number;
}

/** The four source points that land on the output's corners, in ffmpeg perspective's order. */
export interface SourceQuad {
  topLeft: Point;
  topRight: Point;
  bottomLeft: Point;
  bottomRight: Point;
}

// Magnitudes at |value| = 10; the brief asks for about a quarter-frame shift, 1.6× zoom and 30° roll.
const SHIFT_PER_UNIT = 0.025;
/** Pan and tilt are rotations of the camera; a shift plus a slight zoom reads as one without 3D. */
const TURN_SHIFT_PER_UNIT = 0.02;
const TURN_ZOOM_PER_UNIT = 0.01;
const ZOOM_PER_UNIT = 0.06;
const ROLL_DEG_PER_UNIT = 3;

/** What Motion Studio shows when no motion was asked for: a slow push-in, as generated video tends to. */
export const PUSH_IN: CameraMove = { shiftX: 0, shiftY: 0, rotationDeg: 0, zoom: 1.1 };

/** The fixed moves, written in the simple axes so that one sign convention governs everything. */
const PRESETS: Record<Exclude<CameraType, 'simple'>, CameraConfig> = {
  down_back: { horizontal: 0, vertical: -5, pan: 0, tilt: 0, roll: 0, zoom: -5 },
  forward_up: { horizontal: 0, vertical: 5, pan: 0, tilt: 0, roll: 0, zoom: 5 },
  right_turn_forward: { horizontal: 0, vertical: 0, pan: 6, tilt: 0, roll: 0, zoom: 4 },
  left_turn_forward: { horizontal: 0, vertical: 0, pan: -6, tilt: 0, roll: 0, zoom: 4 },
};

/** Values outside Kling's [-10, 10] are the contract's business; here they are just kept in range. */
function axis(value: number | undefined): number {
  if (value === undefined || !Number.isFinite(value)) return 0;
  return Math.min(10, Math.max(-10, value));
}

/** A simple config's end-of-clip move. Kling allows one non-zero axis; several simply combine. */
export function moveFromConfig(config: CameraConfig): CameraMove {
  const horizontal = axis(config.horizontal);
  const vertical = axis(config.vertical);
  const pan = axis(config.pan);
  const tilt = axis(config.tilt);
  const roll = axis(config.roll);
  const zoom = axis(config.zoom);
  const zoomFactor = (1 + ZOOM_PER_UNIT * Math.abs(zoom)) ** Math.sign(zoom);
  return {
    shiftX: SHIFT_PER_UNIT * horizontal + TURN_SHIFT_PER_UNIT * pan,
    shiftY: SHIFT_PER_UNIT * vertical + TURN_SHIFT_PER_UNIT * tilt,
    rotationDeg: ROLL_DEG_PER_UNIT * roll,
    zoom: zoomFactor * (1 + TURN_ZOOM_PER_UNIT * Math.abs(pan)) * (1 + TURN_ZOOM_PER_UNIT * Math.abs(tilt)),
  };
}

/** The move a camera_control asks for; a simple type without a config is no move at all. */
export function moveFromCameraControl(control: CameraControl): CameraMove {
  if (control.type === 'simple') {
    return control.config
      ? moveFromConfig(control.config)
      : { shiftX: 0, shiftY: 0, rotationDeg: 0, zoom: 1 };
  }
  return moveFromConfig(PRESETS[control.type]);
}

/**
 * The smallest scale at which a picture shifted by (shiftX, shiftY) screen pixels and rotated by
 * `rotationRad` still covers the whole frame, so no corner ever shows the void past the image edge.
 */
export function coverScale(size: Size, rotationRad: number, shiftX: number, shiftY: number): number {
  const halfW = size.width / 2;
  const halfH = size.height / 2;
  const cos = Math.cos(rotationRad);
  const sin = Math.sin(rotationRad);
  let scale = 1;
  for (const [cx, cy] of [
    [-halfW, -halfH],
    [halfW, -halfH],
    [-halfW, halfH],
    [halfW, halfH],
  ] as const) {
    // Where this output corner comes from in the unscaled source, relative to the centre.
    const qx = cx - shiftX;
    const qy = cy - shiftY;
    const ux = cos * qx + sin * qy;
    const uy = -sin * qx + cos * qy;
    scale = Math.max(scale, Math.abs(ux) / halfW, Math.abs(uy) / halfH);
  }
  return scale;
}

/** The pose at motion progress `t` (0..1) for a frame of `size`. */
export function poseAt(move: CameraMove, t: number, size: Size): CameraPose {
  const p = Math.min(1, Math.max(0, t));
  const rotationRad = ((move.rotationDeg * Math.PI) / 180) * p;
  const shiftX = move.shiftX * size.width * p;
  const shiftY = -move.shiftY * size.height * p;
  let scale: number;
  if (move.zoom >= 1) {
    // Cover grows with the shift, so the first frame stays exactly the start image.
    scale = move.zoom ** p * coverScale(size, rotationRad, shiftX, shiftY);
  } else {
    // A still image cannot reveal more than itself: pulling back means starting pushed in and
    // ending at the widest view that still covers the whole shifted frame.
    const endRotation = (move.rotationDeg * Math.PI) / 180;
    const endCover = coverScale(size, endRotation, move.shiftX * size.width, -move.shiftY * size.height);
    scale = (1 / move.zoom) ** (1 - p) * endCover;
  }
  return { scale, rotationRad, shiftX, shiftY };
}

/** Inverts the pose for one output point: which source point is drawn there. */
export function sourcePointFor(pose: CameraPose, output: Point, size: Size): Point {
  const cx = size.width / 2;
  const cy = size.height / 2;
  const qx = (output.x - cx - pose.shiftX) / pose.scale;
  const qy = (output.y - cy - pose.shiftY) / pose.scale;
  const cos = Math.cos(pose.rotationRad);
  const sin = Math.sin(pose.rotationRad);
  return { x: cx + cos * qx + sin * qy, y: cy - sin * qx + cos * qy };
}

/** Where the pose samples the source for each output corner (ffmpeg perspective, sense=source). */
export function sourceQuad(pose: CameraPose, size: Size): SourceQuad {
  const { width: w, height: h } = size;
  return {
    topLeft: sourcePointFor(pose, { x: 0, y: 0 }, size),
    topRight: sourcePointFor(pose, { x: w, y: 0 }, size),
    bottomLeft: sourcePointFor(pose, { x: 0, y: h }, size),
    bottomRight: sourcePointFor(pose, { x: w, y: h }, size),
  };
}
