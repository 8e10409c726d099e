import type { CameraType } from '../../../contract/capabilities/matrix.ts';
import {
  CAMERA_PRESETS,
  type CameraMove,
  cameraMoveFromConfig,
} from '../../../contract/geometry/camera-move.ts';
import { CAMERA_AXES, type CameraAxis, type CameraConfig } from '../../../contract/schemas/create-request.ts';

/**
 * The camera preview's geometry. The move itself comes from contract/geometry/camera-move.ts, the same
 * definition the simulator renders with (Kling's camera terms: horizontal + moves the camera right, so
 * the picture slides left; zoom − narrows the view), so the preview predicts the simulated result.
 */
export const AXIS_LABELS: Record<CameraAxis, string> = {
  horizontal: 'Horizontal',
  vertical: 'Vertical',
  pan: 'Pan',
  tilt: 'Tilt',
  roll: 'Roll',
  zoom: 'Zoom',
};

export const CAMERA_TYPE_LABELS: Record<CameraType, string> = {
  simple: 'Simple — one axis',
  down_back: 'Down and back',
  forward_up: 'Forward and up',
  right_turn_forward: 'Right turn, forward',
  left_turn_forward: 'Left turn, forward',
};

/** Kling's presets in the simple axes (the contract's table), for the preview. */
export const PRESET_CONFIGS = CAMERA_PRESETS;

export function configFor(type: CameraType, config: CameraConfig): CameraConfig {
  return type === 'simple' ? config : PRESET_CONFIGS[type];
}

export function nonZeroAxes(config: CameraConfig): CameraAxis[] {
  return CAMERA_AXES.filter((a) => config[a] !== 0);
}

export type PreviewMove = CameraMove;

export const previewMove = (c: CameraConfig): PreviewMove => cameraMoveFromConfig(c);

/**
 * Scale that keeps a shifted, rotated picture covering its frame (no empty corners), for a frame of
 * aspect `aspect` (width / height). Conservative: the rotated bounding box of the frame plus the shift.
 */
export function coverScale(m: PreviewMove, aspect: number): number {
  const rad = (Math.abs(m.rotationDeg) * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const rotW = cos + sin / aspect;
  const rotH = cos + sin * aspect;
  return Math.max(1, rotW + 2 * Math.abs(m.shiftX), rotH + 2 * Math.abs(m.shiftY));
}

/** CSS transforms for the start and the end of the move (the preview animates between them). */
export function previewTransforms(c: CameraConfig, aspect: number): { from: string; to: string } {
  const m = previewMove(c);
  const cover = coverScale(m, aspect);
  // A pull-back (zoom < 1) starts covered and ends smaller; a push-in starts at the cover scale.
  const fromScale = m.zoom < 1 ? cover / m.zoom : cover;
  const toScale = m.zoom < 1 ? cover : cover * m.zoom;
  const pct = (n: number) => `${(n * 100).toFixed(2)}%`;
  return {
    from: `scale(${fromScale.toFixed(4)})`,
    to: `translate(${pct(m.shiftX)}, ${pct(-m.shiftY)}) rotate(${m.rotationDeg.toFixed(2)}deg) scale(${toScale.toFixed(4)})`,
  };
}

const DIRECTIONS: Record<CameraAxis, [string, string]> = {
  horizontal: ['moves left (the picture slides right)', 'moves right (the picture slides left)'],
  vertical: ['moves down (the picture rises)', 'moves up (the picture sinks)'],
  pan: ['turns left', 'turns right'],
  tilt: ['tilts down', 'tilts up'],
  roll: ['rolls counter-clockwise', 'rolls clockwise'],
  zoom: ['zooms in (narrower view)', 'zooms out (wider view)'],
};

/** "Pan 5: the camera turns right." — for the summary and the preview caption. */
export function describeCameraMove(type: CameraType, config: CameraConfig): string {
  if (type !== 'simple') return `${CAMERA_TYPE_LABELS[type]} (Kling preset move)`;
  const axes = nonZeroAxes(config);
  if (axes.length === 0) return 'No move yet: set one axis';
  if (axes.length > 1) return `${axes.map((a) => AXIS_LABELS[a]).join(' + ')}: only one axis may move`;
  const a = axes[0]!;
  const v = config[a];
  return `${AXIS_LABELS[a]} ${v > 0 ? '+' : ''}${v}: the camera ${DIRECTIONS[a][v > 0 ? 1 : 0]}`;
}
