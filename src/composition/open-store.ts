import type { Store } from '../ports/store';
import type { TimelineCommitListener } from '../ports/timeline';
import { isPostgresUrl, openPostgresStore } from '../../integrations/storage/postgres/open-postgres-store';
import { openSqliteStore } from '../../integrations/storage/sqlite/open-sqlite-store';

/** A store as the composition root uses it: the ports, plus the commit listener of the metrics. */
export type OpenedStore = Store & { onCommit(listener: TimelineCommitListener): void };

export interface OpenStoreOptions {
  synchronous?: 'NORMAL' | 'FULL';
  busyTimeoutMs?: number;
}

/**
 * Opens and migrates the store DATABASE_URL names: `sqlite:<path>` (embedded, the default) or
 * `postgres://…` (several instances may share it). SQLite options do not apply to PostgreSQL.
 */
export function openStore(url: string, opts: OpenStoreOptions = {}): Promise<OpenedStore> {
  if (isPostgresUrl(url)) return openPostgresStore(url);
  if (url.startsWith('sqlite:')) return openSqliteStore(url, opts);
  throw new Error('DATABASE_URL must be sqlite:<path> or postgres://…');
}
