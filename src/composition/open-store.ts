import type { Store } from '../ports/store';
import type { TimelineCommitListener } from '../ports/timeline';
import { isPostgresUrl, openPostgresStore } from '../../integrations/storage/postgres/open-postgres-store';
import { openSqliteStore, sqlitePath } from '../../integrations/storage/sqlite/open-sqlite-store';
import type { WriteTurn } from '../../integrations/storage/sqlite/write-turn';
import type { TimelineEvent } from '../core/incident/timeline-event';

/**
 * A store as the composition root uses it: the ports, plus the commit listener of the metrics and the
 * hand-over of events the correlation thread committed on its own connection.
 */
export type OpenedStore = Store & {
  onCommit(listener: TimelineCommitListener): void;
  announceCommitted(events: readonly TimelineEvent[]): void;
};

export interface OpenStoreOptions {
  synchronous?: 'NORMAL' | 'FULL';
  busyTimeoutMs?: number;
  /** SQLite: the write turn shared with the correlation thread (the event loop's side). */
  turn?: { turn: WriteTurn; who: 'event-loop' };
}

/** A SQLite file (not `:memory:`, which no second connection can reach). */
export const isSqliteFileUrl = (url: string): boolean =>
  url.startsWith('sqlite:') && sqlitePath(url) !== ':memory:';

/**
 * Who holds the leader lease for this process. On PostgreSQL every process is its own holder (several
 * instances, one leader). SQLite serves one instance: a restarted process is the same holder and leads
 * at once instead of waiting for its dead predecessor's lease to run out.
 */
export const leaseHolder = (url: string, instanceId: string): string =>
  isPostgresUrl(url) ? instanceId : 'sqlite-instance';

/**
 * Alerts per correlation batch. SQLite runs a batch without yielding, so a small one keeps requests
 * waiting briefly; on PostgreSQL a batch costs a handful of round trips whatever its size, and the
 * thread serves requests while it waits.
 */
export const correlationBatchSize = (url: string): number => (isPostgresUrl(url) ? 200 : 25);

/**
 * Opens and migrates the store DATABASE_URL names: `sqlite:<path>` (embedded, the default) or
 * `postgres://…` (several instances may share it). SQLite options do not apply to PostgreSQL.
 */
export function openStore(url: string, opts: OpenStoreOptions = {}): Promise<OpenedStore> {
  if (isPostgresUrl(url)) return openPostgresStore(url);
  if (url.startsWith('sqlite:')) return openSqliteStore(url, opts);
  throw new Error('DATABASE_URL must be sqlite:<path> or postgres://…');
}
