import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { healthSchema } from '../contract/schemas/studio-api.ts';
import { rawConnect, stalledUpload } from './testing/raw-http.ts';
import { tempDir } from './testing/studio-harness.ts';
import { type StudioProcess, startStudioProcess } from './testing/studio-process.ts';

/** server/main.ts as a process: the built-in simulator when no keys are set, and fail-fast config. */
const dirs: string[] = [];
let running: StudioProcess | undefined;
afterAll(async () => {
  await running?.kill('SIGTERM');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('server/main.ts', () => {
  it('without keys starts the built-in simulator, says so, and reports it in /api/health', async () => {
    const dataDir = tempDir('main');
    dirs.push(dataDir);
    running = await startStudioProcess({ DATA_DIR: dataDir });
    expect(running.output()).toMatch(
      /No Kling keys are set: using the built-in Kling simulator at http:\/\/127\.0\.0\.1:\d+/,
    );
    const health = healthSchema.parse(await (await fetch(`${running.url}/api/health`)).json());
    expect(health.upstream.kind).toBe('simulator');
    expect(health.upstream.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sim = await fetch(`${health.upstream.baseUrl}/__sim/stats`);
    expect(sim.status).toBe(200);
    // SIGTERM shuts down cleanly.
    expect(await running.kill('SIGTERM')).toBe(0);
    running = undefined;
  });

  it('fails fast with a clear message when only one key of the pair is set, without echoing it', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: new URL('..', import.meta.url).pathname,
      env: { PATH: process.env.PATH ?? '', KLING_ACCESS_KEY: 'ak-only-this-one-set', PORT: '0' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/KLING_ACCESS_KEY is set but KLING_SECRET_KEY is not/);
    expect(r.stderr + r.stdout).not.toContain('ak-only-this-one-set');
  });

  it('listens with REQUEST_TIMEOUT_MS / HEADERS_TIMEOUT_MS: a stalled upload and a stalled header are cut off', async () => {
    const dataDir = tempDir('main');
    dirs.push(dataDir);
    running = await startStudioProcess({
      DATA_DIR: dataDir,
      REQUEST_TIMEOUT_MS: '1000',
      HEADERS_TIMEOUT_MS: '500',
    });
    const started = Date.now();
    const body = await stalledUpload(running.url, {
      declared: 48 * 1024 * 1024 - 1024,
      sendBytes: 64 * 1024,
    });
    const header = await rawConnect(running.url);
    await header.send(`GET /api/health HTTP/1.1\r\nHost: ${new URL(running.url).host}\r\nAcc`);
    try {
      // Node's default would have held both for 300 s.
      const cutOff = await Promise.race([
        Promise.all([header.closed, body.closed]).then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 8000)),
      ]);
      expect(cutOff).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(body.text()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      body.socket.destroy();
      header.socket.destroy();
      expect(await running.kill('SIGTERM')).toBe(0);
      running = undefined;
    }
  });
});
