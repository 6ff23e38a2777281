import type { TicketEvent, TicketHistory } from '../core/sla/types';
import type { TicketQuery, TicketSource } from '../ports/ticket-source';

export interface JiraTicketSourceOptions {
  /** Site URL (https://acme.atlassian.net) or the sandbox emulator's URL. */
  baseUrl: string;
  authorization: () => string;
  /** Projects whose issues are reported. */
  projects: string[];
  /** Jira priority name → our priority 1..5 (the inverse of `jira.priorityMap`). */
  priorities: Record<string, number>;
  /** Status names that mean "resolved" / "new" for the SLA clocks; others keep their name (pause states). */
  doneStatuses?: string[];
  newStatuses?: string[];
  fetch?: typeof fetch;
  pageSize?: number;
}

interface JiraIssue {
  id: string;
  key: string;
  fields: {
    created?: string;
    status?: { name?: string };
    priority?: { name?: string } | null;
    labels?: string[];
    components?: { name: string }[];
  };
}
interface ChangelogPage {
  values: {
    id: string;
    created: string;
    items: { field: string; fromString: string | null; toString: string | null }[];
  }[];
  isLast: boolean;
}

/**
 * Jira issues as SLA ticket histories: `/rest/api/3/search/jql` (paged by nextPageToken) for the
 * issues, `/issue/{key}/changelog` for their status and priority history. Status names map onto the
 * engine's states (done → Resolved, new → New); other names pass through so pause states such as
 * "Waiting for customer" can be configured.
 */
export class JiraTicketSource implements TicketSource {
  readonly name = 'jira';
  private readonly fetchFn: typeof fetch;

  constructor(private readonly o: JiraTicketSourceOptions) {
    this.fetchFn = o.fetch ?? fetch;
  }

  private async get<T>(path: string, init?: RequestInit): Promise<T> {
    const res = await this.fetchFn(`${this.o.baseUrl.replace(/\/$/, '')}${path}`, {
      ...init,
      headers: {
        authorization: this.o.authorization(),
        accept: 'application/json',
        'content-type': 'application/json',
      },
    });
    if (!res.ok) throw new Error(`Jira ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  private state(name: string | null | undefined): string | undefined {
    if (!name) return undefined;
    if ((this.o.doneStatuses ?? ['Done', 'Resolved', 'Closed']).includes(name)) return 'Resolved';
    if ((this.o.newStatuses ?? ['To Do', 'Open', 'Backlog', 'New']).includes(name)) return 'New';
    return name;
  }

  private async changelog(key: string): Promise<ChangelogPage['values']> {
    const out: ChangelogPage['values'] = [];
    for (let startAt = 0; ;) {
      const page = await this.get<ChangelogPage>(
        `/rest/api/3/issue/${encodeURIComponent(key)}/changelog?startAt=${startAt}&maxResults=100`,
      );
      out.push(...page.values);
      if (page.isLast || page.values.length === 0) return out;
      startAt += page.values.length;
    }
  }

  private async history(issue: JiraIssue): Promise<TicketHistory> {
    const openedAt = Date.parse(issue.fields.created ?? '');
    const changes = await this.changelog(issue.key);
    const firstStatus =
      changes.flatMap((c) => c.items).find((i) => i.field === 'status')?.fromString ??
      issue.fields.status?.name;
    const firstPriority =
      changes.flatMap((c) => c.items).find((i) => i.field === 'priority')?.fromString ??
      issue.fields.priority?.name;
    const events: TicketEvent[] = [
      {
        at: openedAt,
        seq: 0,
        state: this.state(firstStatus) ?? 'New',
        priority: firstPriority ? (this.o.priorities[firstPriority] ?? null) : null,
      },
    ];
    changes.forEach((c, n) => {
      const e: TicketEvent = { at: Date.parse(c.created), seq: n + 1 };
      for (const item of c.items) {
        if (item.field === 'status') e.state = this.state(item.toString);
        if (item.field === 'priority' && item.toString) e.priority = this.o.priorities[item.toString] ?? null;
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
      const page = await this.get<{ issues: JiraIssue[]; nextPageToken?: string }>('/rest/api/3/search/jql', {
        method: 'POST',
        body: JSON.stringify({
          jql,
          fields: ['created', 'status', 'priority', 'labels', 'components'],
          maxResults: this.o.pageSize ?? 100,
          ...(token ? { nextPageToken: token } : {}),
        }),
      });
      for (const issue of page.issues) {
        const h = await this.history(issue);
        if (h.openedAt < query.to.getTime()) yield h;
      }
      done += page.issues.length;
      query.onProgress?.({ tickets: done });
      if (!page.nextPageToken || page.issues.length === 0) return;
      token = page.nextPageToken;
    }
  }
}
