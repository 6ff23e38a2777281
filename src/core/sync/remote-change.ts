import { z } from 'zod';

/**
 * One change seen on a linked ticket in ServiceNow or Jira, normalised so that the sync core decides
 * the same way whichever way it arrived (Jira webhook, JQL sweep, ServiceNow poll or push). Readers of
 * a remote system produce these; the sync core consumes them, drops what it has handled before (by
 * `system` + `changeId`), drops echoes of its own writes (echo ledger) and copies the rest according
 * to field ownership.
 */
export const SyncSystem = z.enum(['servicenow', 'jira']);
export type SyncSystem = z.infer<typeof SyncSystem>;

/**
 * Field names common to both systems. ServiceNow: `state`, `holdReason`, `impact`, `urgency`,
 * `priority`, `assignmentGroup`, `assignedTo`, `closeCode`, `closeNotes`. Jira: `status`,
 * `statusCategory` (`new` | `indeterminate` | `done`), `priority`, `assignee`, `resolution`.
 */
export const SyncField = z.enum([
  'state',
  'holdReason',
  'impact',
  'urgency',
  'priority',
  'assignmentGroup',
  'assignedTo',
  'closeCode',
  'closeNotes',
  'status',
  'statusCategory',
  'assignee',
  'resolution',
]);
export type SyncField = z.infer<typeof SyncField>;

const id = z.string().min(1).max(200);
const value = z.string().max(32_000).nullable();

export const RemoteActor = z.strictObject({
  /** ServiceNow `sys_updated_by` / user name; Jira `accountId` (or e-mail in the sandbox). */
  id: z.string().max(200),
  /** Display name as shown in copied text ("Maria Keller"). */
  name: z.string().max(200),
  /** Where known from the remote (e.g. the integration user): a hint only; the echo ledger decides. */
  integration: z.boolean(),
});
export type RemoteActor = z.infer<typeof RemoteActor>;

export const RemoteFieldChange = z.strictObject({
  field: SyncField,
  from: value,
  to: value,
});

export const RemoteComment = z.strictObject({
  /** Jira comment id; ServiceNow `sys_journal_field.sys_id`. */
  id,
  body: z.string().max(64_000),
  /** ServiceNow `work_notes` and Jira internal comments are `internal`; `comments` are `customer`. */
  visibility: z.enum(['internal', 'customer']),
});
export type RemoteComment = z.infer<typeof RemoteComment>;

export const RemoteAttachment = z.strictObject({
  /** Jira attachment id; ServiceNow `sys_attachment.sys_id`. */
  id,
  fileName: z.string().min(1).max(255),
  contentType: z.string().max(200),
  /** Null where the remote's event does not say (a Jira changelog item): the copy asks for it. */
  sizeBytes: z.number().int().nonnegative().nullable(),
  /** Hex SHA-256 of the content where the reader already has it. */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type RemoteAttachment = z.infer<typeof RemoteAttachment>;

export const RemoteChange = z.strictObject({
  system: SyncSystem,
  /**
   * Handled once per (system, changeId): Jira `X-Atlassian-Webhook-Identifier` or, from the sweep,
   * `<issueKey>@<updated>`; ServiceNow journal `sys_id`, or `<sys_id>@<sys_mod_count>` for field changes.
   */
  changeId: id,
  /** ServiceNow incident `sys_id`, or Jira issue key. */
  record: id,
  /** The remote's own update time of the record (ISO-8601 UTC): an older change never overwrites a newer one. */
  updatedAt: z.iso.datetime({ offset: true }),
  /** ServiceNow `sys_mod_count`; Jira has none (the changelog id where known). */
  version: z.number().int().nonnegative().optional(),
  actor: RemoteActor,
  fields: z.array(RemoteFieldChange).max(50),
  comments: z.array(RemoteComment).max(100),
  attachments: z.array(RemoteAttachment).max(100),
});
export type RemoteChange = z.infer<typeof RemoteChange>;

/**
 * Where readers hand their changes: the sync core's `applyRemoteChanges`, composed in the
 * composition root. It resolves once the changes are durably handled (committed), so a webhook can
 * answer 2xx only then and a poller can move its cursor only then.
 */
export type RemoteChangeSink = (changes: readonly RemoteChange[]) => Promise<void>;
