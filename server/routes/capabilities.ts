import { Hono } from 'hono';
import { MODELS, withRetiredModels } from '../../contract/capabilities/matrix.ts';
import { MOTION_CONTROL_MODELS } from '../../contract/capabilities/motion-control.ts';
import { LIMITS } from '../../contract/limits.ts';
import {
  IMAGE2VIDEO_PRICES,
  MOTION_CONTROL_UNITS_PER_SECOND,
  PRICE_SOURCE,
} from '../../contract/pricing/prices.ts';
import type { Capabilities } from '../../contract/schemas/studio-api.ts';
import type { Config } from '../config/config.ts';

/**
 * GET /api/capabilities: the contract's capability map with this server's RETIRED_MODELS marked `retired`,
 * the limits, motion control's models and the price table at USD_PER_UNIT. Built once: it changes only
 * with the configuration, which needs a restart.
 */
export function capabilitiesRoutes(config: Pick<Config, 'retiredModels' | 'usdPerUnit'>) {
  const body: Capabilities = {
    models: withRetiredModels(MODELS, config.retiredModels),
    limits: LIMITS,
    motionControl: MOTION_CONTROL_MODELS,
    prices: {
      image2video: IMAGE2VIDEO_PRICES,
      motionControl: MOTION_CONTROL_UNITS_PER_SECOND,
      source: PRICE_SOURCE,
      usdPerUnit: config.usdPerUnit,
    },
  };
  return new Hono().get('/', (c) => {
    // Short: a retirement should reach open studios within minutes of a restart.
    c.header('cache-control', 'public, max-age=60');
    return c.json(body);
  });
}
