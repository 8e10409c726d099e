import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskEnvelopeSchema } from '../contract/schemas/studio-api.ts';
import { mountSpa } from './spa/serve-spa.ts';
import { b64, png, waitForTask, withStudio } from './testing/studio-harness.ts';

/**
 * The SPA never carries a secret. The build runs with real-looking Kling keys and an APP_TOKEN in its
 * environment (as `npm start` would on a configured machine), every emitted file is crawled, then the
 * same build is served by the studio — configured with those keys, signing real JWTs for a simulator
 * that checks them — and index.html, everything it references and every file of the build are fetched
 * over HTTP: none contains the secret key, the access key, the token or anything shaped like a JWT.
 */
const ACCESS_KEY = 'AKx7Qm2Lp9Vt4Rz8Nc3Wb6Yh1Jd5Fg0S';
const SECRET_KEY = 'sk9Tq4Wz7Xc2Vb8Nm3Lk6Jh1Gf5Ds0Ap';
const API_KEY = 'kling-api-key-Zr4Ty8Ui2Op6As0Df';
const APP_TOKEN = 'app-token-Hq3Wn7Ec1Rv5Tb9Ym';
const SECRETS = { ACCESS_KEY, SECRET_KEY, API_KEY, APP_TOKEN };
/** A compact JWT: base64url header and payload, both JSON objects (`{"` encodes to `eyJ`). */
const JWT_RE = /eyJ[\w-]+\.eyJ[\w-]+/;

const root = fileURLToPath(new URL('..', import.meta.url));
let outDir: string;
const ctx = withStudio({
  sim: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY },
  env: { KLING_ACCESS_KEY: ACCESS_KEY, KLING_SECRET_KEY: SECRET_KEY, APP_TOKEN },
});

function leaksIn(text: string): string[] {
  const found = Object.entries(SECRETS)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
  const jwt = JWT_RE.exec(text);
  if (jwt) found.push(`JWT ${jwt[0].slice(0, 24)}…`);
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'ms-spa-secrets-'));
  const build = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        KLING_ACCESS_KEY: ACCESS_KEY,
        KLING_SECRET_KEY: SECRET_KEY,
        KLING_API_KEY: API_KEY,
        APP_TOKEN,
      },
    },
  );
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
  // Mounted as server/main.ts mounts dist/: after the /api routes, before the first request.
  mountSpa(ctx.studio.app, outDir);
}, 60_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('secrets never reach the browser', () => {
  it('the leak check itself finds each secret and a JWT', () => {
    for (const value of Object.values(SECRETS)) expect(leaksIn(`x${value}x`)).not.toEqual([]);
    expect(leaksIn('Bearer eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln')).not.toEqual([]);
    expect(leaksIn('export const a = "eyJ";')).toEqual([]);
  });

  it('no file the SPA build emits contains a key, the token or a JWT', () => {
    const files = filesUnder(outDir);
    const names = files.map((f) => relative(outDir, f).split(sep).join('/'));
    // Not a vacuous crawl: the page, its script and its styles are there.
    expect(names).toContain('index.html');
    expect(names.some((n) => /^assets\/.+\.js$/.test(n))).toBe(true);
    expect(names.some((n) => /^assets\/.+\.css$/.test(n))).toBe(true);
    const leaks = files.flatMap((f) =>
      leaksIn(readFileSync(f).toString('latin1')).map((l) => `${relative(outDir, f)}: ${l}`),
    );
    expect(leaks).toEqual([]);
  });

  it('served by the studio with those keys in use, no page or asset contains them', async () => {
    // The keys are live: a create is signed with them and the simulator accepts the signature.
    const auth = { authorization: `Bearer ${APP_TOKEN}` };
    const created = await ctx.studio.create({ image: b64(await png(640, 360)), prompt: 'spa secrets' }, auth);
    expect(created.status).toBe(201);
    const { task } = taskEnvelopeSchema.parse(await created.json());
    await waitForTask({ fetch: (p) => ctx.studio.fetch(p, { headers: auth }) }, task.id);
    expect((await ctx.sim.requests()).length).toBe(1);

    const served = new Map<string, string>();
    const get = async (path: string) => {
      // As a browser that has not logged in asks for the page: no token, no cookie.
      const res = await ctx.studio.fetch(path);
      expect(res.status, path).toBe(200);
      const body = Buffer.from(await res.arrayBuffer()).toString('latin1');
      served.set(path, `${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${body}`);
      return body;
    };

    const index = await get('/');
    await get('/tasks/some-client-route');
    const referenced = [...index.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((u) => u.startsWith('/') && !u.startsWith('//'));
    expect(referenced.some((u) => u.endsWith('.js'))).toBe(true);
    for (const url of referenced) await get(url);
    // Assets the page loads later (chunks, fonts, images): every file of the build, by its URL.
    for (const file of filesUnder(outDir)) await get(`/${relative(outDir, file).split(sep).join('/')}`);

    expect(served.size).toBeGreaterThanOrEqual(referenced.length + 2);
    const leaks = [...served].flatMap(([path, text]) => leaksIn(text).map((l) => `${path}: ${l}`));
    expect(leaks).toEqual([]);
  });
});
