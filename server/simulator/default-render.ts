import type { RenderFn } from './render-queue.ts';

/**
 * The real renderer (sharp + ffmpeg), loaded on first use so that tests with a fake renderer and the
 * API itself never pay for it.
 */
export const defaultRender: RenderFn = async (job) => {
  const { renderVideo } = await import('./render/index.ts');
  return renderVideo(job);
};
