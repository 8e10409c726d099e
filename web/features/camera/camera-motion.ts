import type { CameraType } from '../../../contract/capabilities/matrix.ts';
import { CAMERA_AXES, type CameraAxis, type CameraConfig } from '../../../contract/schemas/create-request.ts';

/**
 * The camera preview's geometry. It follows the built-in simulator's conventions (what the viewer sees
 * the picture do: horizontal + slides it right, vertical + up, roll + clockwise, zoom + bigger; pan and
 * tilt read as a shift plus a slight push-in), so the preview predicts the simulated result.
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

/** The presets written in the simple axes (same table as the simulator), for the preview only. */
export const PRESET_CONFIGS: Record<Exclude<CameraType, 'simple'>, CameraConfig> = {
  down_back: { horizontal: 0, vertical: -5, pan: 0, tilt: 0, roll: 0, zoom: -5 },
  forward_up: { horizontal: 0, vertical: 5, pan: 0, tilt: 0, roll: 0, zoom: 5 },
  right_turn_forward: { horizontal: 0, vertical: 0, pan: 6, tilt: 0, roll: 0, zoom: 4 },
  left_turn_forward: { horizontal: 0, vertical: 0, pan: -6, tilt: 0, roll: 0, zoom: 4 },
};

export function configFor(type: CameraType, config: CameraConfig): CameraConfig {
  return type === 'simple' ? config : PRESET_CONFIGS[type];
}

export function nonZeroAxes(config: CameraConfig): CameraAxis[] {
  return CAMERA_AXES.filter((a) => config[a] !== 0);
}

// Magnitudes at |value| = 10, as the simulator renders them.
const SHIFT_PER_UNIT = 0.025;
const TURN_SHIFT_PER_UNIT = 0.02;
const TURN_ZOOM_PER_UNIT = 0.01;
const ZOOM_PER_UNIT = 0.06;
const ROLL_DEG_PER_UNIT = 3;

export interface PreviewMove {
  /** Fractions of the frame; + is right / up. */
  shiftX: number;
  shiftY: number;
  rotationDeg: number;
  zoom: number;
}

export function previewMove(c: CameraConfig): PreviewMove {
  const zoom = (1 + ZOOM_PER_UNIT * Math.abs(c.zoom)) ** Math.sign(c.zoom);
  return {
    shiftX: SHIFT_PER_UNIT * c.horizontal + TURN_SHIFT_PER_UNIT * c.pan,
    shiftY: SHIFT_PER_UNIT * c.vertical + TURN_SHIFT_PER_UNIT * c.tilt,
    rotationDeg: ROLL_DEG_PER_UNIT * c.roll,
    zoom: zoom * (1 + TURN_ZOOM_PER_UNIT * Math.abs(c.pan)) * (1 + TURN_ZOOM_PER_UNIT * Math.abs(c.tilt)),
  };
}

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
  horizontal: ['slides the picture left', 'slides the picture right'],
  vertical: ['moves the picture down', 'moves the picture up'],
  pan: ['turns left', 'turns right'],
  tilt: ['tilts down', 'tilts up'],
  roll: ['rolls counter-clockwise', 'rolls clockwise'],
  zoom: ['pulls back (wider view)', 'pushes in (closer view)'],
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
