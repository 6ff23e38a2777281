import { z } from 'zod';
import { Duration } from '../time/duration';
import { StormSettings } from './storm-guard';

/** Correlation timing, all in seconds after parsing (`"5m"` in YAML). */
export const CorrelationSettings = z.strictObject({
  /** Wait after an incident opens before its tickets are created, so the ticket shows the whole group (like Alertmanager's group_wait). */
  groupWait: Duration.default(30),
  /** All alerts recovered: wait this long before resolving, in case they come back. */
  resolveGrace: Duration.default(300),
  /** The same group firing again within this time after resolution reopens the incident instead of opening a new one. */
  reopenWindow: Duration.default(7200),
  flapping: z
    .strictObject({
      /** Status changes (firing ↔ resolved) within `window` that mark an incident flapping. */
      changes: z.number().int().min(2).default(6),
      window: Duration.default(1800),
    })
    .prefault({}),
  /** The storm guard: new incidents per source and window before new groups fold into one. */
  storm: StormSettings.prefault({}),
  /** Alertmanager/Grafana dedupe per alert (`fingerprint`) or per notification group (`groupKey`). */
  alertmanagerKey: z.enum(['fingerprint', 'groupKey']).default('fingerprint'),
});
export type CorrelationSettings = z.infer<typeof CorrelationSettings>;
