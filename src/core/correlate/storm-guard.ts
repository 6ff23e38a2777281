import { z } from 'zod';
import { Duration } from '../time/duration';

/**
 * `correlation.storm`: past `maxNewIncidents` new incidents from one source within `window` seconds,
 * further new groups of that source are folded into one "alert storm" incident instead of opening their
 * own (issue 12: one request of 10,000 label-less alerts had opened 10,000 incidents and some 30,000
 * outbox commands). Once the window holds fewer openings again, correlation opens incidents as usual.
 */
export const StormSettings = z.strictObject({
  maxNewIncidents: z.number().int().positive().default(30),
  window: Duration.default(60),
});
export type StormSettings = z.infer<typeof StormSettings>;

/** The group key of a source's storm incident (never produced by routing, which starts with a provider). */
export const stormGroupKey = (source: string): string => `storm:${source}`;

/**
 * Decides whether an alert that would open a new incident is folded into the storm incident, given the
 * times (ISO) this source opened incidents recently. Returns the openings still inside the window, so
 * the caller can keep only those.
 */
export function stormCheck(
  recentOpenings: readonly string[],
  now: Date,
  settings: StormSettings,
): { storming: boolean; recent: string[] } {
  const since = now.getTime() - settings.window * 1000;
  const recent = recentOpenings.filter((t) => Date.parse(t) > since);
  return { storming: recent.length >= settings.maxNewIncidents, recent };
}
