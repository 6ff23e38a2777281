import type { JiraPeople, ServiceNowPeople } from '../ports/people-directory';
import type { AppConfig } from '../config/app-config';
import { createRedactor } from '../core/redact/redact';
import type { Runbook } from '../core/runbook/runbook';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Metrics } from '../ports/metrics';
import type { SharedLimits } from '../ports/shared-limits';
import type { Store, TicketLane } from '../ports/store';
import type { DuplicateTickets, TicketSystem } from '../ports/ticket-system';
import type { LaneSpec } from '../app/outbox-worker';
import { isTicketCommand, runTicketCommand, type CommandDeps } from '../app/run-ticket-command';
import { laneRunner } from '../app/lane-runner';
import type { TicketAttachments } from '../ports/ticket-attachments';
import { JiraAttachments } from '../../integrations/jira/jira-attachments';
import { createJiraTicketSystem, jiraCredentials } from '../../integrations/jira/jira-ticket-system';
import { ServiceNowAttachments } from '../../integrations/servicenow/servicenow-attachments';
import {
  configuredClientOptions,
  createServiceNowTicketSystem,
} from '../../integrations/servicenow/servicenow-ticket-system';
import { createServiceNowLaneDriver } from '../../integrations/servicenow/servicenow-lane-driver';
import { createJiraLaneDriver } from '../../integrations/jira/jira-lane-driver';
import type { Sandbox, SandboxLogin } from '../../integrations/sandbox/create-sandbox';
import type { RemoteLaneDriver } from '../../integrations/lanes/remote-lane-driver';

/** Per-provider assignment groups and Jira projects come from `providers:` unless set per system. */
export function withProviderDefaults(config: AppConfig) {
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

/**
 * The sandbox for the systems in use without a configured URL (ticket systems in `tickets.systems`; the
 * chat platforms enabled without a token), mounted under /sandbox/<vendor>. The sandbox tree is loaded
 * only then: a configured deployment never loads emulator code, and a system that is not used gets no
 * emulator (issue 12: an unused, unconfigured ServiceNow used to be mounted next to a real Jira).
 */
export function createSandboxes(
  config: AppConfig,
  chat: { slack: boolean; teams?: boolean } = { slack: false },
  /** SANDBOX_URL: the shared sandbox process holds the emulators; this bridge only logs in there. */
  shared?: string,
): Sandbox | null {
  const used = (system: 'servicenow' | 'jira') => config.tickets.systems.includes(system);
  const run = {
    servicenow: used('servicenow') && !config.servicenow.instanceUrl,
    jira: used('jira') && !config.jira.baseUrl,
    slack: chat.slack,
    teams: chat.teams ?? false,
  };
  if (!Object.values(run).some(Boolean)) return null;
  const { createSandbox } =
    require('../../integrations/sandbox/create-sandbox') as typeof import('../../integrations/sandbox/create-sandbox');
  return createSandbox({
    ...withProviderDefaults(config),
    providers: config.providers,
    run,
    ...(shared ? { shared } : {}),
  });
}

/** The URL and login an adapter uses: the configured ones, or its sandbox's (here or shared). */
export function endpoint<Auth>(
  url: string | undefined,
  auth: Auth,
  sandbox: SandboxLogin<Auth> | undefined,
  origin: string,
) {
  if (url) return { baseUrl: url, auth };
  if (!sandbox) throw new Error('no URL configured and no sandbox running for it');
  return { baseUrl: `${origin}${sandbox.path}`, auth: sandbox.auth };
}

/**
 * The ticket lanes: each ticket system's adapter (real instance or the mounted sandbox) behind its lane
 * driver, with the runner for its commands. Built once the server listens (the sandbox URL has its port).
 */
export function ticketLanes(o: {
  config: AppConfig;
  store: Store;
  clock: Clock;
  logger: Logger;
  url: string;
  runbooks: Runbook[];
  /** The running sandbox, for the systems without a configured URL. */
  sandbox?: Sandbox | null;
  /** Counts each remote call and Retry-After wait. */
  metrics?: Pick<Metrics, 'remoteCall' | 'retryAfterWait'>;
  /** Where each system's concurrency and Retry-After pauses are held with the other instances. */
  limits?: SharedLimits;
}) {
  const { config, logger } = o;
  const shared = o.limits ? { limits: o.limits } : {};
  const cfg = withProviderDefaults(config);
  const systems: Partial<Record<TicketLane, TicketSystem>> = {};
  /** Attachments and comments of each system: the sync's attachment copies and the drift check. */
  const attachments: Partial<Record<TicketLane, TicketAttachments>> = {};
  const duplicates: DuplicateTickets[] = [];
  /** The adapters' people look-ups, for the sync's assignee copies. */
  const people: { servicenow?: ServiceNowPeople; jira?: JiraPeople } = {};
  /** Where the ServiceNow reader of the sync reads: the adapter's instance, login and lane driver. */
  let servicenow: { baseUrl: string; config: AppConfig['servicenow']; driver: RemoteLaneDriver } | null =
    null;
  const drivers = {
    servicenow: createServiceNowLaneDriver({
      clock: o.clock,
      concurrency: config.servicenow.concurrency,
      metrics: o.metrics,
      ...shared,
    }),
    jira: createJiraLaneDriver({
      clock: o.clock,
      concurrency: config.jira.concurrency,
      metrics: o.metrics,
      ...shared,
      ...(config.jira.rate ? { rate: config.jira.rate } : {}),
    }),
  };
  if (config.tickets.systems.includes('servicenow')) {
    const { baseUrl, auth } = endpoint(
      config.servicenow.instanceUrl,
      cfg.servicenow.auth,
      o.sandbox?.servicenow,
      o.sandbox?.origin ?? o.url,
    );
    const adapter = createServiceNowTicketSystem({
      config: { ...cfg.servicenow, auth },
      baseUrl,
      logger,
      transport: drivers.servicenow,
    });
    systems.servicenow = adapter;
    people.servicenow = adapter;
    // A create ServiceNow queued and ran after its retry's look-up leaves a twin (see the reconciler).
    duplicates.push(adapter);
    servicenow = { baseUrl, config: { ...cfg.servicenow, auth }, driver: drivers.servicenow };
    attachments.servicenow = new ServiceNowAttachments({
      ...configuredClientOptions({ config: servicenow.config, baseUrl, transport: drivers.servicenow }),
      integrationUser: auth.username,
    });
  }
  let handoffIssues: CommandDeps['handoffIssues'];
  if (config.tickets.systems.includes('jira')) {
    const { baseUrl, auth } = endpoint(
      config.jira.baseUrl,
      cfg.jira.auth,
      o.sandbox?.jira,
      o.sandbox?.origin ?? o.url,
    );
    const jira = createJiraTicketSystem({
      config: { ...cfg.jira, auth },
      baseUrl,
      logger,
      transport: drivers.jira,
      serviceManagement: config.sync.jira.serviceManagement,
    });
    people.jira = jira;
    systems.jira = jira;
    attachments.jira = new JiraAttachments({
      baseUrl,
      flavour: cfg.jira.flavour,
      credentials: jiraCredentials(auth),
      timeoutMs: cfg.jira.timeoutMs,
      transport: drivers.jira,
    });
    handoffIssues = {
      linkHandoff: (issue, original, opts) => jira.linkHandoff(issue, original, opts),
      ...config.handoff.jira,
    };
    // Jira's search lags behind its creates, so a lost create answer can leave a twin (see the reconciler).
    duplicates.push(jira);
  }
  const common = {
    store: o.store,
    runbooks: new Map(o.runbooks.map((r) => [r.id, r])),
    redactor: createRedactor(config.redaction),
    publicUrl: config.server.publicUrl ?? o.url,
    closeCode: config.servicenow.closeCode,
  };
  const lanes: Partial<Record<TicketLane, LaneSpec>> = {};
  for (const [lane, system] of Object.entries(systems) as [TicketLane, TicketSystem][]) {
    lanes[lane] = {
      run: laneRunner(isTicketCommand, (cmd, incident) =>
        runTicketCommand(
          {
            ...common,
            system,
            attachments,
            ...(lane === 'jira' && handoffIssues ? { handoffIssues } : {}),
          },
          cmd,
          incident,
        ),
      ),
      driver: drivers[lane],
    };
  }
  return { lanes, systems, attachments, duplicates, servicenow, people };
}
