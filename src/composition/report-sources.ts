import type { LoadedConfig } from '../config/load-config';
import type { TicketSource } from '../ports/ticket-source';
import { ServiceNowTicketSource } from '../sla/servicenow-ticket-source';
import { JiraTicketSource } from '../sla/jira-ticket-source';
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

/** Report sources for `itsm-bridge report --source …`, from the loaded configuration. */
export function reportSources(
  loaded: LoadedConfig,
): Partial<Record<'store' | 'servicenow' | 'jira', () => TicketSource>> {
  const sn = loaded.config.servicenow;
  const sources: Partial<Record<'store' | 'servicenow' | 'jira', () => TicketSource>> = {
    store: () => storeSource(loaded.env.DATABASE_URL),
  };
  if (sn.instanceUrl && sn.auth.type === 'basic' && sn.auth.password) {
    const authorization = `Basic ${Buffer.from(`${sn.auth.username}:${sn.auth.password.reveal()}`).toString('base64')}`;
    sources.servicenow = () =>
      new ServiceNowTicketSource({ baseUrl: sn.instanceUrl!, authorization: () => authorization });
  }
  const jira = loaded.config.jira;
  if (jira.baseUrl && jira.auth.type === 'basic' && jira.auth.apiToken) {
    const authorization = `Basic ${Buffer.from(`${jira.auth.email}:${jira.auth.apiToken.reveal()}`).toString('base64')}`;
    const projects = [
      ...new Set([
        jira.defaultProject.projectKey,
        ...Object.values(jira.projects).map((p) => p.projectKey),
        ...loaded.config.providers.flatMap((p) => (p.jiraProject ? [p.jiraProject] : [])),
      ]),
    ];
    const priorities = Object.fromEntries(
      Object.entries(jira.priorityMap).map(([n, name]) => [name, Number(n)]),
    );
    sources.jira = () =>
      new JiraTicketSource({
        baseUrl: jira.baseUrl!,
        authorization: () => authorization,
        projects,
        priorities,
      });
  }
  return sources;
}
