import type { AlertSource, AlertStatus } from '../core/alert/alert';
import type { TimelineEventType } from '../core/incident/timeline-event';

/** How an outbox command attempt ended: done, to be retried after a backoff, or parked for a person. */
export type CommandOutcomeKind = 'done' | 'retry' | 'parked';

/**
 * What the bridge counts, as named events (docs/operations.md lists the Prometheus series behind each).
 * Use-cases and handlers call these; only the adapter (integrations/metrics) knows prom-client. Every
 * label value is from a closed set (sources, lanes, providers from the config, HTTP statuses), never
 * free text from an alert, so the number of series stays bounded.
 */
export interface Metrics {
  /** A webhook request was answered; `alerts` of it were durably accepted (0 unless 202). */
  webhookAnswered(source: string, httpStatus: number, alerts: number): void;
  /** An alert was durably accepted (after COMMIT), by source and firing/resolved. */
  alertAccepted(source: AlertSource, status: AlertStatus): void;
  /** A committed timeline event of any type (incident_events_total). */
  incidentEvent(type: TimelineEventType): void;
  incidentOpened(o: { provider: string; priority: number }): void;
  /** `by`: monitoring (all alerts recovered) or a person (chat). */
  incidentResolved(o: { by: 'monitoring' | 'person' }): void;
  incidentReopened(): void;
  /** An escalation (a hand-off nobody accepted, an escalation policy's step). */
  escalation(o: { kind: string }): void;
  /** One request to a remote system: `status` is the HTTP status, `ok`, or `no_answer`. */
  remoteCall(o: { system: string; status: string; seconds: number }): void;
  /** A remote's Retry-After closed its system's gate for `seconds`. */
  retryAfterWait(o: { system: string; seconds: number }): void;
  /** An outbox command attempt ended (after its outcome was committed). */
  outboxCommand(o: { lane: string; kind: string; outcome: CommandOutcomeKind }): void;
  /** A chat message was posted, or an existing one redrawn/threaded, on a platform. */
  chatMessage(o: { platform: string; kind: 'posted' | 'updated' }): void;
  /** The last sync drift check found this many linked pairs out of step (itsm_sync_drifted_pairs). */
  syncDrift(pairs: number): void;
}

/** The Prometheus text of the current values, for GET /metrics. */
export interface MetricsExposition {
  readonly contentType: string;
  render(): Promise<string>;
}
