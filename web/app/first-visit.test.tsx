import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useEditorStore } from '../editor/editor-store.ts';
import { renderWithQuery, resetEditor } from '../testing/render.tsx';
import { isFirstVisit, rememberDraft } from './first-visit.ts';
import { Studio } from './studio.tsx';

beforeEach(() => {
  resetEditor();
  localStorage.clear();
});
afterEach(cleanup);

describe('first visit', () => {
  it('the hint: a first visit until the draft changes once; a refusing storage is never a first visit', () => {
    expect(isFirstVisit()).toBe(true);
    rememberDraft();
    expect(isFirstVisit()).toBe(false);
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(isFirstVisit(refusing)).toBe(false);
    expect(() => rememberDraft(refusing)).not.toThrow();
    expect(isFirstVisit(undefined)).toBe(false);
  });

  it('the composer is on screen before the stored draft is read, and what is typed meanwhile stays', async () => {
    await act(() => useEditorStore.persist.clearStorage());
    // A read in flight (as IndexedDB's is on a first visit), then an edit before it answers "nothing".
    const reading = useEditorStore.persist.rehydrate();
    expect(useEditorStore.persist.hasHydrated()).toBe(false);
    renderWithQuery(<Studio />);
    expect(screen.getByRole('button', { name: 'Generate' })).toBeTruthy();
    act(() => {
      useEditorStore.getState().setPrompt('typed before the read');
    });
    await act(() => reading);
    expect(useEditorStore.persist.hasHydrated()).toBe(true);
    expect(useEditorStore.getState().prompt).toBe('typed before the read');
    // The draft changed: the next visit waits for it.
    expect(isFirstVisit()).toBe(false);
  });

  it('a returning visit waits for the stored draft behind the skeleton', async () => {
    rememberDraft();
    const reading = useEditorStore.persist.rehydrate();
    renderWithQuery(<Studio />);
    expect(screen.queryByRole('button', { name: 'Generate' })).toBeNull();
    expect(document.querySelector('main[aria-busy="true"]')).not.toBeNull();
    await act(() => reading);
    expect(await screen.findByRole('button', { name: 'Generate' })).toBeTruthy();
  });
});
