/** One paging event for a configured target (PagerDuty Events API v2 or a generic JSON webhook). */
export interface PageEvent {
  /** The paging target's name in config. */
  target: string;
  action: 'trigger' | 'acknowledge' | 'resolve';
  /** One per incident, so the target keeps one alert that our acknowledge and resolve follow. */
  dedupKey: string;
  summary: string;
  severity: 'critical' | 'error' | 'warning' | 'info';
  /** Where the problem is (host, or the incident key). */
  source: string;
  /** The incident in the bridge and its tickets. */
  links: { href: string; text: string }[];
}

/**
 * Outbound paging, so that a phone can ring. Throws IntegrationError (retryable on 429/5xx) like the
 * ticket systems; the paging lane of the outbox retries, and the dedup key makes a retry harmless.
 */
export interface Pager {
  /** Target names this pager knows. */
  readonly targets: readonly string[];
  send(event: PageEvent): Promise<void>;
}
