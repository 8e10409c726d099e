import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MODELS, withRetiredModels } from '../../contract/capabilities/matrix.ts';
import { MOTION_CONTROL_MODELS } from '../../contract/capabilities/motion-control.ts';
import { LIMITS } from '../../contract/limits.ts';
import {
  IMAGE2VIDEO_PRICES,
  MOTION_CONTROL_UNITS_PER_SECOND,
  PRICE_SOURCE,
} from '../../contract/pricing/prices.ts';
import type { Capabilities } from '../../contract/schemas/studio-api.ts';
import { useEditorStore } from '../editor/editor-store.ts';
import { pngFrame } from '../testing/draft.ts';
import { renderWithQuery, resetEditor } from '../testing/render.tsx';
import { Studio } from './studio.tsx';

const capabilities = (usdPerUnit: number): Capabilities => ({
  models: withRetiredModels(MODELS, ['kling-v2-1-master']),
  limits: LIMITS,
  motionControl: MOTION_CONTROL_MODELS,
  prices: {
    image2video: IMAGE2VIDEO_PRICES,
    motionControl: MOTION_CONTROL_UNITS_PER_SECOND,
    source: PRICE_SOURCE,
    usdPerUnit,
  },
});

function serve(usdPerUnit = 0.14) {
  const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) =>
      String(url) === '/api/capabilities'
        ? json(capabilities(usdPerUnit))
        : json({ tasks: [], pageSize: 20, nextCursor: null }),
    ),
  );
}

// The Summary's cost line (the action bar says the same figure without its basis).
const cost = () => screen.getByText(/ units \(≈ \$/, { selector: '.summary strong' });
const select = (name: string) => screen.getByLabelText(name, { selector: 'select' }) as HTMLSelectElement;

beforeEach(() => {
  resetEditor();
  useEditorStore.getState().setFrame('start', pngFrame(1280, 720));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('kling-v3 in the composer', () => {
  it('a 3–15 s slider, 4K with its price, and a cost that follows model, mode, length and sound', async () => {
    serve();
    renderWithQuery(<Studio />);
    await screen.findByRole('button', { name: 'Generate' });
    expect(select('Model').value).toBe('kling-v2-6');
    expect(cost().textContent).toBe('5 s × 0.3 units/s = 1.5 units (≈ $0.21)');

    fireEvent.change(select('Model'), { target: { value: 'kling-v3' } });
    const slider = screen.getByRole('slider', { name: 'Duration' }) as HTMLInputElement;
    expect([slider.min, slider.max, slider.value]).toEqual(['3', '15', '5']);
    fireEvent.change(slider, { target: { value: '12' } });
    expect(slider.getAttribute('aria-valuetext')).toBe('12 s');
    expect(cost().textContent).toBe('12 s × 0.6 units/s = 7.2 units (≈ $1.01)');

    const fourK = screen.getByRole('option', { name: '4K (2160p) · 3 units/s' }) as HTMLOptionElement;
    expect(fourK.disabled).toBe(false);
    fireEvent.change(select('Mode'), { target: { value: '4k' } });
    expect(cost().textContent).toBe('12 s × 3 units/s = 36 units (≈ $5.04)');

    fireEvent.change(select('Mode'), { target: { value: 'pro' } });
    fireEvent.click(screen.getByRole('switch', { name: 'Sound' }));
    expect(cost().textContent).toBe('12 s × 1.2 units/s with sound = 14.4 units (≈ $2.02)');

    fireEvent.change(select('Model'), { target: { value: 'kling-v2-6' } });
    expect(select('Duration').value).toBe('10');
    expect(screen.queryByRole('slider', { name: 'Duration' })).toBeNull();
  });

  it('money at the rate the studio serves', async () => {
    serve(0.2);
    renderWithQuery(<Studio />);
    await waitFor(() => expect(cost().textContent).toBe('5 s × 0.3 units/s = 1.5 units (≈ $0.30)'));
  });
});

describe('lifecycles in the composer', () => {
  it('a legacy model wears its badge and note; a served-retired one is disabled with its note', async () => {
    serve();
    renderWithQuery(<Studio />);
    await screen.findByRole('button', { name: 'Generate' });
    const retired = (await screen.findByRole('option', {
      name: /^Kling 2\.1 Master — Kling no longer offers kling-v2-1-master; pick another/,
    })) as HTMLOptionElement;
    expect(retired.disabled).toBe(true);

    fireEvent.change(select('Model'), { target: { value: 'kling-v1' } });
    expect(screen.getByText('Legacy')).toBeTruthy();
    expect(
      screen.getByText(/Kling 1\.0: reported retired on 2026-09-15; may fail on your account/),
    ).toBeTruthy();
  });

  it('a draft already on a retired model is held in the contract words before anything is sent', async () => {
    serve();
    useEditorStore.getState().setModel('kling-v2-1-master');
    renderWithQuery(<Studio />);
    const reason = await screen.findByText(/Kling no longer offers kling-v2-1-master; pick another$/, {
      selector: '.reasons li',
    });
    expect(reason).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Generate' }).getAttribute('aria-disabled')).toBe('true');
  });
});
