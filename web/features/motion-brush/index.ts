/**
 * The motion brush feature's public face. web/app hosts the editor (motion-brush-slot.tsx), builds the
 * request's motion-brush fields and remixes through these; nothing else in here is meant to be imported
 * from outside. The host starts persistence once, with bootMotionBrushPersistence.
 */
import { createElement, lazy, Suspense, useMemo } from 'react';
import { motionBrushViolationsOf } from './model/violations.ts';
import { useMotionBrushStore } from './state/store.ts';

export type { MaskEntry, Tool } from './model/types.ts';
export { resetMotionBrush } from './state/actions.ts';
export { bootMotionBrushPersistence } from './state/boot.ts';
export { buildMotionBrushFields, motionBrushViolations } from './state/export-fields.ts';
export { loadMotionBrush } from './state/load-fields.ts';
export { exportRecipe, importRecipe, RECIPE_FORMAT } from './state/recipe.ts';
export {
  type MotionBrushSnapshot,
  motionBrushHasWork,
  restoreMotionBrush,
  snapshotMotionBrush,
} from './state/snapshot.ts';
export { type MotionBrushState, useMotionBrushStore, whenHydrated } from './state/store.ts';

import type { MotionBrushEditorProps } from './ui/motion-brush-editor.tsx';

export type { MotionBrushEditorProps };

// The editor (Konva and its canvas code) loads when the Motion brush tab first renders: it is not part
// of the first screen, and leaving it out keeps the first-screen JS well under its 250 KB budget.
const LazyEditor = lazy(() =>
  import('./ui/motion-brush-editor.tsx').then((m) => ({ default: m.MotionBrushEditor })),
);

export function MotionBrushEditor(props: MotionBrushEditorProps) {
  return createElement(
    Suspense,
    {
      fallback: createElement(
        'p',
        { className: 'brush-loading', role: 'status' },
        'Loading the motion brush…',
      ),
    },
    createElement(LazyEditor, props),
  );
}

/** motionBrushViolations as a hook: re-renders the host when masks or paths change. */
export function useMotionBrushViolations() {
  const masks = useMotionBrushStore((s) => s.masks);
  return useMemo(() => motionBrushViolationsOf(masks), [masks]);
}
