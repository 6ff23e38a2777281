import type { AppConfig } from '../config/app-config';
import { createRedactor } from '../core/redact/redact';
import type { Runbook } from '../core/runbook/runbook';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { ChatLane, Store, TicketLane } from '../ports/store';
import type { TicketSystem } from '../ports/ticket-system';
import { OutboxWorker, type LaneSpec } from '../app/outbox-worker';
import { runOutboxCommand } from '../app/run-outbox-command';
import type { Mount } from '../../handlers/http/server';
import { createJiraEmulator, type JiraEmulator } from '../../integrations/jira/emulator';
import { createJiraTicketSystem } from '../../integrations/jira/jira-ticket-system';
import { createServiceNowEmulator, type ServiceNowEmulator } from '../../integrations/servicenow/emulator';
import { createServiceNowTicketSystem } from '../../integrations/servicenow/servicenow-ticket-system';
import { createServiceNowLaneDriver } from '../../integrations/servicenow/servicenow-lane-driver';
import { createJiraLaneDriver } from '../../integrations/jira/jira-lane-driver';
import { createSlackEmulator, type SlackEmulator } from '../../integrations/slack/emulator';
import { createTeamsEmulator, type TeamsEmulator } from '../../integrations/teams/emulator';

export interface Sandboxes {
  servicenow?: ServiceNowEmulator;
  jira?: JiraEmulator;
  slack?: SlackEmulator;
  teams?: TeamsEmulator;
}

/** People in the sandbox: the same e-mails exist in the ServiceNow and Jira emulators. */
export const SANDBOX_PEOPLE = [
  { id: 'U0ANNA0001', name: 'anna.schmidt', real_name: 'Anna Schmidt', email: 'anna.schmidt@example.com' },
  { id: 'U0JONAS001', name: 'jonas.weber', real_name: 'Jonas Weber', email: 'jonas.weber@example.com' },
  { id: 'U0GUEST001', name: 'guest', real_name: 'Guest User', email: 'guest@example.com' },
];

/** Slack channel ids for the providers' channel names in the sandbox (stable: C0 + index). */
function sandboxChannels(config: AppConfig) {
  const names = [
    ...new Set(
      config.providers
        .map((p) => p.chat?.slackChannel)
        .filter((c): c is string => !!c)
        .map((c) => c.replace(/^#/, '')),
    ),
  ];
  return names.map((name, i) => ({ id: `C0SANDBOX${String(i + 1).padStart(2, '0')}`, name }));
}

/** Per-provider assignment groups and Jira projects come from `providers:` unless set per system. */
function withProviderDefaults(config: AppConfig) {
  const groups = {
    ...Object.fromEntries(
      config.providers.filter((p) => p.assignmentGroup).map((p) => [p.name, p.assignmentGroup!]),
    ),
    ...config.servicenow.assignmentGroups,
  };
  const projects = {
    ...Object.fromEntries(
      config.providers
        .filter((p) => p.jiraProject)
        .map((p) => [
          p.name,
          { projectKey: p.jiraProject!, issueType: config.jira.defaultProject.issueType },
        ]),
    ),
    ...config.jira.projects,
  };
  return {
    servicenow: { ...config.servicenow, assignmentGroups: groups },
    jira: { ...config.jira, projects },
  };
}

/** Sandbox emulators for the systems without a configured URL, mounted under /sandbox/<vendor>. */
export function createSandboxes(
  config: AppConfig,
  chat: { slack: boolean; teams?: boolean } = { slack: false },
): { sandboxes: Sandboxes; mounts: Mount[] } {
  const cfg = withProviderDefaults(config);
  const sandboxes: Sandboxes = {};
  if (!config.servicenow.instanceUrl) {
    const groups = [
      ...new Set([
        config.servicenow.defaultAssignmentGroup,
        ...Object.values(cfg.servicenow.assignmentGroups),
        'Service Desk',
      ]),
    ];
    sandboxes.servicenow = createServiceNowEmulator({ prefix: '/sandbox/servicenow', groups });
  }
  if (!config.jira.baseUrl) {
    const keys = [
      ...new Set([
        config.jira.defaultProject.projectKey,
        ...Object.values(cfg.jira.projects).map((p) => p.projectKey),
      ]),
    ];
    sandboxes.jira = createJiraEmulator({
      prefix: '/sandbox/jira',
      projects: keys.map((key) => ({ key, issueTypes: ['Task', 'Incident', 'Bug'] })),
    });
  }
  if (chat.slack) {
    const channels = sandboxChannels(config);
    sandboxes.slack = createSlackEmulator({
      channels: channels.length > 0 ? channels : [{ id: 'C0SANDBOX01', name: 'itsm-alerts' }],
      users: SANDBOX_PEOPLE,
    });
  }
  if (chat.teams) sandboxes.teams = createTeamsEmulator({ prefix: '/sandbox/teams' });
  const mounts: Mount[] = Object.values(sandboxes).map(
    (e: ServiceNowEmulator | JiraEmulator | SlackEmulator | TeamsEmulator) => (req, res) =>
      e.handle(req, res),
  );
  return { sandboxes, mounts };
}

/**
 * Builds the ticket-system adapters (real instance or the mounted sandbox), loads the runbooks and
 * creates the outbox worker. Called after the server listens, since the sandbox URL needs its port.
 */
export function wireTicketing(o: {
  config: AppConfig;
  store: Store;
  clock: Clock;
  logger: Logger;
  url: string;
  runbooks: Runbook[];
  pollMs?: number;
  /** Chat lanes (built by wire-chat), run by the same worker in lanes of their own. */
  chat?: Partial<Record<ChatLane, LaneSpec>>;
}) {
  const { config, logger } = o;
  const cfg = withProviderDefaults(config);
  const systems: Partial<Record<TicketLane, TicketSystem>> = {};
  const drivers = {
    servicenow: createServiceNowLaneDriver({ clock: o.clock, concurrency: config.servicenow.concurrency }),
    jira: createJiraLaneDriver({ clock: o.clock, concurrency: config.jira.concurrency }),
  };
  if (config.tickets.systems.includes('servicenow')) {
    systems.servicenow = createServiceNowTicketSystem({
      config: cfg.servicenow,
      baseUrl: config.servicenow.instanceUrl ?? `${o.url}/sandbox/servicenow`,
      logger,
      transport: drivers.servicenow,
    });
  }
  if (config.tickets.systems.includes('jira')) {
    systems.jira = createJiraTicketSystem({
      config: cfg.jira,
      baseUrl: config.jira.baseUrl ?? `${o.url}/sandbox/jira`,
      logger,
      transport: drivers.jira,
    });
  }
  const common = {
    store: o.store,
    runbooks: new Map(o.runbooks.map((r) => [r.id, r])),
    redactor: createRedactor(config.redaction),
    publicUrl: config.server.publicUrl ?? o.url,
    closeCode: config.servicenow.closeCode,
  };
  const lanes: Partial<Record<TicketLane | ChatLane, LaneSpec>> = { ...o.chat };
  for (const [lane, system] of Object.entries(systems) as [TicketLane, TicketSystem][]) {
    lanes[lane] = {
      run: (cmd, incident) => runOutboxCommand({ ...common, system }, cmd, incident),
      driver: drivers[lane],
    };
  }
  const outbox = new OutboxWorker({
    store: o.store,
    clock: o.clock,
    logger,
    lanes,
    chatLanes: Object.keys(o.chat ?? {}) as ChatLane[],
    chatInterval: config.slack.updateInterval,
    maxBackoff: config.tickets.maxBackoff,
    pollMs: o.pollMs ?? config.tickets.pollInterval * 1000,
  });
  return { outbox, systems };
}
