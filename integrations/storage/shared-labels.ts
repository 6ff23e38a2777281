import type { Alert } from '../../src/core/alert/alert';

type StringMap = Record<string, string>;

/** What all alerts of one delivery have in common, stored once (see migration 005). */
export interface SharedPart {
  labels: StringMap;
  annotations: StringMap;
}

/** Entries with the same value in every map. */
function common(maps: StringMap[]): StringMap {
  const [first, ...rest] = maps;
  const out: StringMap = {};
  for (const [key, value] of Object.entries(first ?? {}))
    if (rest.every((m) => Object.hasOwn(m, key) && m[key] === value)) out[key] = value;
  return out;
}

const without = (map: StringMap, shared: StringMap): StringMap =>
  Object.fromEntries(Object.entries(map).filter(([key]) => !Object.hasOwn(shared, key)));

/**
 * Splits one delivery into its shared part (null when there is nothing worth sharing: a single alert, or
 * no entry common to all) and each alert with only its own labels and annotations.
 */
export function splitShared(alerts: readonly Alert[]): { shared: SharedPart | null; alerts: Alert[] } {
  if (alerts.length < 2) return { shared: null, alerts: [...alerts] };
  const labels = common(alerts.map((a) => a.labels));
  const annotations = common(alerts.map((a) => a.annotations));
  if (Object.keys(labels).length === 0 && Object.keys(annotations).length === 0)
    return { shared: null, alerts: [...alerts] };
  return {
    shared: { labels, annotations },
    alerts: alerts.map((a) => ({
      ...a,
      labels: without(a.labels, labels),
      annotations: without(a.annotations, annotations),
    })),
  };
}

/** The stored maps merged back: shared first, the alert's own on top (as the mappers merge them). */
export function mergeShared(own: string, shared: string | null | undefined): StringMap {
  const mine = JSON.parse(own) as StringMap;
  return shared ? { ...(JSON.parse(shared) as StringMap), ...mine } : mine;
}
