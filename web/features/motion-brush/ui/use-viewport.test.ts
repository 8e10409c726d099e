import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Size } from '../model/types.ts';
import { fitView } from '../model/viewport.ts';
import { useViewport } from './use-viewport.ts';

const image: Size = { width: 4000, height: 2000 };
const small: Size = { width: 800, height: 600 };
const large: Size = { width: 1600, height: 900 };

describe('useViewport', () => {
  it('fits the frame to the box, and re-fits when the box changes while still fitted', () => {
    const { result, rerender } = renderHook(({ box }) => useViewport(image, box), {
      initialProps: { box: small },
    });
    expect(result.current.viewport).toEqual(fitView(image, small));
    expect(result.current.current()).toEqual(fitView(image, small));
    rerender({ box: large });
    expect(result.current.viewport).toEqual(fitView(image, large));
  });

  it('keeps the creator’s zoom across box changes until Fit', () => {
    const { result, rerender } = renderHook(({ box }) => useViewport(image, box), {
      initialProps: { box: small },
    });
    act(() => result.current.zoomBy(2));
    const zoomed = result.current.viewport!;
    expect(zoomed.scale).toBeCloseTo(fitView(image, small).scale * 2);
    rerender({ box: large });
    expect(result.current.viewport).toEqual(zoomed);
    act(() => result.current.fit());
    expect(result.current.viewport).toEqual(fitView(image, large));
  });

  it('never zooms out past a quarter of the fitted scale', () => {
    const { result } = renderHook(() => useViewport(image, small));
    for (let i = 0; i < 20; i++) act(() => result.current.zoomBy(0.5));
    expect(result.current.viewport!.scale).toBeCloseTo(fitView(image, small).scale * 0.25);
    expect(result.current.minScale()).toBeCloseTo(fitView(image, small).scale * 0.25);
  });

  it('has nothing to show before the box or the frame is known', () => {
    const { result } = renderHook(() => useViewport(null, small));
    expect(result.current.viewport).toBeNull();
  });
});
