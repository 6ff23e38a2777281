import type { LoadedConfig } from '../config/load-config';
import type { TicketSource } from '../ports/ticket-source';
import { ServiceNowTicketSource } from '../sla/servicenow-ticket-source';
import { openSqliteStore } from '../../integrations/storage/sqlite/open-sqlite-store';
import { StoreTicketSource } from '../../integrations/storage/store-ticket-source';

/** The bridge's own store as a report source; the database is opened for the run and closed after it. */
export function storeSource(databaseUrl: string): TicketSource {
  return {
    name: 'store',
    async *tickets(query) {
      const store = await openSqliteStore(databaseUrl);
      try {
        yield* new StoreTicketSource(store.db).tickets(query);
      } finally {
        await store.close();
      }
    },
  };
}

/** Report sources for `itsm-bridge report --source …`, from the loaded configuration. */
export function reportSources(
  loaded: LoadedConfig,
): Partial<Record<'store' | 'servicenow', () => TicketSource>> {
  const sn = loaded.config.servicenow;
  const sources: Partial<Record<'store' | 'servicenow', () => TicketSource>> = {
    store: () => storeSource(loaded.env.DATABASE_URL),
  };
  if (sn.instanceUrl && sn.auth.type === 'basic' && sn.auth.password) {
    const authorization = `Basic ${Buffer.from(`${sn.auth.username}:${sn.auth.password.reveal()}`).toString('base64')}`;
    sources.servicenow = () =>
      new ServiceNowTicketSource({ baseUrl: sn.instanceUrl!, authorization: () => authorization });
  }
  return sources;
}
