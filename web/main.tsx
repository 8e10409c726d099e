import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { defaultKeyValue } from './editor/draft-storage.ts';
import { bootMotionBrushPersistence } from './features/motion-brush/index.ts';
import './styles/app.css';

// Before the first render, so a remix or a submit never waits on an editor that was never shown.
bootMotionBrushPersistence(defaultKeyValue());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
