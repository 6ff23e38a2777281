import { createJiraEmulator } from '../../../integrations/jira/emulator';
import { createJiraTicketSystem } from '../../../integrations/jira/jira-ticket-system';
import { jiraDriver } from '../jira/harness';
import { buildSlaReport } from '../../../src/app/build-sla-report';
import { JiraConfig } from '../../../src/config/jira';
import { SlaConfig } from '../../../src/config/sla';
import type { TicketHistory } from '../../../src/core/sla/types';
import type { TicketDraft } from '../../../src/ports/ticket-system';
import { JiraTicketSource } from '../../../src/sla/jira-ticket-source';

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
      const config = JiraConfig.parse({});
      const jira = createJiraTicketSystem({ config, baseUrl: srv.url, transport: jiraDriver(config) });
      const a = await jira.create(draft(1));
      await jira.create(draft(2));
      await jira.resolve(a, { code: 'x', notes: 'fixed' });
      const source = new JiraTicketSource({
        baseUrl: srv.url,
        authorization: () => `Basic ${Buffer.from('itsm-bridge@example.com:sandbox').toString('base64')}`,
        projects: ['OPS'],
        priorities: { Highest: 1, High: 2, Medium: 3, Low: 4, Lowest: 5 },
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
});
