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
  // Plain loops: this runs for every delivery, and entries/filter/fromEntries allocated per key.
  for (const key in first) {
    const value = first[key];
    let everywhere = true;
    for (const m of rest)
      if (m[key] !== value || !Object.hasOwn(m, key)) {
        everywhere = false;
        break;
      }
    if (everywhere) out[key] = value!;
  }
  return out;
}

function without(map: StringMap, shared: StringMap): StringMap {
  const out: StringMap = {};
  for (const key in map) if (!Object.hasOwn(shared, key)) out[key] = map[key]!;
  return out;
}

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
