import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TaskInputs } from '../../../contract/schemas/studio-api.ts';
import { syntheticVideo } from '../../../contract/testing/test-videos.ts';
import { FakeXhr, uploadAnswer } from '../../testing/fake-xhr.ts';
import { makeTask } from '../../testing/task-fixture.ts';
import { useGenerateAgain } from './use-generate-again.ts';

const clip = syntheticVideo({ width: 480, height: 360, durationMs: 4000 });
const reference = {
  url: '/api/tasks/mc-1/reference',
  format: 'mp4',
  width: 480,
  height: 360,
  bytes: clip.length,
  durationMs: 4000,
  source: 'upload',
} as const;
const inputsWith = (videoUrl: string): TaskInputs => ({
  kind: 'motion-control',
  request: {
    model_name: 'kling-v2-6',
    mode: 'std',
    image_url: 'https://example.com/hero.png',
    video_url: videoUrl,
    character_orientation: 'image',
    external_task_id: 'ms-old',
  },
  images: {},
  reference,
});
const missing = {
  error: {
    code: 'invalid_request',
    message: 'Refused',
    issues: [{ field: 'video_url', rule: 'upload_missing', message: 'Reference video (video_url): gone' }],
  },
};

/** The studio's API as Generate again meets it: inputs, the reference file, and motion-control creates. */
function stubApi(inputs: TaskInputs, creates: { status: number; body: unknown }[]) {
  const posts: Record<string, unknown>[] = [];
  const gets: string[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const u = String(url);
    if (init?.method === 'POST') {
      posts.push(JSON.parse(String(init.body)));
      const a = creates.shift()!;
      return new Response(JSON.stringify(a.body), {
        status: a.status,
        headers: { 'Content-Type': 'application/json' },
      });
    }
    gets.push(u);
    if (u.endsWith('/inputs')) return new Response(JSON.stringify(inputs), { status: 200 });
    return new Response(clip as Uint8Array<ArrayBuffer>, { status: 200 });
  });
  return { posts, gets };
}

const ok = {
  status: 201,
  body: { task: makeTask({ id: 'mc-2', kind: 'motion-control', motion: 'reference' }) },
};

function run() {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  const { result } = renderHook(() => useGenerateAgain(), { wrapper });
  act(() => result.current.mutate('mc-1'));
  return result;
}

/** Answers the one upload Generate again makes. */
async function answerUpload(id: string) {
  await waitFor(() => expect(FakeXhr.sent).toHaveLength(1));
  act(() => FakeXhr.sent[0]!.respond(201, uploadAnswer(id, reference)));
}

beforeEach(() => {
  FakeXhr.reset();
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
});
afterEach(() => vi.unstubAllGlobals());

describe('Generate again of a motion-control task', () => {
  it('resends the stored request with its upload ref under a new external id', async () => {
    const api = stubApi(inputsWith('upload:up-00000001'), [ok]);
    const result = run();
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(api.posts).toEqual([
      {
        ...inputsWith('').request,
        video_url: 'upload:up-00000001',
        external_task_id: expect.stringMatching(/^ms-/),
      },
    ]);
    expect(api.posts[0]?.external_task_id).not.toBe('ms-old');
    expect(FakeXhr.sent).toHaveLength(0);
  });

  it("uploads the task's copy first when the stored video_url is no URL Kling could fetch", async () => {
    const api = stubApi(inputsWith('/api/tasks/mc-1/reference'), [ok]);
    const result = run();
    await answerUpload('fresh-000001');
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(api.gets).toContain('/api/tasks/mc-1/reference');
    expect(api.posts.map((p) => p.video_url)).toEqual(['upload:fresh-000001']);
  });

  it('uploads the reference again when the ref expired in between (upload_missing), once', async () => {
    const api = stubApi(inputsWith('upload:up-00000001'), [{ status: 400, body: missing }, ok]);
    const result = run();
    await answerUpload('fresh-000002');
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(api.posts.map((p) => p.video_url)).toEqual(['upload:up-00000001', 'upload:fresh-000002']);
  });
});
