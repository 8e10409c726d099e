import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { healthQuery, needsSignIn } from '../api/health.ts';
import { Notices } from '../components/notices.tsx';
import { HealthBadge } from './health-badge.tsx';
import { createQueryClient } from './query-client.ts';
import { SignIn, SignOut } from './sign-in.tsx';
import { Studio } from './studio.tsx';

/** The studio, or the sign-in form when the server wants its access token first. */
function Gate() {
  const { error } = useQuery(healthQuery);
  return needsSignIn(error) ? <SignIn /> : <Studio />;
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <div className="app">
        <a className="skip-link" href="#composer">
          Skip to the composer
        </a>
        <header className="app-header">
          <div className="brand">
            <svg viewBox="0 0 32 32" className="brand__logo" aria-hidden="true">
              <rect width="32" height="32" rx="8" fill="currentColor" />
              <path d="M11 9l12 7-12 7z" fill="var(--bg)" />
            </svg>
            <h1>Motion Studio</h1>
            <span className="brand__tagline">Image to video with Kling</span>
          </div>
          <div className="card__actions">
            <HealthBadge />
            <SignOut />
          </div>
        </header>
        <div id="composer" tabIndex={-1}>
          <Gate />
        </div>
        <Notices />
      </div>
    </QueryClientProvider>
  );
}
