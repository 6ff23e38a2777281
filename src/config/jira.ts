import { z } from 'zod';
import { SecretString } from './secret';

/**
 * `jira:` section. Secret fields are `${VAR}` references, wrapped in Secret by SecretString so they never
 * print. `JiraConfig.parse({})` gives a working sandbox setup (no `baseUrl` →
 * the built-in emulator under /sandbox/jira).
 */
const secret = SecretString.optional();

/** Jira Cloud: `email:api_token` (classic token from id.atlassian.com). */
export const JiraBasicAuth = z.strictObject({
  type: z.literal('basic'),
  email: z.string().min(1).default('itsm-bridge@example.com'),
  /** Absent without `baseUrl` → the sandbox's token, which only the emulator accepts. */
  apiToken: secret,
});

/** Jira Data Center: personal access token sent as `Authorization: Bearer`. */
export const JiraPatAuth = z.strictObject({ type: z.literal('pat'), token: secret });

export const JiraProject = z.strictObject({
  projectKey: z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key such as OPS'),
  issueType: z.string().min(1).default('Task'),
});
export type JiraProject = z.infer<typeof JiraProject>;

export const JiraConfig = z.strictObject({
  /** Site URL (`https://<site>.atlassian.net` or the Data Center base URL); absent → sandbox emulator. */
  baseUrl: z.url().optional(),
  /** cloud = REST v3 + ADF; datacenter = REST v2 + wiki markup. */
  flavour: z.enum(['cloud', 'datacenter']).default('cloud'),
  auth: z.discriminatedUnion('type', [JiraBasicAuth, JiraPatAuth]).prefault({ type: 'basic' }),
  /** Project when the provider has none below. */
  defaultProject: JiraProject.prefault({ projectKey: 'OPS' }),
  /** Provider name → project key and issue type. */
  projects: z.record(z.string(), JiraProject).default({}),
  /** ServiceNow-style priority 1..5 → Jira priority name. */
  priorityMap: z
    .record(z.enum(['1', '2', '3', '4', '5']), z.string().min(1))
    .default({ '1': 'Highest', '2': 'High', '3': 'Medium', '4': 'Low', '5': 'Lowest' }),
  /** Label prefix; the label is `<prefix>-<short hash of the incident key>`. */
  labelPrefix: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default('itsm-bridge'),
  timeoutMs: z.number().int().positive().default(15000),
  /** Concurrent requests (Jira's limits are per second and per issue, not per connection). */
  concurrency: z.number().int().positive().default(8),
  /**
   * Requests per second to Jira from all instances together, with bursts of up to `burst` (unset: no
   * rate of our own, Jira's 429s and their Retry-After pace us). E.g. `{ perSecond: 10, burst: 20 }`.
   */
  rate: z
    .object({ perSecond: z.number().positive().max(1000), burst: z.number().int().min(1).max(1000) })
    .strict()
    .optional(),
});
export type JiraConfig = z.infer<typeof JiraConfig>;
export type JiraAuthConfig = JiraConfig['auth'];
