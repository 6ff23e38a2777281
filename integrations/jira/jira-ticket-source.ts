import type { JiraConfig } from '../../src/config/jira';
import type { TicketEvent, TicketHistory } from '../../src/core/sla/types';
import type { TicketQuery, TicketSource } from '../../src/ports/ticket-source';
import { retryRateLimited } from '../http/retry-rate-limited';
import type { GatedTransport } from '../lanes/remote-lane-driver';
import { toIntegrationError, type Version3Client } from './client';
import { createCloudReadClient } from './jira-ticket-system';

export interface JiraTicketSourceOptions {
  /**
   * Credentials (API token or PAT), timeout and `priorityMap`, as for the ticket adapter. The source reads
   * Jira Cloud's REST v3 (`/search/jql`, which Data Center does not serve).
   */
  config: JiraConfig;
  /** Site URL (https://acme.atlassian.net) or an emulator's URL. */
  baseUrl: string;
  /**
   * A Jira lane driver of the report's own: its limit and Retry-After gate hold for every request, and a
   * rate-limited read retries at its gate.
   */
  transport: GatedTransport;
  /** Projects whose issues are reported. */
  projects: string[];
  /** Status names that mean "resolved" / "new" for the SLA clocks; others keep their name (pause states). */
  doneStatuses?: string[];
  newStatuses?: string[];
  pageSize?: number;
}

/** The SLA report's Jira source, talking through the same jira.js client setup as the ticket adapter. */
export function createJiraTicketSource(o: JiraTicketSourceOptions): TicketSource {
  const client = createCloudReadClient(o);
  return new JiraTicketSource(client, o);
}

/** jira.js's models, typed through an import() as in client.ts (its declarations are ESM-only). */
type Issue = import('jira.js', { with: { 'resolution-mode': 'import' } }).Version3Models.Issue;
type Change = import('jira.js', { with: { 'resolution-mode': 'import' } }).Version3Models.Changelog;

/**
 * Jira issues as SLA ticket histories: `/rest/api/3/search/jql` (paged by nextPageToken) for the
 * issues, `/issue/{key}/changelog` for their status and priority history. Status names map onto the
 * engine's states (done → Resolved, new → New); other names pass through so pause states such as
 * "Waiting for customer" can be configured.
 */
class JiraTicketSource implements TicketSource {
  readonly name = 'jira';
  /** Jira priority name → our priority 1..5 (the inverse of `jira.priorityMap`). */
  private readonly priorities: Record<string, number>;

  constructor(
    private readonly client: Version3Client,
    private readonly o: JiraTicketSourceOptions,
  ) {
    this.priorities = Object.fromEntries(
      Object.entries(o.config.priorityMap).map(([n, name]) => [name, Number(n)]),
    );
  }

  /** One request: jira.js errors become IntegrationErrors, and a rate-limited one runs again. */
  private read<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const { transport } = this.o;
    return retryRateLimited(transport.gate, () =>
      transport.request(call).catch((err: unknown) => {
        throw toIntegrationError(operation, err, transport.clock.now().getTime());
      }),
    );
  }

  private state(name: string | null | undefined): string | undefined {
    if (!name) return undefined;
    if ((this.o.doneStatuses ?? ['Done', 'Resolved', 'Closed']).includes(name)) return 'Resolved';
    if ((this.o.newStatuses ?? ['To Do', 'Open', 'Backlog', 'New']).includes(name)) return 'New';
    return name;
  }

  private async changelog(key: string): Promise<Change[]> {
    const out: Change[] = [];
    for (let startAt = 0; ;) {
      const page = await this.read('getChangeLogs', () =>
        this.client.issues.getChangeLogs({ issueIdOrKey: key, startAt, maxResults: 100 }),
      );
      const values = page.values ?? [];
      out.push(...values);
      if (page.isLast || values.length === 0) return out;
      startAt += values.length;
    }
  }

  private async history(issue: Issue): Promise<TicketHistory> {
    const openedAt = Date.parse(issue.fields.created ?? '');
    const changes = await this.changelog(issue.key);
    const items = changes.flatMap((c) => c.items ?? []);
    const firstStatus = items.find((i) => i.field === 'status')?.fromString ?? issue.fields.status?.name;
    const firstPriority =
      items.find((i) => i.field === 'priority')?.fromString ?? issue.fields.priority?.name;
    const events: TicketEvent[] = [
      {
        at: openedAt,
        seq: 0,
        state: this.state(firstStatus) ?? 'New',
        priority: firstPriority ? (this.priorities[firstPriority] ?? null) : null,
      },
    ];
    changes.forEach((c, n) => {
      const e: TicketEvent = {
        at: Date.parse(c.created ?? ''),
        seq: n + 1,
        ...(c.id ? { ref: `changelog ${c.id}` } : {}),
      };
      for (const item of c.items ?? []) {
        if (item.field === 'status') e.state = this.state(item.toString);
        if (item.field === 'priority' && item.toString) e.priority = this.priorities[item.toString] ?? null;
      }
      if (e.state !== undefined || e.priority !== undefined) events.push(e);
    });
    const branch = issue.fields.labels?.find((l) => l.startsWith('branch-'))?.slice('branch-'.length) ?? null;
    return {
      id: issue.id,
      number: issue.key,
      openedAt,
      events,
      branch,
      service: issue.fields.components?.[0]?.name ?? null,
      category: null,
    };
  }

  async *tickets(query: TicketQuery): AsyncIterable<TicketHistory> {
    // JQL date functions differ between Cloud and Data Center; the engine filters by time, we filter by project.
    const jql = `project in (${this.o.projects.map((p) => `"${p}"`).join(', ')}) ORDER BY created ASC`;
    let done = 0;
    for (let token: string | undefined; ;) {
      const page = await this.read('searchForIssuesUsingJqlEnhancedSearchPost', () =>
        this.client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
          jql,
          fields: ['created', 'status', 'priority', 'labels', 'components'],
          maxResults: this.o.pageSize ?? 100,
          ...(token ? { nextPageToken: token } : {}),
        }),
      );
      const issues = page.issues ?? [];
      for (const issue of issues) {
        const h = await this.history(issue);
        if (h.openedAt < query.to.getTime()) yield h;
      }
      done += issues.length;
      query.onProgress?.({ tickets: done });
      if (!page.nextPageToken || issues.length === 0) return;
      token = page.nextPageToken;
    }
  }
}
