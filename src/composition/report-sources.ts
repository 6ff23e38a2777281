import type { LoadedConfig } from '../config/load-config';
import type { TicketSource } from '../ports/ticket-source';
import { systemClock } from '../../integrations/clock/system-clock';
import { createJiraLaneDriver } from '../../integrations/jira/jira-lane-driver';
import { createServiceNowLaneDriver } from '../../integrations/servicenow/servicenow-lane-driver';
import { createJiraTicketSource } from '../../integrations/jira/jira-ticket-source';
import { createServiceNowTicketSource } from '../../integrations/servicenow/servicenow-ticket-source';
import { openStore } from './open-store';
import { incidentTicketSource } from '../app/incident-ticket-source';

/** The bridge's own store as a report source; the database is opened for the run and closed after it. */
export function storeSource(databaseUrl: string): TicketSource {
  return {
    name: 'store',
    async *tickets(query) {
      const store = await openStore(databaseUrl);
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
 * a lane driver of their own for the run: its limit and Retry-After gate); they are offered only for a configured instance whose
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
    sources.servicenow = () =>
      createServiceNowTicketSource({
        config: sn,
        baseUrl,
        transport: createServiceNowLaneDriver({ clock: systemClock, concurrency: sn.concurrency }),
      });
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
      createJiraTicketSource({
        config: jira,
        baseUrl,
        transport: createJiraLaneDriver({ clock: systemClock, concurrency: jira.concurrency }),
        projects,
      });
  }
  return sources;
}
