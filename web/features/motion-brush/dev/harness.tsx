/**
 * A development page for the motion brush alone (`npx vite`, then open
 * /web/features/motion-brush/dev/harness.html?w=4096&h=4096). It paints a synthetic start frame of the
 * requested size, hosts the editor, and exposes the public API on `window.motionBrush` for poking and
 * for measuring pointer cost on large frames. Not part of the app build.
 */
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import '../../../styles/app.css';
import { defaultKeyValue } from '../../../editor/draft-storage.ts';
import * as api from '../index.ts';

api.bootMotionBrushPersistence(defaultKeyValue());

const params = new URLSearchParams(location.search);
const width = Number(params.get('w') ?? 1280);
const height = Number(params.get('h') ?? 720);

function syntheticFrame(w: number, h: number): string {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  const ctx = c.getContext('2d')!;
  const g = ctx.createLinearGradient(0, 0, w, h);
  g.addColorStop(0, '#1d3557');
  g.addColorStop(1, '#e9c46a');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#e63946';
  ctx.beginPath();
  ctx.arc(w * 0.25, h * 0.7, Math.min(w, h) * 0.12, 0, Math.PI * 2);
  ctx.fill();
  return c.toDataURL('image/jpeg', 0.9);
}

function Harness() {
  const [src, setSrc] = useState<string | null>(null);
  const [out, setOut] = useState('');
  useEffect(() => setSrc(syntheticFrame(width, height)), []);
  return (
    <main style={{ padding: 16, maxWidth: 1400, margin: '0 auto' }}>
      <api.MotionBrushEditor image={src ? { src, width, height } : null} duration="5" />
      <button
        type="button"
        className="button"
        onClick={async () => {
          const f = await api.buildMotionBrushFields({ width, height });
          setOut(
            JSON.stringify(
              {
                static_mask: f.static_mask?.length,
                dynamic_masks: f.dynamic_masks?.map((d) => ({
                  mask: d.mask.length,
                  trajectories: d.trajectories,
                })),
                violations: api.motionBrushViolations(),
              },
              null,
              1,
            ),
          );
        }}
      >
        Build fields
      </button>
      <pre>{out}</pre>
    </main>
  );
}

Object.assign(window, { motionBrush: api });
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Harness />
  </StrictMode>,
);
