/**
 * The storyboard's public face (kling-v3 multi-shot and elements). web/app hosts the section; the editor
 * itself loads the first time a model that takes a storyboard or elements is picked (or a stored draft
 * carries one), so it is not part of the first screen. The storyboard's data lives in the draft.
 */
import { createElement, lazy, Suspense } from 'react';
import { useEditorStore } from '../../editor/editor-store.ts';
import { takesElements, takesMultiShot } from '../../editor/storyboard.ts';

const LazyPanel = lazy(() => import('./storyboard-panel.tsx').then((m) => ({ default: m.StoryboardPanel })));

/** Shown while the setup takes multi-shot or elements, or while the draft still carries them (to undo). */
export function useStoryboardShown(): boolean {
  return useEditorStore(
    (s) =>
      s.motionTab !== 'reference' &&
      (takesMultiShot(s) || takesElements(s) || s.storyboard.enabled || s.storyboard.elements.length > 0),
  );
}

export function StoryboardSection() {
  const shown = useStoryboardShown();
  if (!shown) return null;
  return createElement(
    Suspense,
    {
      fallback: createElement('p', { className: 'brush-loading', role: 'status' }, 'Loading the storyboard…'),
    },
    createElement(LazyPanel),
  );
}
