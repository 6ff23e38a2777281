import type { Alert } from '../core/alert/alert';

/** An accepted alert as stored in the inbox. */
export interface StoredAlert extends Alert {
  id: number;
  processedAt: string | null;
  incidentId: number | null;
  decision: string | null;
  /** The HTTP request that delivered it (X-Request-Id), when known. */
  requestId: string | null;
}

/** Where webhooks put accepted alerts; the webhook's 202 waits for `accept`. */
export interface AlertInbox {
  /** Inserts alerts in one transaction and returns their ids once committed; `requestId`: who sent them. */
  accept(alerts: Alert[], o?: { requestId?: string | null }): Promise<number[]>;
  /** Oldest unprocessed alert's received time and the count, for /readyz and metrics. */
  lag(): Promise<{ pending: number; oldestReceivedAt: string | null }>;
}

/** The correlation side of the inbox, inside a unit of work. */
export interface InboxBatch {
  /** Unprocessed alerts in arrival order. */
  pending(limit: number): Promise<StoredAlert[]>;
  /** Marks an alert processed with the decision taken and the incident it joined. */
  markProcessed(alertId: number, at: string, incidentId: number | null, decision: string): Promise<void>;
}
