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
    if (url === '/api/health') return json(200, { ok: true, upstream: { kind: 'simulator', baseUrl: 'x' } });
    return json(200, { tasks: [], page: 1, pageSize: 20, total: 0 });
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
