import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { z } from 'zod';
import { apiFetch } from '../api/client.ts';
import { healthQuery, needsSignIn } from '../api/health.ts';

const loginAnswer = z.object({ ok: z.boolean(), required: z.boolean() });

/** Whether this studio asks for a token at all (GET /api/session answers only once signed in). */
const sessionQuery = queryOptions({
  queryKey: ['session'],
  queryFn: ({ signal }) => apiFetch('/api/session', z.object({ required: z.boolean() }), { signal }),
  retry: false,
});

/**
 * Shown when the studio runs with APP_TOKEN: the token is exchanged for an HttpOnly session cookie
 * (POST /api/login), so it is never kept in the page, and every query then retries with the cookie.
 */
export function SignIn() {
  const queryClient = useQueryClient();
  const [token, setToken] = useState('');
  const id = useId();
  const login = useMutation({
    mutationFn: (value: string) =>
      apiFetch('/api/login', loginAnswer, { method: 'POST', body: JSON.stringify({ token: value }) }),
    onSuccess: () => {
      setToken('');
      void queryClient.invalidateQueries();
    },
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (token) login.mutate(token);
  }
  return (
    <main className="sign-in">
      <form className="card sign-in__card" onSubmit={onSubmit}>
        <h2 className="card__title">Sign in to this studio</h2>
        <p className="muted">It runs with an access token (APP_TOKEN). Ask whoever started it.</p>
        <div className="field">
          <label htmlFor={id} className="field__label">
            Access token
          </label>
          <input
            id={id}
            className="input"
            type="password"
            autoComplete="current-password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        </div>
        {login.error && (
          <p className="field-issues" role="alert">
            {login.error.message}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={!token || login.isPending}>
          Sign in
        </button>
      </form>
    </main>
  );
}

/**
 * Ends every session of this studio (POST /api/logout), then drops what was loaded so the studio shows the
 * sign-in form again. Shown only where signing in exists: a studio without APP_TOKEN has nothing to end.
 */
export function SignOut() {
  const queryClient = useQueryClient();
  const session = useQuery(sessionQuery);
  const health = useQuery(healthQuery);
  const logout = useMutation({
    mutationFn: () => apiFetch('/api/logout', loginAnswer, { method: 'POST' }),
    onSettled: () => queryClient.resetQueries(),
  });
  // A failed refetch keeps the last answer as data: only a fresh success counts.
  if (session.status !== 'success' || !session.data.required || needsSignIn(health.error)) return null;
  return (
    <button
      type="button"
      className="button button--ghost"
      disabled={logout.isPending}
      onClick={() => logout.mutate()}
    >
      Sign out
    </button>
  );
}
