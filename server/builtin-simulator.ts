import { join } from 'node:path';
import { randomSimulatorKeys, type SimulatorSettings } from './config/config.ts';
import type { Logger } from './lib/logger.ts';
import { parseFaultEnv, startSimulator } from './simulator/index.ts';
import type { ResolvedUpstream } from './wire.ts';

/**
 * With no Kling keys the studio runs the simulator in-process on a loopback port, with fresh random keys,
 * and talks to it over HTTP and JWT exactly as it would to Kling: the signing path is exercised either way.
 */
export async function startBuiltinSimulator(
  settings: SimulatorSettings,
  dataDir: string,
  log: Logger,
): Promise<{ upstream: ResolvedUpstream; close(): Promise<void> }> {
  const keys = randomSimulatorKeys();
  log.addSecret(keys.secretKey);
  for (const s of settings.webhookSecrets) log.addSecret(s);
  const sim = await startSimulator({
    host: '127.0.0.1',
    port: settings.port,
    ...keys,
    dataDir: join(dataDir, 'simulator'),
    ...(settings.phaseMs !== undefined ? { phaseMs: settings.phaseMs } : {}),
    ...(settings.concurrency !== undefined ? { concurrency: settings.concurrency } : {}),
    ...(settings.strict !== undefined ? { strict: settings.strict } : {}),
    faults: parseFaultEnv(settings.fault),
    // With KLING_WEBHOOK_SECRET and no keys, the callbacks it sends are signed as Kling's would be.
    webhookSecrets: settings.webhookSecrets,
    // SIM_RETIRED_MODELS: rehearse Kling dropping a model (the studio's own RETIRED_MODELS refuses before sending).
    retiredModels: settings.retiredModels,
    ...(settings.retiredCode !== undefined ? { retiredCode: settings.retiredCode } : {}),
    ...(settings.retiredMessage !== undefined ? { retiredMessage: settings.retiredMessage } : {}),
    log: (line) => log.debug(`[simulator] ${line}`),
  });
  return {
    upstream: { kind: 'simulator', baseUrl: sim.baseUrl, credentials: { type: 'jwt', ...keys } },
    close: () => sim.close(),
  };
}
