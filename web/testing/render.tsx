import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { useEditorStore } from '../editor/editor-store.ts';

/** A fresh QueryClient per test (no retries, no shared cache), as TanStack's testing guide advises. */
export function renderWithQuery(ui: ReactElement) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return { client, ...render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>) };
}

/** Every test starts from the default draft. */
export function resetEditor() {
  useEditorStore.getState().resetDraft();
}

/** A fetch stub answering POST /api/tasks; records the bodies it received. */
export function stubTasksApi(answer: { status: number; body: unknown }) {
  const bodies: unknown[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    if (String(url).endsWith('/api/tasks') && init?.method === 'POST') {
      bodies.push(JSON.parse(String(init.body)));
      return new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'Content-Type': 'application/json' },
      });
    }
    return new Response(JSON.stringify({ tasks: [], pageSize: 20, nextCursor: null }), { status: 200 });
  };
  return { fetch, bodies };
}
