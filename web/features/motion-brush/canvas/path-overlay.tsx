import { Arrow, Circle, Group, Line, Text } from 'react-konva';
import { pointAlongPath } from '../../../../contract/geometry/points.ts';
import type { MaskEntry } from '../model/types.ts';

/** Screen sizes (CSS px) of path furniture; divided by the display scale since the group is scaled. */
const LINE = 2.5;
const HALO = 5;
const POINT = 4;
const START = 8;
const LABEL_GAP = 30;

/**
 * One dynamic mask's path: the line with a dark halo for contrast over any photo, direction arrows,
 * a start ring, and — for the selected mask — numbered points (labels thinned so they never overlap).
 */
export function PathOverlay({
  mask,
  selected,
  scale,
}: {
  mask: MaskEntry;
  selected: boolean;
  scale: number;
}) {
  const path = mask.path;
  if (path.length === 0) return null;
  const k = 1 / scale;
  const flat = path.flatMap((p) => [p.x, p.y]);
  const first = path[0]!;
  const arrows = path.length >= 2 ? [0.25, 0.5, 0.75, 1].map((t) => arrowAt(path, t)) : [];
  let lastLabelled: { x: number; y: number } | null = null;
  const labels = selected
    ? path.map((p) => {
        const show =
          !lastLabelled || Math.hypot(p.x - lastLabelled.x, p.y - lastLabelled.y) * scale >= LABEL_GAP;
        if (show) lastLabelled = p;
        return show;
      })
    : [];
  return (
    <Group opacity={selected ? 1 : 0.7} listening={false}>
      {path.length >= 2 && (
        <>
          <Line
            points={flat}
            stroke="rgba(0,0,0,0.55)"
            strokeWidth={HALO * k}
            lineCap="round"
            lineJoin="round"
            perfectDrawEnabled={false}
          />
          <Line
            points={flat}
            stroke={mask.color}
            strokeWidth={LINE * k}
            lineCap="round"
            lineJoin="round"
            perfectDrawEnabled={false}
          />
        </>
      )}
      {arrows.map(
        (a, i) =>
          a && (
            <Arrow
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed positions along the path
              key={i}
              points={[a.from.x, a.from.y, a.to.x, a.to.y]}
              pointerLength={10 * k}
              pointerWidth={10 * k}
              fill={mask.color}
              stroke="rgba(0,0,0,0.55)"
              strokeWidth={1 * k}
            />
          ),
      )}
      <Circle
        x={first.x}
        y={first.y}
        radius={START * k}
        stroke={mask.color}
        strokeWidth={3 * k}
        fill="rgba(255,255,255,0.85)"
      />
      {selected &&
        path.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a point is its index on the path
          <Group key={i} x={p.x} y={p.y}>
            <Circle radius={POINT * k} fill={mask.color} stroke="#fff" strokeWidth={1.5 * k} />
            {labels[i] && (
              <Text
                text={String(i + 1)}
                x={6 * k}
                y={-14 * k}
                fontSize={11 * k}
                fontStyle="bold"
                fill="#fff"
                stroke="rgba(0,0,0,0.7)"
                strokeWidth={2.5 * k}
                fillAfterStrokeEnabled
              />
            )}
          </Group>
        ))}
    </Group>
  );
}

/** A short arrow pointing along the path at arc-length fraction t (ending on the path at t). */
function arrowAt(path: readonly { x: number; y: number }[], t: number) {
  const to = pointAlongPath(path, t);
  const from = pointAlongPath(path, Math.max(0, t - 0.02));
  if (Math.hypot(to.x - from.x, to.y - from.y) < 1e-6) return null;
  return { from, to };
}
