import { z } from 'zod';
import { SecretString } from './secret';

/**
 * `servicenow:` section. Secret fields are `${VAR}` references, wrapped in Secret by SecretString so they
 * never print. `ServiceNowConfig.parse({})` gives a
 * working sandbox setup (no `instanceUrl` → the built-in emulator under /sandbox/servicenow).
 */
const secret = SecretString.optional();

export const ServiceNowBasicAuth = z.strictObject({
  type: z.literal('basic'),
  /** Integration user with the `itil` role (rest_api_explorer is not needed). */
  username: z.string().min(1).default('itsm.bridge'),
  /** Absent without `instanceUrl` → the sandbox's password, which only the emulator accepts. */
  password: secret,
});

export const ServiceNowOAuth = z.strictObject({
  type: z.literal('oauth'),
  clientId: z.string().min(1),
  clientSecret: secret,
  /** Password grant needs the integration user; the refresh token is then kept in memory. */
  username: z.string().min(1),
  password: secret,
});

/** `servicenow.sync:` — reading changes of our incidents back from ServiceNow (issue 11). */
export const ServiceNowSyncConfig = z.strictObject({
  /** Poll our incidents (`correlation_display=itsm-bridge`) for changes; the push alone can miss some. */
  poll: z.boolean().default(true),
  /** Seconds between polls. */
  pollInterval: z.number().int().min(5).default(30),
  /** Seconds each poll reads back before its cursor (ServiceNow's clock, late commits). */
  overlap: z.number().int().min(0).max(3600).default(30),
  /** Requests per rolling hour the poller may send (the instance's rate-limit rules count per hour). */
  requestsPerHour: z.number().int().min(10).default(1000),
  /** Incidents per page (sysparm_limit), also the batch of each journal query. */
  pageSize: z.number().int().min(1).max(1000).default(100),
  /** Journal entries per page. */
  journalPageSize: z.number().int().min(1).max(10000).default(500),
  /** Without a stored cursor, the first poll starts this many seconds back. */
  initialLookback: z.number().int().min(0).default(300),
  /** Shared secret of the business rule's `X-ServiceNow-Signature`; absent: POST /webhooks/servicenow is off. */
  pushSecret: secret,
});
export type ServiceNowSyncConfig = z.infer<typeof ServiceNowSyncConfig>;

export const ServiceNowConfig = z.strictObject({
  /** `https://<instance>.service-now.com`; absent → sandbox emulator. */
  instanceUrl: z.url().optional(),
  auth: z.discriminatedUnion('type', [ServiceNowBasicAuth, ServiceNowOAuth]).prefault({ type: 'basic' }),
  /** Caller (`caller_id`): e-mail or user_name of a sys_user, resolved to its sys_id once. */
  caller: z.string().min(1).default('itsm-bridge@example.com'),
  /** `close_code` used on resolve; must be a choice of `incident.close_code` on your instance. */
  closeCode: z.string().min(1).default('Solved (Permanently)'),
  /** Assignment group name when the provider has none below. */
  defaultAssignmentGroup: z.string().min(1).default('DMS Infrastructure'),
  /** Provider name → assignment group name (resolved to sys_id and cached). */
  assignmentGroups: z.record(z.string(), z.string().min(1)).default({}),
  /** Per-request timeout; ServiceNow itself cancels REST transactions after 60 s. */
  timeoutMs: z.number().int().positive().default(15000),
  /** Concurrent requests; ServiceNow has ~4 API_INT semaphores per node, the excess queues or gets 429. */
  concurrency: z.number().int().positive().default(4),
  /** How long name → sys_id look-ups (groups, caller, CIs) are cached. */
  lookupCacheTtlSeconds: z.number().int().nonnegative().default(3600),
  /**
   * incident.description's max_length in your dictionary (4,000 by default). ServiceNow cuts longer text
   * silently, so the bridge fits the description into it: the first alerts, "… and K more", the closing
   * reference line always intact.
   */
  descriptionMaxLength: z.number().int().min(500).default(4000),
  sync: ServiceNowSyncConfig.prefault({}),
});
export type ServiceNowConfig = z.infer<typeof ServiceNowConfig>;
export type ServiceNowAuthConfig = ServiceNowConfig['auth'];
