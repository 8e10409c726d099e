import { queryOptions, useQuery } from '@tanstack/react-query';
import {
  isRetired,
  MODEL_NAMES,
  MODELS,
  type ModelCapabilities,
  type ModelName,
} from '../../contract/capabilities/matrix.ts';
import { DEFAULT_USD_PER_UNIT } from '../../contract/pricing/prices.ts';
import { capabilitiesSchema } from '../../contract/schemas/studio-api.ts';
import { apiFetch } from './client.ts';

/**
 * The capability map as the studio serves it, so an operator's RETIRED_MODELS reaches the composer without
 * a rebuild. Until the answer arrives (or when it cannot be read) the bundled map stands in: it is the
 * same contract, minus the operator's retirements, which the backend still enforces.
 */
export interface ServedCapabilities {
  models: Readonly<Record<ModelName, ModelCapabilities>>;
  /** Models the served map marks `retired`: refused by the browser before anything is sent. */
  retiredModels: ModelName[];
  /** US$ per unit, for the money beside the cost. */
  usdPerUnit: number;
}

export function servedCapabilities(
  models: Readonly<Record<ModelName, ModelCapabilities>>,
  usdPerUnit = DEFAULT_USD_PER_UNIT,
): ServedCapabilities {
  return { models, retiredModels: MODEL_NAMES.filter((m) => isRetired(models, m)), usdPerUnit };
}

export const BUNDLED_CAPABILITIES: ServedCapabilities = servedCapabilities(MODELS);

/** `GET /api/capabilities`: changes only when the operator restarts the studio with other settings. */
export const capabilitiesQuery = queryOptions({
  queryKey: ['capabilities'],
  queryFn: ({ signal }) => apiFetch('/api/capabilities', capabilitiesSchema, { signal }),
  select: (c) => servedCapabilities(c.models, c.prices.usdPerUnit),
  staleTime: 5 * 60_000,
  retry: 1,
});

/** The served map once it is in, the bundled one until then (or when the answer cannot be read). */
export function useCapabilities(): ServedCapabilities {
  return useQuery(capabilitiesQuery).data ?? BUNDLED_CAPABILITIES;
}
