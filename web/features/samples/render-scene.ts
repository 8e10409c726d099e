import { type Scene, seeded } from './scenes.ts';

/** Draws a scene at its full size and encodes it as PNG bytes (what an upload would give). */
export async function renderScenePng(scene: Scene): Promise<Uint8Array> {
  const canvas = document.createElement('canvas');
  canvas.width = scene.width;
  canvas.height = scene.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw on a canvas');
  scene.draw(ctx, scene.width, scene.height, seeded(scene.id.length * 7919));
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The sample could not be encoded');
  return new Uint8Array(await blob.arrayBuffer());
}
