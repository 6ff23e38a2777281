import type { z } from 'zod';
import type { Alert, AlertSource } from '../../src/core/alert/alert';
import { AlertmanagerPayload, alertmanagerAlerts } from './alertmanager';
import { CheckmkPayload, checkmkAlerts } from './checkmk';
import { GenericPayload, genericAlerts } from './generic';
import { GrafanaPayload, grafanaAlerts } from './grafana';
import { IcingaPayload, icingaAlerts } from './icinga';
import { payloadGate } from './payload-gate';

export interface MapOptions {
  receivedAt: string;
  keyMode: 'fingerprint' | 'groupKey';
}

/** How one monitoring source's body becomes canonical alerts. */
export interface SourceMapper<T = unknown> {
  schema: z.ZodType<T>;
  /**
   * For the busiest source: `schema` precompiled (payload-gate.ts). True means valid with defaults
   * filled in, so zod is skipped; false means zod decides and words the 400.
   */
  gate?: (value: unknown) => boolean;
  toAlerts(payload: T, o: MapOptions): Alert[];
}

const mapper = <T>(
  schema: z.ZodType<T>,
  toAlerts: (p: T, o: MapOptions) => Alert[],
  o: { gate?: boolean } = {},
): SourceMapper => ({
  schema,
  ...(o.gate ? { gate: payloadGate(schema) } : {}),
  toAlerts: toAlerts as SourceMapper['toAlerts'],
});

/** A Record over the source enum: adding a source without a mapper is a compile error. */
export const SOURCE_MAPPERS: Record<AlertSource, SourceMapper> = {
  alertmanager: mapper(AlertmanagerPayload, alertmanagerAlerts, { gate: true }),
  grafana: mapper(GrafanaPayload, grafanaAlerts),
  icinga: mapper(IcingaPayload, icingaAlerts),
  checkmk: mapper(CheckmkPayload, checkmkAlerts),
  generic: mapper(GenericPayload, genericAlerts),
};
