import type { LoadedConfig } from '../config/load-config';
import type { TicketSource } from '../ports/ticket-source';
import { gatedFetch, TimedRequestGate } from '../../integrations/http/request-gate';
import { createJiraTicketSource } from '../../integrations/jira/jira-ticket-source';
import { createServiceNowTicketSource } from '../../integrations/servicenow/servicenow-ticket-source';
import { openSqliteStore } from '../../integrations/storage/sqlite/open-sqlite-store';
import { incidentTicketSource } from '../app/incident-ticket-source';

/** The bridge's own store as a report source; the database is opened for the run and closed after it. */
export function storeSource(databaseUrl: string): TicketSource {
  return {
    name: 'store',
    async *tickets(query) {
      const store = await openSqliteStore(databaseUrl);
      try {
        yield* incidentTicketSource(store.histories).tickets(query);
      } finally {
        await store.close();
      }
    },
  };
}

/**
 * Report sources for `itsm-bridge report --source …`, from the loaded configuration. ServiceNow and Jira
 * are read through the ticket adapters' clients (Basic or OAuth, API token or PAT; timeouts, concurrency,
 * a Retry-After gate of their own for the run); they are offered only for a configured instance whose
 * credentials are set — the sandbox secrets are no use there. The Jira source reads Cloud's REST v3.
 */
export function reportSources(
  loaded: LoadedConfig,
): Partial<Record<'store' | 'servicenow' | 'jira', () => TicketSource>> {
  const sn = loaded.config.servicenow;
  const sources: Partial<Record<'store' | 'servicenow' | 'jira', () => TicketSource>> = {
    store: () => storeSource(loaded.env.DATABASE_URL),
  };
  const snCredentials =
    sn.auth.type === 'basic' ? [sn.auth.password] : [sn.auth.password, sn.auth.clientSecret];
  if (sn.instanceUrl && snCredentials.every(Boolean)) {
    const baseUrl = sn.instanceUrl;
    sources.servicenow = () => {
      const gate = new TimedRequestGate();
      return createServiceNowTicketSource({ config: sn, baseUrl, gate, fetch: gatedFetch(gate) });
    };
  }
  const jira = loaded.config.jira;
  const jiraSecret = jira.auth.type === 'basic' ? jira.auth.apiToken : jira.auth.token;
  if (jira.baseUrl && jira.flavour === 'cloud' && jiraSecret) {
    const baseUrl = jira.baseUrl;
    const projects = [
      ...new Set([
        jira.defaultProject.projectKey,
        ...Object.values(jira.projects).map((p) => p.projectKey),
        ...loaded.config.providers.flatMap((p) => (p.jiraProject ? [p.jiraProject] : [])),
      ]),
    ];
    sources.jira = () =>
      createJiraTicketSource({ config: jira, baseUrl, gate: new TimedRequestGate(), projects });
  }
  return sources;
}
