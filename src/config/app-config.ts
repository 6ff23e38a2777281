import { z } from 'zod';
import { CorrelationSettings } from '../core/correlate/settings';
import { MaintenanceWindow } from '../core/maintenance/maintenance';
import { Routing } from '../core/routing/route-alert';
import { OnCallConfig } from './oncall';
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
  })
  .prefault({});
export type TicketsConfig = z.infer<typeof TicketsConfig>;

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
    /** Requests handled at once before answering 503 + Retry-After (overload, never a 4xx). */
    maxInFlight: z.number().int().positive().default(256),
  })
  .prefault({});
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
    Object.keys(cfg.oncall).forEach((name) => check(name, ['oncall', name]));
  });
export type AppConfig = z.infer<typeof AppConfig>;
