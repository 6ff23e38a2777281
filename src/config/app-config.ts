import { z } from 'zod';
import { CorrelationSettings } from '../core/correlate/settings';
import { MaintenanceWindow } from '../core/maintenance/maintenance';
import { Routing } from '../core/routing/route-alert';
import { OnCallConfig, OnCallPersonConfig } from './oncall';
import { EscalationConfig, escalationIssues, PagingConfig } from './escalation';
import { Provider } from './providers';
import { SourcesConfig } from './sources';
import { Duration } from '../core/time/duration';
import { JiraConfig } from './jira';
import { RedactionConfig } from './redaction';
import { ServiceNowConfig } from './servicenow';
import { SlaConfigSection } from './sla';
import { SlackConfig, TeamsConfig } from './chat';
import { AuditConfig } from './audit';
import { RetentionConfig } from './retention';
import { HandoffConfig } from './handoff';
import { resolveSyncEnabled, SyncConfig } from './sync';

/** The ticketing outbox: which systems get tickets, note coalescing, retry ceiling. */
export const TicketsConfig = z
  .strictObject({
    systems: z.array(z.enum(['servicenow', 'jira'])).default(['servicenow', 'jira']),
    /** At most one work note / comment per incident per interval, summarising what joined and recovered. */
    noteInterval: Duration.default(60),
    /** Longest wait between retries of a failing remote call (Retry-After from the remote always wins). */
    maxBackoff: Duration.default(300),
    /** How often the outbox worker looks for due commands. */
    pollInterval: Duration.default(1),
    /**
     * How often tickets created twice for one incident (a lost create answer while Jira's search lagged,
     * a ServiceNow create that ran after its retry's look-up) are looked for and closed or cancelled as
     * duplicates; 0 turns it off. Incidents opened within `reconcileLookback`.
     */
    reconcileInterval: Duration.default(300),
    reconcileLookback: Duration.default(86400),
  })
  .prefault({});
export type TicketsConfig = z.infer<typeof TicketsConfig>;

/** In-flight budgets per route class (handlers/http/in-flight.ts). */
export const InFlightBudgets = z.strictObject({
  /** POST /webhooks/:source — the alerts. */
  webhooks: z.number().int().positive().default(256),
  /** POST /slack/events and /teams/messages. */
  chat: z.number().int().positive().default(64),
  /** /api/* and /reports*. */
  api: z.number().int().positive().default(32),
  /** /sandbox/* (the emulators). */
  sandbox: z.number().int().positive().default(32),
});
export type InFlightBudgets = z.infer<typeof InFlightBudgets>;

export const ServerConfig = z
  .strictObject({
    /** Base URL users and links should use (ticket links, chat buttons); defaults to http://HOST:PORT. */
    publicUrl: z.url().optional(),
    /** Largest accepted webhook body in bytes (413 above). */
    bodyLimit: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    /**
     * Requests handled at once per route class before that class answers 503 + Retry-After (overload,
     * never a 4xx). A number is the webhooks' budget; each class has its own, so a flood on one route
     * (say slow bodies on /slack/events) never refuses alerts.
     */
    maxInFlight: z
      .union([z.number().int().positive(), InFlightBudgets])
      .transform((v) => (typeof v === 'number' ? InFlightBudgets.parse({ webhooks: v }) : v))
      .prefault({}),
    /** Open connections at most (Node's `server.maxConnections`); more are dropped at accept. */
    maxConnections: z.number().int().positive().default(1024),
    /** Seconds for a request's headers to arrive (Node's `headersTimeout`; slow-header attacks). */
    headersTimeout: Duration.default(10),
    /** Seconds for a whole request to arrive (Node's `requestTimeout`, 300 s by default in Node). */
    requestTimeout: Duration.default(30),
    /** Seconds a handler waits for a body it reads; then 408 and the connection is closed. */
    bodyTimeout: Duration.default(10),
    /**
     * Correlate in a worker thread with its own connection to the SQLite file, so the event loop only
     * accepts alerts (SQLite files only: on PostgreSQL correlation mostly waits for the database, and
     * the event loop serves requests meanwhile). `false` correlates on the event loop.
     */
    correlationThread: z.boolean().default(true),
  })
  .prefault({})
  .refine((s) => s.headersTimeout <= s.requestTimeout, {
    path: ['headersTimeout'],
    message: 'must not exceed server.requestTimeout (Node refuses it)',
  });
export type ServerConfig = z.infer<typeof ServerConfig>;

/** The whole `itsm-bridge.yaml`. Strict everywhere: an unknown key is an error with a hint. */
export const AppConfig = z
  .strictObject({
    server: ServerConfig,
    sources: SourcesConfig,
    providers: z.array(Provider).default([
      { name: 'infra', oncall: [] },
      { name: 'app', oncall: [] },
    ]),
    /** On-call rotations per provider name; a provider without one keeps `providers[].oncall`. */
    oncall: OnCallConfig,
    /** Escalation policies of unacknowledged incidents per provider name, and the provider leads. */
    escalation: EscalationConfig,
    /** Shift handovers at rotation changes and on `/itsm shift`. */
    shiftHandover: z
      .strictObject({
        /** Unacknowledged this long, the handover goes to the provider lead. */
        acknowledgeWithin: Duration.default(30 * 60),
        /** A rotation change missed by up to this long (the bridge was down) is still handed over. */
        lateWindow: Duration.default(12 * 3600),
      })
      .prefault({}),
    /** Hand-offs: the Jira issue on accept and the ping-pong limit. */
    handoff: HandoffConfig,
    /** The service manager: `service-manager` escalation steps and hand-off ping-pong reach them. */
    serviceManager: OnCallPersonConfig.optional(),
    /** Paging targets (PagerDuty Events API v2, generic webhook) that `page` steps name. */
    paging: PagingConfig,
    routing: Routing.prefault({}),
    correlation: CorrelationSettings.prefault({}),
    maintenance: z.array(MaintenanceWindow).default([]),
    runbooks: z.strictObject({ dir: z.string().default('runbooks') }).prefault({}),
    tickets: TicketsConfig,
    servicenow: ServiceNowConfig.prefault({}),
    jira: JiraConfig.prefault({}),
    slack: SlackConfig.prefault({}),
    teams: TeamsConfig.prefault({}),
    redaction: RedactionConfig.prefault({}),
    sla: SlaConfigSection,
    audit: AuditConfig,
    retention: RetentionConfig,
    /** Two-way ServiceNow ⇄ Jira sync of linked tickets (docs/ticket-systems.md). */
    sync: SyncConfig,
  })
  .superRefine((cfg, ctx) => {
    const names = new Set(cfg.providers.map((p) => p.name));
    const check = (provider: string | undefined, path: (string | number)[]) => {
      if (provider !== undefined && !names.has(provider)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `unknown provider "${provider}"; known: ${[...names].join(', ')}`,
        });
      }
    };
    check(cfg.routing.defaults.provider, ['routing', 'defaults', 'provider']);
    cfg.routing.rules.forEach((r, i) => check(r.provider, ['routing', 'rules', i, 'provider']));
    cfg.routing.rules.forEach((r, i) => check(r.shadow, ['routing', 'rules', i, 'shadow']));
    cfg.providers.forEach((p, i) => check(p.shadow, ['providers', i, 'shadow']));
    Object.keys(cfg.oncall).forEach((name) => check(name, ['oncall', name]));
    Object.keys(cfg.escalation).forEach((name) => check(name, ['escalation', name]));
    for (const issue of escalationIssues(cfg.escalation, cfg.paging))
      ctx.addIssue({ code: 'custom', ...issue });
  })
  .transform((cfg) => ({
    ...cfg,
    sync: {
      ...cfg.sync,
      enabled: resolveSyncEnabled(cfg.sync.enabled, {
        servicenowUrl: cfg.servicenow.instanceUrl,
        jiraUrl: cfg.jira.baseUrl,
      }),
    },
  }));
export type AppConfig = z.infer<typeof AppConfig>;
