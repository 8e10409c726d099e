/** The Kling simulator's video renderer: request motion in, H.264 MP4 that shows it out. */

export type { CameraConfig, CameraControl, CameraType } from './camera.ts';
export { ffmpegPath } from './ffmpeg-binary.ts';
export { FfmpegError } from './ffmpeg-process.ts';
export type { RenderQuality } from './frame-geometry.ts';
export { renderMotionTransfer, type TransferJob } from './motion-transfer.ts';
export { probeVideo, type VideoProbe } from './probe-video.ts';
export {
  type DynamicMask,
  type RenderJob,
  RenderJobError,
  type RenderResult,
  renderVideo,
  type Shot,
} from './render-video.ts';
export { SHOT_MOVES, type ShotMove } from './shot-framing.ts';
