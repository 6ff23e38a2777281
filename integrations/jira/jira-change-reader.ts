import type { JiraConfig } from '../../src/config/jira';
import type { RemoteChange } from '../../src/core/sync/remote-change';
import type { Clock } from '../../src/ports/clock';
import type { RemoteChangeReader } from '../../src/ports/remote-change-reader';
import { retryRateLimited } from '../http/retry-rate-limited';
import type { GatedTransport } from '../lanes/remote-lane-driver';
import { toIntegrationError, type Version3Client } from './client';
import {
  JiraChangeItem,
  JiraCommentBody,
  jiraChangelogChange,
  jiraCommentChange,
  jiraInstant,
  type JiraChangeContext,
} from './jira-remote-changes';
import { createCloudReadClient } from './jira-ticket-system';

/** What the sweep asks of Jira: the changes of these issues made in the last `windowSeconds`. */
export type JiraChangeReader = RemoteChangeReader;

/** Keys per JQL (`key in (…)`), well below Jira's query length limit. */
const KEYS_PER_QUERY = 50;
/** Newest changelog entries and comments read per issue. */
const PER_ISSUE = 50;

/**
 * The JQL sweep's reader (Cloud REST v3): `key in (…) AND updated >= -Nm` over our issues, then per
 * issue its newest changelog entries and comments of the window, as RemoteChanges. The sync core
 * recognises what a webhook already delivered (changelog and comment ids), so the sweep only adds
 * what never came.
 */
export function createJiraChangeReader(o: {
  config: JiraConfig;
  baseUrl: string;
  transport: GatedTransport;
  clock: Clock;
  context: JiraChangeContext;
}): JiraChangeReader {
  const client = createCloudReadClient(o);
  return new Reader(client, o.transport, o.clock, o.context);
}

class Reader implements JiraChangeReader {
  constructor(
    private readonly client: Version3Client,
    private readonly transport: GatedTransport,
    private readonly clock: Clock,
    private readonly ctx: JiraChangeContext,
  ) {}

  private read<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return retryRateLimited(this.transport.gate, () =>
      this.transport.request(call).catch((err: unknown) => {
        throw toIntegrationError(operation, err, this.clock.now().getTime());
      }),
    );
  }

  async recentChanges(keys: readonly string[], windowSeconds: number): Promise<RemoteChange[]> {
    const minutes = Math.max(1, Math.ceil(windowSeconds / 60));
    const since = this.clock.now().getTime() - windowSeconds * 1000;
    const out: RemoteChange[] = [];
    for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
      const chunk = keys.slice(i, i + KEYS_PER_QUERY).filter((k) => /^[A-Z][A-Z0-9_]+-\d+$/.test(k));
      if (chunk.length === 0) continue;
      const jql = `key in (${chunk.join(', ')}) AND updated >= -${minutes}m ORDER BY updated ASC`;
      for (let token: string | undefined; ;) {
        const page = await this.read('sweep', () =>
          this.client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
            jql,
            fields: ['status', 'updated'],
            maxResults: 100,
            ...(token ? { nextPageToken: token } : {}),
          }),
        );
        for (const issue of page.issues ?? [])
          out.push(...(await this.issueChanges(issue.key, since, issue)));
        if (!page.nextPageToken || (page.issues ?? []).length === 0) break;
        token = page.nextPageToken;
      }
    }
    return out;
  }

  private async issueChanges(
    key: string,
    since: number,
    issue: { fields?: { status?: { statusCategory?: { key?: string } } } },
  ): Promise<RemoteChange[]> {
    const recent = (at: string | undefined) => Date.parse(jiraInstant(at) ?? '') >= since;
    const first = await this.read('sweep', () =>
      this.client.issues.getChangeLogs({ issueIdOrKey: key, startAt: 0, maxResults: 1 }),
    );
    const total = first.total ?? 0;
    const page =
      total <= 1
        ? first
        : await this.read('sweep', () =>
            this.client.issues.getChangeLogs({
              issueIdOrKey: key,
              startAt: Math.max(0, total - PER_ISSUE),
              maxResults: PER_ISSUE,
            }),
          );
    const category = issue.fields?.status?.statusCategory?.key ?? null;
    const out: RemoteChange[] = [];
    for (const entry of page.values ?? []) {
      if (!recent(entry.created) || entry.id === undefined) continue;
      const items = (entry.items ?? []).flatMap((i) => {
        const parsed = JiraChangeItem.safeParse(i);
        return parsed.success ? [parsed.data] : [];
      });
      const change = jiraChangelogChange(
        key,
        { id: String(entry.id), created: String(entry.created), author: entry.author, items },
        category,
        this.ctx,
      );
      if (change) out.push(change);
    }
    const comments = await this.read('sweep', () =>
      this.client.issueComments.getComments({
        issueIdOrKey: key,
        orderBy: '-created',
        maxResults: PER_ISSUE,
      }),
    );
    for (const c of comments.comments ?? []) {
      const parsed = JiraCommentBody.safeParse(c);
      if (!parsed.success || !recent(parsed.data.updated ?? parsed.data.created)) continue;
      const change = jiraCommentChange(key, parsed.data, this.ctx);
      if (change) out.push(change);
    }
    return out;
  }
}
