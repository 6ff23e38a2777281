import {
  createJiraEmulator,
  retryAfterViolations,
  type JiraEmulator,
  type JiraEmulatorOptions,
} from '../../../integrations/sandbox/jira/emulator';
import { sandboxJiraAuth } from '../../../integrations/sandbox/sandbox-auth';
import { createJiraTicketSource } from '../../../integrations/jira/jira-ticket-source';
import { createJiraTicketSystem } from '../../../integrations/jira/jira-ticket-system';
import { basicAuth, jiraDriver } from '../jira/harness';
import { buildSlaReport } from '../../../src/app/build-sla-report';
import { JiraConfig } from '../../../src/config/jira';
import { Secret } from '../../../src/config/secret';
import { SlaConfig } from '../../../src/config/sla';
import type { TicketHistory } from '../../../src/core/sla/types';
import type { TicketDraft } from '../../../src/ports/ticket-system';

const draft = (n: number): TicketDraft => ({
  incidentKey: `ib-jira-src-${n}`,
  incidentId: String(n),
  title: `Print queue stuck ${n}`,
  description: 'd',
  impact: 2,
  urgency: 1,
  provider: 'infra',
  cmdbCi: null,
  branch: 'muc-01',
  alerts: [],
  runbook: null,
  links: [],
});

describe('Jira as an SLA ticket source (/search/jql + changelog, against the Jira emulator)', () => {
  it('turns issues and their status changes into ticket histories the report can use', async () => {
    const emu = createJiraEmulator();
    const srv = await emu.listen();
    try {
      const parsed = JiraConfig.parse({});
      const config = { ...parsed, auth: sandboxJiraAuth(parsed.auth) };
      const jira = createJiraTicketSystem({ config, baseUrl: srv.url, transport: jiraDriver(config) });
      const a = await jira.create(draft(1));
      await jira.create(draft(2));
      await jira.resolve(a, { code: 'x', notes: 'fixed' });
      // Basic itsm-bridge@example.com with the sandbox token; priorities from the default jira.priorityMap.
      const source = createJiraTicketSource({
        config,
        baseUrl: srv.url,
        transport: jiraDriver(config),
        projects: ['OPS'],
        pageSize: 1, // forces paging through nextPageToken
      });
      const histories: TicketHistory[] = [];
      const now = new Date(Date.now() + 60_000);
      for await (const h of source.tickets({ from: new Date(0), to: now })) histories.push(h);
      expect(histories).toHaveLength(2);
      expect(histories.map((h) => h.number)).toContain(a.key);
      const resolved = histories.find((h) => h.number === a.key)!;
      expect(resolved.events[0]).toMatchObject({ state: 'New' });
      expect(resolved.events.some((e) => e.state === 'Resolved')).toBe(true);
      expect(histories.find((h) => h.number !== a.key)!.events.every((e) => e.state !== 'Resolved')).toBe(
        true,
      );

      const month = now.toISOString().slice(0, 7);
      const report = await buildSlaReport({
        month,
        config: SlaConfig.parse({}),
        source,
        clock: { now: () => now },
      });
      expect(JSON.stringify(report)).toContain(a.key);
    } finally {
      await srv.close();
    }
  });

  /** An emulator with one issue (written by the ticket adapter) and a source, both on `auth`, read to the end. */
  async function readOne(
    auth: Record<string, unknown>,
    opts: JiraEmulatorOptions,
    before: (emu: JiraEmulator, issue: { url: string; key: string }) => unknown = () => {},
  ) {
    const emu = createJiraEmulator(opts);
    const srv = await emu.listen();
    try {
      const parsed = JiraConfig.parse({ auth });
      const config = { ...parsed, auth: sandboxJiraAuth(parsed.auth) };
      const { key } = await createJiraTicketSystem({
        config,
        baseUrl: srv.url,
        transport: jiraDriver(config),
      }).create(draft(3));
      await before(emu, { url: srv.url, key });
      const source = createJiraTicketSource({
        config,
        baseUrl: srv.url,
        transport: jiraDriver(config),
        projects: ['OPS'],
      });
      const histories: TicketHistory[] = [];
      for await (const h of source.tickets({ from: new Date(0), to: new Date(Date.now() + 60_000) }))
        histories.push(h);
      return { histories, calls: emu.state.callLog };
    } finally {
      await srv.close();
    }
  }

  it('reads a priority raised in Jira from the changelog into the history (opened High, then Highest)', async () => {
    const { histories } = await readOne({ type: 'basic' }, {}, async (_emu, issue) => {
      // Somebody raises the priority in Jira (Edit issue), as the REST API does it.
      const edit = await fetch(`${issue.url}/rest/api/3/issue/${issue.key}`, {
        method: 'PUT',
        headers: { Authorization: basicAuth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ fields: { priority: { name: 'Highest' } } }),
      });
      expect(edit.status).toBe(204);
    });
    expect(histories.map((h) => h.events.map((e) => e.priority))).toEqual([[2, 1]]);
  });

  it('authenticates with a personal access token from the config (Bearer), as the ticket adapter does', async () => {
    // The emulator knows this PAT only, and no API token at all.
    const { histories, calls } = await readOne(
      { type: 'pat', token: new Secret('report-pat') },
      { apiTokens: {}, pats: ['report-pat'] },
    );
    expect(histories.map((h) => h.events[0]?.state)).toEqual(['New']);
    const reads = calls.filter((c) => c.path.endsWith('/search/jql') || c.path.endsWith('/changelog'));
    expect(reads.map((c) => c.status)).toEqual([200, 200]);
  });

  it('waits out a 429 Retry-After at the gate and retries the read, sending nothing inside the window', async () => {
    const { histories, calls } = await readOne({ type: 'basic' }, {}, (emu) =>
      emu.faults.script.push({ kind: 'rateLimit', retryAfterSeconds: 1, path: '/changelog' }),
    );
    expect(histories).toHaveLength(1);
    const limited = calls.find((c) => c.status === 429)!;
    expect(limited).toMatchObject({ fault: 'rateLimit', retryAfterSeconds: 1 });
    expect(calls[calls.indexOf(limited) + 1]).toMatchObject({ path: limited.path, status: 200 });
    expect(retryAfterViolations(calls)).toEqual([]);
  });
});
