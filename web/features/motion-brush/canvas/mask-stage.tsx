import { useEffect } from 'react';
import { Circle, Group, Image as KImage, Layer, Line, Stage } from 'react-konva';
import type { MaskEntry, Size, Tool } from '../model/types.ts';
import type { Viewport } from '../model/viewport.ts';
import { getBitmap } from '../state/bitmaps.ts';
import { mirrorOf, pruneMirrors } from './mask-mirror.ts';
import { PathOverlay } from './path-overlay.tsx';
import type { StageController } from './stage-controller.ts';

export interface PreviewCutout {
  id: string;
  canvas: HTMLCanvasElement;
}

interface Props {
  controller: StageController;
  box: Size;
  frame: HTMLImageElement | null;
  imageSize: Size;
  viewport: Viewport;
  masks: MaskEntry[];
  selectedId: string | null;
  tool: Tool;
  brushSize: number;
  /** Set while the motion preview plays: dynamic regions are drawn as moving cut-outs instead of tints. */
  cutouts: PreviewCutout[] | null;
}

/**
 * A tint light enough to see the picture through; the static mask's black-and-white stripes stay more
 * opaque, since half of them must read against any picture.
 */
function maskOpacity(m: MaskEntry, selected: boolean): number {
  if (m.kind === 'static') return selected ? 0.7 : 0.55;
  return selected ? 0.55 : 0.38;
}

/**
 * The Konva scene, three layers by how often they change: the frame (only on zoom/pan), the masks (one
 * Konva.Image per mask, redrawn while painting), and the overlay (paths, freehand stroke, brush cursor).
 * Every layer is non-listening: input is read from pointer events on the host element instead, which
 * gives coalesced samples and pointer capture and skips Konva's hit graph.
 */
export function MaskStage(p: Props) {
  const { controller: c, viewport: v, imageSize, cutouts } = p;
  const view = { x: v.offsetX, y: v.offsetY, scaleX: v.scale, scaleY: v.scale };
  const k = 1 / v.scale;
  const brushy = p.tool === 'brush' || p.tool === 'eraser';
  // Not on unmount: StrictMode's rehearsal unmount would blank canvases the nodes still show.
  useEffect(() => {
    const live = new Set(p.masks.map((m) => getBitmap(m.id)).filter((b) => b !== undefined));
    pruneMirrors(live);
  });
  return (
    <Stage width={p.box.width} height={p.box.height}>
      <Layer listening={false}>
        <Group {...view}>
          {p.frame && <KImage image={p.frame} width={imageSize.width} height={imageSize.height} />}
        </Group>
      </Layer>
      <Layer
        listening={false}
        ref={(n) => {
          c.masksLayer = n;
        }}
      >
        <Group {...view}>
          {p.masks.map((m) => {
            if (!m.visible || (cutouts && m.kind === 'dynamic')) return null;
            const b = getBitmap(m.id);
            const canvas = b && mirrorOf(b, m);
            if (!canvas) return null;
            return (
              <KImage
                key={m.id}
                name={`mask-${m.kind}`}
                image={canvas}
                width={imageSize.width}
                height={imageSize.height}
                opacity={maskOpacity(m, m.id === p.selectedId)}
                perfectDrawEnabled={false}
              />
            );
          })}
          {cutouts?.map((cut) => (
            <KImage
              key={cut.id}
              ref={(n) => {
                if (n) c.previewNodes.set(cut.id, n);
                else c.previewNodes.delete(cut.id);
              }}
              image={cut.canvas}
              width={imageSize.width}
              height={imageSize.height}
              perfectDrawEnabled={false}
            />
          ))}
        </Group>
      </Layer>
      <Layer
        listening={false}
        ref={(n) => {
          c.overlayLayer = n;
        }}
      >
        <Group {...view}>
          {p.masks.map(
            (m) =>
              m.kind === 'dynamic' &&
              m.visible && (
                <PathOverlay
                  key={m.id}
                  mask={m}
                  selected={m.id === p.selectedId && !cutouts}
                  scale={v.scale}
                />
              ),
          )}
          <Line
            ref={(n) => {
              c.freehand = n;
            }}
            visible={false}
            stroke="#fff"
            strokeWidth={2 * k}
            dash={[6 * k, 4 * k]}
            lineCap="round"
            lineJoin="round"
          />
          <Group
            ref={(n) => {
              c.cursor = n;
            }}
            visible={false}
          >
            {brushy && (
              <>
                <Circle radius={p.brushSize / 2} stroke="rgba(0,0,0,0.8)" strokeWidth={3 * k} />
                <Circle
                  radius={p.brushSize / 2}
                  stroke="#fff"
                  strokeWidth={1.5 * k}
                  dash={p.tool === 'eraser' ? [4 * k, 3 * k] : undefined}
                />
              </>
            )}
          </Group>
        </Group>
      </Layer>
    </Stage>
  );
}
