import type { RenderFn } from './render-queue.ts';

/**
 * The real renderers (sharp + ffmpeg), loaded on first use so that tests with a fake renderer and the
 * API itself never pay for them: renderVideo for image2video, renderMotionTransfer for motion control.
 */
export const defaultRender: RenderFn = async (job) => {
  const render = await import('./render/index.ts');
  return job.kind === 'motion-control' ? render.renderMotionTransfer(job) : render.renderVideo(job);
};
