import { z } from 'zod';
import { Duration } from '../core/time/duration';
import { SecretString } from './secret';

/**
 * What a field belongs to for ownership: each remote field (`SyncField`) counts towards one of these.
 * `lifecycle` is ServiceNow's customer-visible state (On Hold with its reason, Resolved with close code
 * and notes, Closed, Canceled, reopen); `workflowStatus` is the provider's Jira status.
 */
export const OwnedItem = z.enum([
  'impact',
  'urgency',
  'priority',
  'assignmentGroup',
  'lifecycle',
  'customerComments',
  'workflowStatus',
  'internalComments',
  'assignee',
]);
export type OwnedItem = z.infer<typeof OwnedItem>;

const System = z.enum(['servicenow', 'jira']);

/** The defaults: ServiceNow owns what the customer sees and measures, Jira the provider's work. */
export const DEFAULT_OWNERSHIP: Record<OwnedItem, 'servicenow' | 'jira'> = {
  impact: 'servicenow',
  urgency: 'servicenow',
  priority: 'servicenow',
  assignmentGroup: 'servicenow',
  lifecycle: 'servicenow',
  customerComments: 'servicenow',
  workflowStatus: 'jira',
  internalComments: 'jira',
  assignee: 'jira',
};

const JiraCategory = z.enum(['new', 'indeterminate', 'done']);

/** One row of the ServiceNow → Jira table: a state (and hold reason) and the Jira status it maps to. */
export const ToJiraRow = z
  .strictObject({
    /** ServiceNow `incident.state` value: 1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled. */
    state: z.string().regex(/^\d+$/, 'a ServiceNow state value such as "3"'),
    /** `hold_reason` value (1 Awaiting Caller, 3 Awaiting Problem, 4 Awaiting User Info, 5 Awaiting Evidence …); absent: any. */
    holdReason: z.string().min(1).optional(),
    /** The Jira status by name (preferred), or … */
    status: z.string().min(1).optional(),
    /** … the first status of this category that a transition leads to. */
    category: JiraCategory.optional(),
  })
  .refine((r) => r.status !== undefined || r.category !== undefined, {
    message: 'name a Jira `status` or a status `category`',
  });
export type ToJiraRow = z.infer<typeof ToJiraRow>;

/** One row of the Jira → ServiceNow table: a Jira status (or category) and the ServiceNow state. */
export const ToServiceNowRow = z
  .strictObject({
    status: z.string().min(1).optional(),
    category: JiraCategory.optional(),
    state: z.string().regex(/^\d+$/, 'a ServiceNow state value such as "6"'),
    holdReason: z.string().min(1).optional(),
  })
  .refine((r) => r.status !== undefined || r.category !== undefined, {
    message: 'name a Jira `status` or a status `category`',
  });
export type ToServiceNowRow = z.infer<typeof ToServiceNowRow>;

/**
 * One explicit person mapping of `sync.people`: wins over the e-mail match when an assignee is copied.
 */
export const PersonMapping = z.strictObject({
  /** The Jira account: its accountId, or its e-mail address. */
  jira: z.string().min(1).max(200),
  /** The ServiceNow user's `user_name`. */
  servicenow: z.string().min(1).max(200),
});
export type PersonMapping = z.infer<typeof PersonMapping>;

/**
 * `sync:` — the two-way ServiceNow ⇄ Jira sync of linked tickets (issue 11). `enabled` unset means on
 * only while both ticket systems are sandboxes (`resolveSyncEnabled`); next to a real instance it has to
 * be switched on by name. The Jira webhook needs `jira.webhookSecret` (401 for every delivery without it).
 */
export const SyncConfig = z
  .strictObject({
    /** Unset: on exactly when neither `servicenow.instanceUrl` nor `jira.baseUrl` is configured. */
    enabled: z.boolean().optional(),
    /** Which system owns what; a change on the other side is not copied (timeline + chat, maybe reverted). */
    ownership: z
      .partialRecord(OwnedItem, System)
      .default({})
      .transform((o) => ({ ...DEFAULT_OWNERSHIP, ...o })),
    /** Set a not-owned field back to the owner's value (the change is still reported). */
    revert: z.boolean().default(false),
    /** ServiceNow state (+ hold reason) → Jira status; the first matching row wins, rows with a reason first. */
    toJira: z.array(ToJiraRow).default([
      { state: '1', category: 'new' },
      { state: '2', category: 'indeterminate' },
      { state: '3', status: 'Waiting' },
      { state: '6', category: 'done' },
      { state: '7', category: 'done' },
      { state: '8', category: 'done' },
    ]),
    /** Jira status (or category) → ServiceNow state; by default only done resolves ServiceNow. */
    toServiceNow: z.array(ToServiceNowRow).default([{ category: 'done', state: '6' }]),
    /** ServiceNow priority 1–5 ⇄ Jira priority name (both directions; a name missing here is not copied). */
    priorities: z
      .record(z.enum(['1', '2', '3', '4', '5']), z.string().min(1))
      .default({ '1': 'Highest', '2': 'High', '3': 'Medium', '4': 'Low', '5': 'Lowest' }),
    comments: z
      .strictObject({
        /** Where a Jira comment lands in ServiceNow: `work_notes` (internal) or `comments` (customer-visible). */
        jiraTo: z.enum(['work_notes', 'comments']).default('work_notes'),
      })
      .prefault({}),
    /** ServiceNow `close_code` when Jira done resolves the incident; the resolution comment becomes close notes. */
    closeCode: z.string().min(1).default('Solved (Permanently)'),
    attachments: z
      .strictObject({
        /** Larger attachments are not copied (a timeline entry says so). */
        maxBytes: z
          .number()
          .int()
          .positive()
          .default(10 * 1024 * 1024),
      })
      .prefault({}),
    jira: z
      .strictObject({
        /** The admin webhook's secret: `X-Hub-Signature: sha256=<HMAC of the raw body>` is checked with it. */
        webhookSecret: SecretString.optional(),
        /** JQL sweep for deliveries that never came: every `sweepInterval`, issues `updated >= -sweepWindow`. */
        sweepInterval: Duration.default(300),
        sweepWindow: Duration.default(900),
        /** Incidents opened this long ago or later are swept. */
        sweepLookback: Duration.default(30 * 86400),
        /**
         * The Jira project is a Jira Service Management one: ServiceNow work notes become internal
         * comments and customer comments public ones; a public Jira comment goes to ServiceNow's customer
         * comments, an internal one to work notes (instead of `comments.jiraTo`).
         */
        serviceManagement: z.boolean().default(false),
      })
      .prefault({}),
    /**
     * Assignee ⇄ assigned_to: who is who where the e-mail does not tell (a Jira address hidden by its
     * profile, or different addresses). Without a row, the e-mail decides; no match, no copy.
     */
    people: z.array(PersonMapping).max(10_000).default([]),
    /** `itsm-bridge sync check` runs this often (0: never by itself). */
    checkInterval: Duration.default(86400),
    /**
     * Requests one sync check may send to compare comments and attachments (five per pair, and a few
     * per attachment whose content is compared); pairs beyond it are counted as not compared.
     */
    checkRequests: z.number().int().positive().default(2000),
  })
  .prefault({});
export type SyncConfig = z.infer<typeof SyncConfig>;

/**
 * Whether the sync runs: as configured, else only when neither ticket system is a real instance — the
 * quick start's sandboxes sync out of the box, while a fresh install pointed at a customer's ServiceNow
 * does not start writing into it before someone said `sync.enabled: true`.
 */
export function resolveSyncEnabled(
  enabled: boolean | undefined,
  systems: { servicenowUrl: string | undefined; jiraUrl: string | undefined },
): boolean {
  return enabled ?? (!systems.servicenowUrl && !systems.jiraUrl);
}
