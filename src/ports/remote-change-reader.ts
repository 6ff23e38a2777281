import type { RemoteChange } from '../core/sync/remote-change';

/**
 * Reads recent changes of linked records from a remote system (the Jira JQL sweep): the safety net
 * for webhook deliveries that never came. What was delivered before is recognised by the sync core.
 */
export interface RemoteChangeReader {
  /** Changes of these records (Jira keys) made in the last `windowSeconds`. */
  recentChanges(records: readonly string[], windowSeconds: number): Promise<RemoteChange[]>;
}
