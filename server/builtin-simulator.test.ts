import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startBuiltinSimulator } from './builtin-simulator.ts';
import { ConfigError, configSecrets, loadConfig } from './config/config.ts';
import { createWebhookVerifier } from './http/webhook-signature.ts';
import { systemClock } from './lib/clock.ts';
import { createLogger } from './lib/logger.ts';
import { signKlingToken } from './simulator/index.ts';
import { b64, png, type Receiver, startReceiver } from './simulator/test-support.ts';
import { tempDir } from './testing/studio-harness.ts';

/**
 * With no Kling keys, the built-in simulator takes its settings from the studio's config: with
 * KLING_WEBHOOK_SECRET set it signs its callbacks with that secret (SIM_WEBHOOK_SECRET overrides it).
 */
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function firstCallback(env: Record<string, string>): Promise<Receiver['received'][number]> {
  const dataDir = tempDir('builtin');
  const config = loadConfig({ DATA_DIR: dataDir, SIM_PHASE_MS: '20', ...env });
  if (config.upstream.kind !== 'simulator') throw new Error('expected the built-in simulator');
  const sim = await startBuiltinSimulator(
    config.upstream.simulator,
    dataDir,
    createLogger({ write: () => {} }),
  );
  const receiver = await startReceiver();
  cleanup.push(async () => {
    rmSync(dataDir, { recursive: true, force: true });
  });
  cleanup.push(() => receiver.close());
  cleanup.push(() => sim.close());
  const { credentials } = sim.upstream;
  if (credentials.type !== 'jwt') throw new Error('expected a key pair');
  const res = await fetch(`${sim.upstream.baseUrl}/v1/videos/image2video`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await signKlingToken(credentials.accessKey, credentials.secretKey)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ image: b64(await png()), callback_url: `${receiver.url}/cb` }),
  });
  expect(res.status).toBe(200);
  // The `processing` callback comes after one phase, before any render.
  await vi.waitFor(() => expect(receiver.received.length).toBeGreaterThan(0), { timeout: 10_000 });
  return receiver.received[0]!;
}

const verifies = (secrets: string[], cb: Receiver['received'][number]) =>
  createWebhookVerifier({ secrets, clock: systemClock }).verify(Buffer.from(cb.raw), (n) => {
    const v = cb.headers[n];
    return Array.isArray(v) ? v[0] : v;
  }).ok;

describe('the built-in simulator and KLING_WEBHOOK_SECRET', () => {
  it('signs its callbacks with the studio’s secret, so the studio’s verifier accepts them', async () => {
    const secret = newSecret();
    const cb = await firstCallback({ KLING_WEBHOOK_SECRET: secret });
    expect(verifies([secret], cb)).toBe(true);
    expect(verifies([newSecret()], cb)).toBe(false);
  });

  it('SIM_WEBHOOK_SECRET overrides it (a way to see the studio refuse callbacks)', async () => {
    const studioSecret = newSecret();
    const simSecret = newSecret();
    const cb = await firstCallback({ KLING_WEBHOOK_SECRET: studioSecret, SIM_WEBHOOK_SECRET: simSecret });
    expect(verifies([simSecret], cb)).toBe(true);
    expect(verifies([studioSecret], cb)).toBe(false);
  });

  it('sends unsigned callbacks without a secret, as today', async () => {
    const cb = await firstCallback({});
    expect(cb.headers['webhook-signature']).toBeUndefined();
  });
});

describe('KLING_WEBHOOK_SECRET in the config', () => {
  it('takes several comma-separated secrets and registers every form of them for redaction', () => {
    const [a, b] = [newSecret(), newSecret()];
    const config = loadConfig({ KLING_WEBHOOK_SECRET: ` ${a} ,${b}` });
    expect(config.webhookSecrets).toEqual([a, b]);
    const secrets = configSecrets(config);
    for (const s of [a, b]) {
      expect(secrets).toContain(s);
      expect(secrets).toContain(s.slice('whsec_'.length));
    }
    expect(loadConfig({}).webhookSecrets).toEqual([]);
  });

  it('refuses a secret that is not whsec_ base64, without echoing it', () => {
    const bad = 'whsec_this-is-not*base64';
    let err: unknown;
    try {
      loadConfig({ KLING_WEBHOOK_SECRET: `${newSecret()},${bad}` });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(
      /KLING_WEBHOOK_SECRET: secret 2 must be whsec_ followed by base64/,
    );
    expect((err as ConfigError).message).not.toContain(bad);
  });
});

describe('the built-in simulator and SIM_RETIRED_MODELS', () => {
  async function createOn(env: Record<string, string>, model: string) {
    const dataDir = tempDir('builtin-retired');
    const config = loadConfig({ DATA_DIR: dataDir, SIM_PHASE_MS: '20', ...env });
    if (config.upstream.kind !== 'simulator') throw new Error('expected the built-in simulator');
    const sim = await startBuiltinSimulator(
      config.upstream.simulator,
      dataDir,
      createLogger({ write: () => {} }),
    );
    cleanup.push(async () => {
      rmSync(dataDir, { recursive: true, force: true });
    });
    cleanup.push(() => sim.close());
    const { credentials } = sim.upstream;
    if (credentials.type !== 'jwt') throw new Error('expected a key pair');
    const res = await fetch(`${sim.upstream.baseUrl}/v1/videos/image2video`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await signKlingToken(credentials.accessKey, credentials.secretKey)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ model_name: model, image: b64(await png()) }),
    });
    const body = (await res.json()) as { code: number; message: string };
    return { status: res.status, code: body.code, message: body.message };
  }

  it('answers a create on a listed model 404/1203 "model not found", and the others as usual', async () => {
    const env = { SIM_RETIRED_MODELS: 'kling-v1, kling-v1-5' };
    expect(await createOn(env, 'kling-v1-5')).toEqual({
      status: 404,
      code: 1203,
      message: 'model not found',
    });
    expect((await createOn(env, 'kling-v2-6')).code).toBe(0);
  });

  it('answers with SIM_RETIRED_CODE and SIM_RETIRED_MESSAGE when set', async () => {
    const env = { SIM_RETIRED_MODELS: 'kling-v2-1', SIM_RETIRED_CODE: '1201', SIM_RETIRED_MESSAGE: 'gone' };
    expect(await createOn(env, 'kling-v2-1')).toEqual({ status: 400, code: 1201, message: 'gone' });
  });

  it('refuses a code that is not a number at boot', () => {
    expect(() => loadConfig({ SIM_RETIRED_CODE: 'soon' })).toThrow(/SIM_RETIRED_CODE/);
  });
});
