import { describe, expect, it } from 'vitest';
import { taskEnvelopeSchema } from '../contract/schemas/studio-api.ts';
import { b64, png, SIM_KEYS, waitForTask, watchEvents, withStudio } from './testing/studio-harness.ts';

/**
 * With real-looking keys and an APP_TOKEN, a journey through every kind of answer (success, validation,
 * upstream errors, files, events, an internal crash) never shows the secret key, the token or a signed
 * JWT, neither in a response nor in a log line.
 */
const APP_TOKEN = 'app-token-secret-value-4242';
const JWT_RE = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;
const ctx = withStudio({ env: { APP_TOKEN } });
const seen: string[] = [];

async function record(res: Response): Promise<Response> {
  const body = await res.clone().text();
  seen.push(`${res.status} ${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${body}`);
  return res;
}

describe('secrets', () => {
  it('never appear in responses or log lines', async () => {
    const auth = { authorization: `Bearer ${APP_TOKEN}` };
    const get = async (path: string) => record(await ctx.studio.fetch(path, { headers: auth }));
    const watcher = watchEvents(ctx.studio.url, auth);
    await watcher.ready;
    const image = b64(await png(640, 360));

    await get('/api/health');
    await get('/api/capabilities');
    await get('/api/tasks/nope');
    await get('/api/nope');
    await record(await ctx.studio.fetch('/api/tasks'));
    await record(
      await ctx.studio.fetch('/api/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: APP_TOKEN }),
      }),
    );
    const ok = await record(await ctx.studio.create({ image, prompt: 'secret journey' }, auth));
    const { task } = taskEnvelopeSchema.parse(await ok.json());
    for (const prompt of ['[sim:5000]', '[sim:1303]', '[sim:1301]', '[sim:malformed]'])
      await record(await ctx.studio.create({ image, prompt }, auth));
    await record(await ctx.studio.create({ image: 'nope', cfg_scale: 7 }, auth));
    await waitForTask({ fetch: (p) => ctx.studio.fetch(p, { headers: auth }) }, task.id);
    for (const path of ['', '/inputs', '/inputs/image', '/thumbnail', '/video', '/video?download=1'])
      await get(`/api/tasks/${task.id}${path}`);
    await get('/api/tasks?pageSize=100');

    // A crash inside a route: the answer is a bare 500, and the log line is redacted.
    const realGet = ctx.studio.services.store.get;
    ctx.studio.services.store.get = () => {
      throw new Error(`database exploded near ${SIM_KEYS.secretKey} and ${APP_TOKEN}`);
    };
    const crash = await get(`/api/tasks/${task.id}`);
    ctx.studio.services.store.get = realGet;
    expect(crash.status).toBe(500);
    expect(await crash.json()).toEqual({
      error: {
        code: 'internal',
        message:
          'Something went wrong in the studio. Try again; if it keeps happening, the server log has the details.',
      },
    });

    await watcher.waitFor((t) => t.id === task.id && t.status === 'succeed');
    watcher.close();
    seen.push(watcher.raw);

    const everything = [...seen, ...ctx.studio.logLines].join('\n');
    expect(seen.length).toBeGreaterThan(15);
    expect(ctx.studio.logLines.some((l) => l.includes('database exploded near [redacted]'))).toBe(true);
    expect(everything).not.toContain(SIM_KEYS.secretKey);
    expect(everything).not.toContain(APP_TOKEN);
    expect(everything).not.toMatch(JWT_RE);
  });
});
