/**
 * The studio process: read the config, start the built-in simulator when there are no Kling keys, build the
 * app, serve the SPA and /api on one port, resume every unfinished task, and shut down cleanly.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApp } from './app.ts';
import { startBuiltinSimulator } from './builtin-simulator.ts';
import { type Config, ConfigError, configSecrets, loadConfig } from './config/config.ts';
import { listenStudio } from './http/serve-studio.ts';
import { createLifecycle } from './lib/lifecycle.ts';
import { createLogger } from './lib/logger.ts';
import { mountSpa } from './spa/serve-spa.ts';
import { createServices, type ResolvedUpstream } from './wire.ts';

const root = new URL('..', import.meta.url).pathname;

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Motion Studio cannot start.\n${e.message}\nSee .env.example for every setting.`);
      process.exit(1);
    }
    throw e;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const log = createLogger({ secrets: configSecrets(config), level: config.logLevel });

  let upstream: ResolvedUpstream;
  let stopSimulator: (() => Promise<void>) | undefined;
  if (config.upstream.kind === 'simulator') {
    const sim = await startBuiltinSimulator(config.upstream.simulator, config.dataDir, log);
    upstream = sim.upstream;
    stopSimulator = sim.close;
    log.info(`No Kling keys are set: using the built-in Kling simulator at ${upstream.baseUrl}`);
  } else {
    upstream = { kind: 'kling', baseUrl: config.upstream.baseUrl, credentials: config.upstream.credentials };
    log.info(
      `Upstream: Kling at ${upstream.baseUrl} (${config.upstream.credentials.type === 'jwt' ? 'key pair' : 'API key'})`,
    );
  }

  const lifecycle = createLifecycle({ started: false });
  const services = await createServices({ config, upstream, log, lifecycle });
  const app = createApp(services);
  mountSpa(app, join(root, 'dist'));

  const server = await listenStudio(app, { port: config.port, hostname: config.host, http: config.http });
  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const resumed = await services.tracker.resumeAll();
  if (resumed) log.info(`Resumed tracking ${resumed} unfinished task${resumed === 1 ? '' : 's'}`);
  // Once listening: Kling fetches a motion-control upload from this server while its create is sent.
  await services.dispatcher.start();
  log.info(
    `Tasks are followed by ${config.publicUrl ? `Kling callbacks to ${config.publicUrl}` : 'polling'}; data in ${config.dataDir}`,
  );
  if (config.appToken) log.info('APP_TOKEN is set: the studio asks for it before anything else');
  // Plain console line (not the logger): scripts and tests read the URL from it.
  lifecycle.started = true;
  console.log(`Motion Studio is running at http://${shownHost}:${port}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // GET /api/ready answers 503 from now on: the balancer stops sending new requests here.
    lifecycle.stopping = true;
    log.info(`${signal}: shutting down`);
    // Stop accepting, end open SSE streams, let the tracker finish its current updates.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2000).unref();
    await services.close();
    await stopSimulator?.();
    await closed;
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error('Motion Studio stopped:', e instanceof Error ? e.message : e);
  process.exit(1);
});
