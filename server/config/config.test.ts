import { describe, expect, it } from 'vitest';
import { ConfigError, KLING_GLOBAL_BASE_URL, loadConfig } from './config.ts';

const AK = 'ak-abcdefgh';
const SK = 'sk-supersecret-value';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/studio');
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('config', () => {
  it('defaults to loopback:8787, ./data and the built-in simulator', () => {
    const c = loadConfig({}, '/srv/studio');
    expect(c).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      dataDir: '/srv/studio/data',
      publicUrl: undefined,
    });
    expect(c.upstream.kind).toBe('simulator');
    expect(c.walletGuard).toEqual({ createsPerMinute: 20, maxRunningTasks: 100 });
    expect(c.queue).toEqual({ concurrency: 5, budgetUnitsPerDay: 0 });
    expect(c.tracker).toMatchObject({ pollMinMs: 2000, pollMaxMs: 30_000 });
    expect(c.bodyLimitBytes).toBe(48 * 1024 * 1024);
  });

  it('reads the queue’s slots and the daily budget, and refuses nonsense', () => {
    expect(loadConfig({ KLING_CONCURRENCY: '2', BUDGET_UNITS_PER_DAY: '250.5' }).queue).toEqual({
      concurrency: 2,
      budgetUnitsPerDay: 250.5,
    });
    expect(() => loadConfig({ KLING_CONCURRENCY: '0' })).toThrow(/KLING_CONCURRENCY/);
    expect(() => loadConfig({ BUDGET_UNITS_PER_DAY: '-1' })).toThrow(/BUDGET_UNITS_PER_DAY/);
  });

  it('uses Kling’s global endpoint with a key pair, or the given base URL', () => {
    const c = loadConfig({ KLING_ACCESS_KEY: AK, KLING_SECRET_KEY: SK });
    expect(c.upstream).toEqual({
      kind: 'kling',
      baseUrl: KLING_GLOBAL_BASE_URL,
      credentials: { type: 'jwt', accessKey: AK, secretKey: SK },
    });
    const local = loadConfig({ KLING_API_KEY: 'api-key-123456', KLING_BASE_URL: 'http://127.0.0.1:8686/' });
    expect(local.upstream).toEqual({
      kind: 'kling',
      baseUrl: 'http://127.0.0.1:8686',
      credentials: { type: 'apiKey', apiKey: 'api-key-123456' },
    });
  });

  it('treats empty values as unset (as .env files leave them)', () => {
    expect(loadConfig({ KLING_ACCESS_KEY: '', KLING_SECRET_KEY: ' ', PORT: '' }).upstream.kind).toBe(
      'simulator',
    );
  });

  it.each([
    [{ KLING_ACCESS_KEY: AK }, /KLING_ACCESS_KEY is set but KLING_SECRET_KEY is not/],
    [{ KLING_SECRET_KEY: SK }, /KLING_SECRET_KEY is set but KLING_ACCESS_KEY is not/],
    [{ KLING_ACCESS_KEY: AK, KLING_SECRET_KEY: SK, KLING_API_KEY: 'api-key-123456' }, /not both/],
    [{ KLING_BASE_URL: 'http://127.0.0.1:8686' }, /KLING_BASE_URL is set but no Kling keys are/],
    [{ PORT: 'eighty' }, /^PORT:/],
    [{ PORT: '70000' }, /^PORT:/],
    [{ PUBLIC_URL: 'ftp://x' }, /^PUBLIC_URL: must be an http\(s\) URL/],
    [{ APP_TOKEN: 'short' }, /^APP_TOKEN: must be at least 12/],
    [
      { PUBLIC_URL: 'https://studio.example.com', APP_TOKEN: 'only-23-characters-long' },
      /^APP_TOKEN must be at least 24 characters when PUBLIC_URL is set/,
    ],
    [{ SESSION_MAX_AGE_S: '10' }, /^SESSION_MAX_AGE_S:/],
    [{ POLL_MIN_MS: '5000', POLL_MAX_MS: '1000' }, /POLL_MIN_MS must not be larger/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL:/],
  ])('fails fast on %o', (env, message) => {
    const found = problems(env);
    expect(
      found.some((p) => message.test(p)),
      found.join('\n'),
    ).toBe(true);
  });

  it('takes a 12-character APP_TOKEN locally, a 24-character one behind PUBLIC_URL; sessions last 30 days', () => {
    expect(loadConfig({ APP_TOKEN: 'twelve-chars' }).appToken).toBe('twelve-chars');
    const pub = loadConfig({ PUBLIC_URL: 'https://s.example', APP_TOKEN: 'exactly-24-characters-ok' });
    expect(pub.appToken).toHaveLength(24);
    expect(pub.sessionMaxAgeS).toBe(30 * 24 * 3600);
    expect(
      problems({ PUBLIC_URL: 'https://s.example', APP_TOKEN: 'only-23-characters-long' }).join(),
    ).not.toContain('only-23');
  });

  it('names the problem, never the value', () => {
    const found = problems({ KLING_ACCESS_KEY: 'x', KLING_SECRET_KEY: 'abc' }).join('\n');
    expect(found).toMatch(/KLING_ACCESS_KEY/);
    expect(found).not.toContain('abc');
  });

  it('strips a trailing slash from PUBLIC_URL and splits the fetch allow-list', () => {
    const c = loadConfig({ PUBLIC_URL: 'https://studio.example.com/', URL_FETCH_ALLOW_HOSTS: 'a:1, b ,' });
    expect(c.publicUrl).toBe('https://studio.example.com');
    expect(c.urlFetch.allowHosts).toEqual(['a:1', 'b']);
  });

  it('bounds connections by default: 4 bodies at once, 60 s / 15 s timeouts, 50 streams a client, 1000 in all', () => {
    const c = loadConfig({}, '/srv/studio');
    expect(c.http).toEqual({ requestTimeoutMs: 60_000, headersTimeoutMs: 15_000, maxBodiesInFlight: 4 });
    expect(c.sseLimits).toEqual({ perClient: 50, total: 1000 });
    // Node refuses a server whose header timeout outlasts its request timeout: said at start instead.
    expect(problems({ REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '2000' })).toEqual([
      'HEADERS_TIMEOUT_MS must not be larger than REQUEST_TIMEOUT_MS',
    ]);
  });
});

describe('.env.example', () => {
  it('documents every variable the studio reads, and parses as a valid config', async () => {
    const { readFileSync } = await import('node:fs');
    const { envSchema } = await import('./env-schema.ts');
    const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const entries = text
      .split('\n')
      .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
      .map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]);
    expect(entries.map(([k]) => k).sort()).toEqual(Object.keys(envSchema.shape).sort());
    expect(loadConfig(Object.fromEntries(entries)).upstream.kind).toBe('simulator');
  });
});

describe('RETIRED_MODELS and USD_PER_UNIT', () => {
  it('default to no retired model and Kling’s 0.14 dollars a unit', () => {
    const c = loadConfig({}, '/srv/studio');
    expect(c.retiredModels).toEqual([]);
    expect(c.usdPerUnit).toBe(0.14);
  });

  it('take a comma-separated list of models (spaces and repeats forgiven) and a positive rate', () => {
    const c = loadConfig({ RETIRED_MODELS: ' kling-v1, kling-v1-5,,kling-v1 ', USD_PER_UNIT: '0.2' });
    expect(c.retiredModels).toEqual(['kling-v1', 'kling-v1-5']);
    expect(c.usdPerUnit).toBe(0.2);
  });

  it('refuse an unknown model name at startup, naming it and the known ones', () => {
    expect(problems({ RETIRED_MODELS: 'kling-v1,kling-v9,klingv2' })).toEqual([
      'RETIRED_MODELS: unknown models kling-v9, klingv2 (known: kling-v1, kling-v1-5, kling-v1-6, kling-v2-master, kling-v2-1, kling-v2-1-master, kling-v2-5-turbo, kling-v2-6, kling-v3)',
    ]);
    expect(problems({ USD_PER_UNIT: '0' })[0]).toMatch(/^USD_PER_UNIT: /);
    expect(problems({ USD_PER_UNIT: 'cheap' })[0]).toMatch(/^USD_PER_UNIT: /);
  });
});

describe('TRUST_PROXY', () => {
  it('is a list of addresses and CIDR ranges of both families; unset trusts no proxy', () => {
    expect(loadConfig({}, '/srv/studio').trustProxy).toEqual([]);
    const c = loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, ::1,,fd00::/8 ' }, '/srv/studio');
    expect(c.trustProxy).toEqual(['10.0.0.0/8', '::1', 'fd00::/8']);
  });

  it('refuses a bad entry at startup, naming the variable and the entry', () => {
    expect(problems({ TRUST_PROXY: '10.0.0.0/8, 10.0.0.0/33, lb.internal' })).toEqual([
      'TRUST_PROXY: "10.0.0.0/33" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 127.0.0.1, fd00::/8, ::1)',
      'TRUST_PROXY: "lb.internal" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 127.0.0.1, fd00::/8, ::1)',
    ]);
  });
});
