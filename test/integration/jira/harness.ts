import { JiraConfig } from '../../../src/config/jira';
import type { TicketDraft } from '../../../src/ports/ticket-system';
import { createJiraEmulator, type JiraEmulatorOptions } from '../../../integrations/sandbox/jira/emulator';
import { sandboxJiraAuth } from '../../../integrations/sandbox/sandbox-auth';
import { createJiraTicketSystem } from '../../../integrations/jira/jira-ticket-system';
import { createJiraLaneDriver } from '../../../integrations/jira/jira-lane-driver';
import { systemClock } from '../../../integrations/clock/system-clock';

/** Emulator on an ephemeral port plus the real adapter pointed at it, through its lane driver. */
export async function startJira(
  opts: { emulator?: JiraEmulatorOptions; config?: Record<string, unknown> } = {},
) {
  const emulator = createJiraEmulator(opts.emulator);
  const server = await emulator.listen(0);
  const parsed = JiraConfig.parse({ timeoutMs: 2000, ...opts.config });
  // Logged in as in the sandbox: a token the test leaves out is the sandbox's.
  const config = { ...parsed, auth: sandboxJiraAuth(parsed.auth) };
  const adapter = createJiraTicketSystem({ config, baseUrl: server.url, transport: jiraDriver(config) });
  return { emulator, server, adapter, config };
}

/** A Jira lane driver on the wall clock, as a fresh process would build it. */
export function jiraDriver(config: JiraConfig) {
  return createJiraLaneDriver({ clock: systemClock, concurrency: config.concurrency });
}

export const basicAuth = `Basic ${Buffer.from('itsm-bridge@example.com:sandbox').toString('base64')}`;

export function draft(over: Partial<TicketDraft> = {}): TicketDraft {
  return {
    incidentKey: 'alertmanager:branch=berlin:service=dms',
    incidentId: 'inc_01',
    title: 'DMS application down at branch Berlin',
    description: 'The DMS application does not answer.\n\nStarted after the nightly deploy.',
    impact: 1,
    urgency: 2,
    provider: 'dms-app',
    cmdbCi: null,
    branch: 'berlin',
    alerts: [
      {
        host: 'dms-app-01',
        service: 'dms',
        severity: 'critical',
        status: 'firing',
        summary: 'HTTP check failed',
        startsAt: null,
      },
    ],
    runbook: {
      id: 'dms-app-down',
      title: 'DMS application down',
      steps: ['Check the app pool', 'Restart the service'],
    },
    links: [{ label: 'ServiceNow INC0010001', url: 'https://sn.example.com/incident.do?sys_id=abc' }],
    ...over,
  };
}
