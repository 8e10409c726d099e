/**
 * Camera moves as pure geometry. A move is described by where it ends (progress 1); every frame is an
 * interpolation from the untouched start frame. What each camera_control value does to the picture is
 * defined once, in contract/geometry/camera-move.ts (Kling's camera terms: horizontal + moves the camera
 * right, so the picture slides left; zoom − narrows the view, so the centre grows); the composer's
 * preview uses the same definition.
 */
import type { CameraType } from '../../../contract/capabilities/matrix.ts';
import { type CameraMove, cameraMove, cameraMoveFromConfig } from '../../../contract/geometry/camera-move.ts';
import type { CameraConfig } from '../../../contract/schemas/create-request.ts';
import type { Size } from './frame-geometry.ts';
import type { Point } from './trajectory.ts';

export type { CameraConfig, CameraMove, CameraType };

export interface CameraControl {
  type: CameraType;
  config?: CameraConfig;
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

/** What Motion Studio shows when no motion was asked for: a slow push-in, as generated video tends to. */
export const PUSH_IN: CameraMove = { shiftX: 0, shiftY: 0, rotationDeg: 0, zoom: 1.1 };

/** The end-of-clip move for a simple config (the contract's definition). */
export const moveFromConfig = cameraMoveFromConfig;

/** The move a camera_control asks for; a simple type without a config is no move at all. */
export const moveFromCameraControl = (control: CameraControl): CameraMove => cameraMove(control);

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
