import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MODELS, withRetiredModels } from '../../contract/capabilities/matrix.ts';
import { MOTION_CONTROL_MODELS } from '../../contract/capabilities/motion-control.ts';
import { LIMITS } from '../../contract/limits.ts';
import {
  DEFAULT_USD_PER_UNIT,
  IMAGE2VIDEO_PRICES,
  MOTION_CONTROL_UNITS_PER_SECOND,
  PRICE_SOURCE,
} from '../../contract/pricing/prices.ts';
import type { Capabilities } from '../../contract/schemas/studio-api.ts';
import { BUNDLED_CAPABILITIES, useCapabilities } from './capabilities.ts';

/** What a studio started with RETIRED_MODELS=kling-v2-1-master and USD_PER_UNIT=0.2 answers. */
const served: Capabilities = {
  models: withRetiredModels(MODELS, ['kling-v2-1-master']),
  limits: LIMITS,
  motionControl: MOTION_CONTROL_MODELS,
  prices: {
    image2video: IMAGE2VIDEO_PRICES,
    motionControl: MOTION_CONTROL_UNITS_PER_SECOND,
    source: PRICE_SOURCE,
    usdPerUnit: 0.2,
  },
};

function wrapper({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

afterEach(() => vi.unstubAllGlobals());

describe('useCapabilities', () => {
  it('renders from what the studio serves: its retired models and its money rate', async () => {
    const fetch = vi.fn(async (_url: string) => new Response(JSON.stringify(served), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const { result } = renderHook(() => useCapabilities(), { wrapper });
    // The bundled map stands in until the answer is in.
    expect(result.current).toBe(BUNDLED_CAPABILITIES);
    await waitFor(() => expect(result.current.retiredModels).toEqual(['kling-v2-1-master']));
    expect(result.current.usdPerUnit).toBe(0.2);
    expect(result.current.models['kling-v2-1-master'].lifecycle).toEqual({
      status: 'retired',
      note: 'Kling no longer offers kling-v2-1-master; pick another',
    });
    expect(fetch.mock.calls[0]![0]).toBe('/api/capabilities');
  });

  it('keeps the bundled map when the answer cannot be read', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ models: {} }), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const { result } = renderHook(() => useCapabilities(), { wrapper });
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 20));
    expect(result.current).toBe(BUNDLED_CAPABILITIES);
    expect(result.current.retiredModels).toEqual([]);
    expect(result.current.usdPerUnit).toBe(DEFAULT_USD_PER_UNIT);
  });
});
