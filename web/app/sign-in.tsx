import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { z } from 'zod';
import { apiFetch } from '../api/client.ts';

const loginAnswer = z.object({ ok: z.boolean(), required: z.boolean() });

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
