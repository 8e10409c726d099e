import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { apiFetch } from './client.ts';

afterEach(() => vi.unstubAllGlobals());

describe('apiFetch', () => {
  it("sends one browser's queue id (x-studio-client) on every call, kept across calls", async () => {
    localStorage.removeItem('motion-studio:client');
    const seen: (string | null)[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_path: string, init: RequestInit) => {
        seen.push(new Headers(init.headers).get('x-studio-client'));
        return new Response('{}', { status: 200 });
      }),
    );
    await apiFetch('/api/a', z.object({}));
    await apiFetch('/api/b', z.object({}), { method: 'POST', body: '{}' });
    expect(seen[0]).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
    expect(seen[1]).toBe(seen[0]);
    expect(localStorage.getItem('motion-studio:client')).toBe(seen[0]);
  });
});
