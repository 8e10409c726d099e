/**
 * `npm run simulator`: the Kling simulator on its own, for any Kling client.
 *
 * | variable | default | meaning |
 * | --- | --- | --- |
 * | `SIM_PORT`, `SIM_HOST` | 8686, 127.0.0.1 | where it listens |
 * | `SIM_ACCESS_KEY`, `SIM_SECRET_KEY` | random | the key pair tokens must be signed with |
 * | `SIM_API_KEY` | — | also accept this static bearer key |
 * | `SIM_PHASE_MS` | 1500 | time in `submitted`, and again in `processing`, before the render |
 * | `SIM_CONCURRENCY` | 5 | the account's concurrency limit (1303 beyond) |
 * | `SIM_STRICT` | off | reject mask size/aspect mismatches at create instead of failing the task |
 * | `SIM_DATA_DIR` | a temp dir | where rendered videos go (and, while their task lives, motion-control references) |
 * | `SIM_FAULT` | — | a default fault: `1303`, `creates:fail`, `queries:5000`, `creates:slow=2000,queries:1302` |
 * | `SIM_BASE_URL` | its own address | public origin for video URLs (e.g. behind a tunnel) |
 * | `SIM_WEBHOOK_SECRET` | — | sign callbacks (Standard Webhooks) with these `whsec_…` secrets, comma-separated |
 * | `SIM_RETIRED_MODELS` | — | models to answer as gone from Kling, comma-separated: `kling-v1,kling-v1-5` |
 * | `SIM_RETIRED_CODE`, `SIM_RETIRED_MESSAGE` | 1203, model not found | what a create on one of them answers |
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFaultEnv } from './faults.ts';
import { startSimulator } from './index.ts';
import { DEFAULT_RETIRED_CODE, parseModelList } from './retired-models.ts';

function intEnv(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${v}"`);
  return n;
}

const flag = (v: string | undefined) => /^(1|true|yes|on)$/i.test(v ?? '');

async function main(): Promise<void> {
  const accessKey = process.env.SIM_ACCESS_KEY || `AK${randomBytes(12).toString('hex').toUpperCase()}`;
  const secretKey = process.env.SIM_SECRET_KEY || randomBytes(24).toString('hex');
  const dataDir = process.env.SIM_DATA_DIR || mkdtempSync(join(tmpdir(), 'kling-sim-'));
  const faults = parseFaultEnv(process.env.SIM_FAULT);
  const phaseMs = intEnv('SIM_PHASE_MS', 1500);
  const concurrency = intEnv('SIM_CONCURRENCY', 5);
  const strict = flag(process.env.SIM_STRICT);
  const webhookSecrets = (process.env.SIM_WEBHOOK_SECRET ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const retiredModels = parseModelList(process.env.SIM_RETIRED_MODELS);
  const retiredCode = intEnv('SIM_RETIRED_CODE', DEFAULT_RETIRED_CODE);
  const retiredMessage = process.env.SIM_RETIRED_MESSAGE || undefined;
  const sim = await startSimulator({
    host: process.env.SIM_HOST || '127.0.0.1',
    port: intEnv('SIM_PORT', 8686),
    accessKey,
    secretKey,
    apiKey: process.env.SIM_API_KEY || undefined,
    dataDir,
    phaseMs,
    concurrency,
    strict,
    faults,
    baseUrl: process.env.SIM_BASE_URL || undefined,
    webhookSecrets,
    retiredModels,
    retiredCode,
    retiredMessage,
    log: (line) => console.log(`[sim ${new Date().toISOString().slice(11, 23)}] ${line}`),
  });
  const base = sim.baseUrl;
  const token = await sim.token();
  const signer =
    `node -e 'const c=require("crypto"),b=o=>Buffer.from(JSON.stringify(o)).toString("base64url"),` +
    `n=Math.floor(Date.now()/1e3),h=b({alg:"HS256",typ:"JWT"})+"."+b({iss:process.argv[1],exp:n+1800,nbf:n-5});` +
    `console.log(h+"."+c.createHmac("sha256",process.argv[2]).update(h).digest("base64url"))' ${accessKey} ${secretKey}`;
  console.log(`Kling simulator listening on ${base}
  access key  ${accessKey}
  secret key  ${secretKey}${process.env.SIM_API_KEY ? '\n  api key     (SIM_API_KEY) accepted as a bearer too' : ''}
  data dir    ${dataDir}
  phase ${phaseMs} ms · concurrency ${concurrency} · strict ${strict ? 'on' : 'off'} · faults ${process.env.SIM_FAULT || 'none'}
  retired     ${retiredModels.length ? `${retiredModels.join(', ')} → ${sim.sim.retired.code} "${sim.sim.retired.message}" (SIM_RETIRED_MODELS)` : 'none (SIM_RETIRED_MODELS)'}
  callbacks   ${webhookSecrets.length ? `signed with ${webhookSecrets.length} secret${webhookSecrets.length === 1 ? '' : 's'} (SIM_WEBHOOK_SECRET)` : 'unsigned'}

Point any Kling client at it: base URL ${base}, the keys above.
Sign a token (HS256, iss = access key, exp = now+1800, nbf = now-5), e.g.:
  TOKEN=$(${signer})
or use this one, valid for 30 minutes:
  TOKEN=${token}

  curl -s ${base}/v1/videos/image2video -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
    -d "{\\"model_name\\":\\"kling-v1\\",\\"prompt\\":\\"a gentle push-in\\",\\"image\\":\\"$(base64 -w0 picture.png)\\"}"
  curl -s ${base}/v1/videos/image2video/<task_id> -H "Authorization: Bearer $TOKEN"

Motion control (the picture moves like the clip; the clip is fetched from its URL, loopback included):
  curl -s ${base}/v1/videos/motion-control -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
    -d "{\\"image_url\\":\\"$(base64 -w0 picture.png)\\",\\"video_url\\":\\"http://127.0.0.1:8000/clip.mp4\\",\\"character_orientation\\":\\"video\\",\\"mode\\":\\"std\\"}"
  curl -s ${base}/v1/videos/motion-control/<task_id> -H "Authorization: Bearer $TOKEN"

Test extras: GET ${base}/__sim/requests · /__sim/stats · /__sim/tasks · /__sim/queries · /__sim/downloads · POST /__sim/faults · POST /__sim/reset`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: closing the simulator`);
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
