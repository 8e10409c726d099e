import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { resetEditor } from '../testing/render.tsx';
import { App } from './app.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  resetEditor();
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** GET /api/health of a single studio on the built-in simulator. */
const HEALTH = {
  ok: true,
  upstream: { kind: 'simulator', baseUrl: 'x' },
  replica: 'test',
  store: 'sqlite',
  storage: 'local',
  database: { reachable: true },
};

it('asks for the access token when the studio needs one, then opens the studio', async () => {
  let signedIn = false;
  const logins: unknown[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    if (url === '/api/login') {
      logins.push(JSON.parse(String(init?.body)));
      signedIn = true;
      return json(200, { ok: true, required: true });
    }
    if (!signedIn)
      return json(401, {
        error: { code: 'app_token_required', message: 'This studio needs its access token.' },
      });
    if (url === '/api/health') return json(200, HEALTH);
    return json(200, { tasks: [], pageSize: 20, nextCursor: null });
  });
  vi.stubGlobal(
    'EventSource',
    class {
      close() {}
      addEventListener() {}
    },
  );
  render(<App />);
  fireEvent.change(await screen.findByLabelText('Access token'), { target: { value: 'secret-token-123' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  expect(await screen.findByRole('button', { name: 'Generate' })).toBeTruthy();
  expect(logins).toEqual([{ token: 'secret-token-123' }]);
  expect(screen.getByText('Simulator · no credits used')).toBeTruthy();
});

/** A studio that asks for a token when `required`, with a session that POST /api/logout ends. */
function stubStudio(required: boolean) {
  const state = { signedIn: false, logouts: 0 };
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    if (url === '/api/login') {
      state.signedIn = true;
      return json(200, { ok: true, required });
    }
    if (url === '/api/logout' && init?.method === 'POST') {
      state.logouts++;
      state.signedIn = false;
      return json(200, { ok: true, required });
    }
    if (required && !state.signedIn)
      return json(401, {
        error: { code: 'app_token_required', message: 'This studio needs its access token.' },
      });
    if (url === '/api/session') return json(200, { required });
    if (url === '/api/health') return json(200, HEALTH);
    return json(200, { tasks: [], pageSize: 20, nextCursor: null });
  });
  vi.stubGlobal(
    'EventSource',
    class {
      close() {}
      addEventListener() {}
    },
  );
  return state;
}

it('signs out: every session ends on the server and the sign-in form is back', async () => {
  const state = stubStudio(true);
  render(<App />);
  expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
  fireEvent.change(await screen.findByLabelText('Access token'), { target: { value: 'secret-token-123' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
  expect(await screen.findByLabelText('Access token')).toBeTruthy();
  expect(state.logouts).toBe(1);
  expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
  expect(screen.queryByRole('button', { name: 'Generate' })).toBeNull();
});

it('offers no sign-out when the studio needs no token', async () => {
  stubStudio(false);
  render(<App />);
  expect(await screen.findByRole('button', { name: 'Generate' })).toBeTruthy();
  expect(await screen.findByText('Simulator · no credits used')).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
});
