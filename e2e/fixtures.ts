import { randomUUID } from 'node:crypto';
import { type APIRequestContext, test as base, expect } from '@playwright/test';
import type { CreateRequest } from '../contract/schemas/create-request.ts';
import type { Health } from '../contract/schemas/studio-api.ts';

/** What the simulator recorded of one create request (GET /__sim/requests). */
export interface SimRequest {
  body: CreateRequest & Record<string, unknown>;
  receivedAt?: number;
}

/** The upstream the studio talks to: the in-process simulator, found through /api/health. */
export class Sim {
  constructor(
    private readonly request: APIRequestContext,
    readonly baseUrl: string,
  ) {}

  async requests(): Promise<SimRequest[]> {
    const res = await this.request.get(`${this.baseUrl}/__sim/requests`);
    expect(res.ok()).toBeTruthy();
    const json = (await res.json()) as { requests?: SimRequest[] } | SimRequest[];
    return Array.isArray(json) ? json : (json.requests ?? []);
  }

  /** Requests received since `before` (a count taken earlier), so tests sharing the simulator stay isolated. */
  async requestsSince(before: number): Promise<SimRequest[]> {
    return (await this.requests()).slice(before);
  }

  /** Waits for the request carrying `prompt` among those received since `before`. */
  async requestWithPrompt(before: number, prompt: string): Promise<SimRequest> {
    let found: SimRequest | undefined;
    await expect
      .poll(async () => {
        found = (await this.requestsSince(before)).find((r) => r.body.prompt === prompt);
        return !!found;
      })
      .toBe(true);
    return found!;
  }
}

/** Spec files share one simulator: each test finds its own request by a prompt nobody else uses. */
export const uniquePrompt = (what: string) => `e2e ${what} ${randomUUID().slice(0, 8)}`;

export const test = base.extend<{ sim: Sim }>({
  sim: async ({ request }, use) => {
    const health = (await (await request.get('/api/health')).json()) as Health;
    await use(new Sim(request, health.upstream.baseUrl));
  },
});

export { expect };
