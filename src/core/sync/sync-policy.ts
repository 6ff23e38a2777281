import { createHash } from 'node:crypto';
import type { OwnedItem, SyncConfig, ToJiraRow, ToServiceNowRow } from '../../config/sync';
import { SyncField, type SyncSystem } from './remote-change';

/** What each remote field counts towards for ownership. */
const ITEM_OF: Record<SyncField, OwnedItem> = {
  state: 'lifecycle',
  holdReason: 'lifecycle',
  closeCode: 'lifecycle',
  closeNotes: 'lifecycle',
  impact: 'impact',
  urgency: 'urgency',
  priority: 'priority',
  assignmentGroup: 'assignmentGroup',
  assignedTo: 'assignee',
  assignee: 'assignee',
  status: 'workflowStatus',
  statusCategory: 'workflowStatus',
  resolution: 'workflowStatus',
};

/** The ownership item a field belongs to. */
export const ownedItemOf = (field: SyncField): OwnedItem => ITEM_OF[field];

/** The system that owns `field` under this config. */
export const ownerOf = (cfg: Pick<SyncConfig, 'ownership'>, field: SyncField): SyncSystem =>
  cfg.ownership[ITEM_OF[field]];

export const SYSTEM_NAMES: Record<SyncSystem, string> = { servicenow: 'ServiceNow', jira: 'Jira' };

/** Human words for a field in timeline and chat text. */
const FIELD_WORDS: Record<SyncField, string> = {
  state: 'state',
  holdReason: 'hold reason',
  closeCode: 'close code',
  closeNotes: 'close notes',
  impact: 'impact',
  urgency: 'urgency',
  priority: 'priority',
  assignmentGroup: 'assignment group',
  assignedTo: 'assignee',
  assignee: 'assignee',
  status: 'status',
  statusCategory: 'status category',
  resolution: 'resolution',
};
export const fieldWords = (f: SyncField): string => FIELD_WORDS[f];

/**
 * Text as both systems give it back: ServiceNow keeps line breaks, Jira turns lines into paragraphs, and
 * either may trim. Whitespace runs collapse to one space, so a copy and its echo hash the same.
 */
export const normaliseText = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The echo ledger's content hash: hex SHA-256 of the normalised text (or field value). */
export const contentHash = (text: string): string =>
  createHash('sha256').update(normaliseText(text)).digest('hex');

/**
 * Mentions as plain names, so a synced mention never notifies a stranger on the other side: Jira wiki
 * `[~accountid:…]` / `[~username]` by the names known (else "a Jira user"), ServiceNow `@Name` and
 * `@[sys_id:Name]` forms as the bare name.
 */
export function plainMentions(text: string, names: ReadonlyMap<string, string> = new Map()): string {
  return text
    .replace(/\[~(?:accountid:)?([^\]\s]+)\]/gi, (_, id: string) => names.get(id) ?? 'a Jira user')
    .replace(/@\[[^:\]]*:([^\]]+)\]/g, '$1')
    .replace(/(^|[\s(])@(?=[\p{L}\p{N}])/gu, '$1');
}

/**
 * A file name safe to pass on: the last path segment only (no `/` or `\\`), no control characters,
 * at most 255 characters; `attachment` when nothing is left.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = base
    .replace(/\p{Cc}|\p{Cf}/gu, '')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 255);
  return clean || 'attachment';
}

/** Bytes as people read them on the timeline: `14 MB`, `512 KB`, `80 bytes`. */
export function byteSize(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** The header every copied text carries: who wrote it and where. */
export function copiedText(o: {
  from: SyncSystem;
  author: string;
  where: string;
  kind: 'comment' | 'work note' | 'customer comment' | 'resolution';
  body: string;
}): string {
  const what = o.kind === 'customer comment' ? "Customer's comment" : `${SYSTEM_NAMES[o.from]} ${o.kind}`;
  return `[${what} by ${o.author} on ${o.where}]\n${o.body}`;
}

/** Matches a ServiceNow state to the Jira table: rows naming the hold reason before rows that do not. */
export function toJiraStatus(
  rows: readonly ToJiraRow[],
  state: string,
  holdReason: string | null,
): ToJiraRow | null {
  const candidates = rows.filter((r) => r.state === state);
  return (
    candidates.find((r) => r.holdReason !== undefined && r.holdReason === holdReason) ??
    candidates.find((r) => r.holdReason === undefined) ??
    null
  );
}

/** Matches a Jira status (by name, then by category) to the ServiceNow table. */
export function toServiceNowState(
  rows: readonly ToServiceNowRow[],
  status: string | null,
  category: string | null,
): ToServiceNowRow | null {
  const lower = status?.toLowerCase();
  return (
    rows.find((r) => r.status !== undefined && r.status.toLowerCase() === lower) ??
    rows.find((r) => r.status === undefined && r.category === category) ??
    null
  );
}

/**
 * The Jira statuses other `toJira` rows name. A row asking only for a category is not met by one of
 * them: Waiting is in the in-progress category too, yet it is On Hold's status, so taking an incident
 * off hold must move Jira on from Waiting.
 */
export function statusesNamedBesides(rows: readonly ToJiraRow[], row: ToJiraRow): string[] {
  if (row.status !== undefined) return [];
  return [...new Set(rows.flatMap((r) => (r !== row && r.status !== undefined ? [r.status] : [])))];
}

/** Whether a Jira status (name and category) is what a `toJira` row asks for, none of `besides`. */
export const jiraStatusMatches = (
  row: Pick<ToJiraRow, 'status' | 'category'>,
  status: string | null,
  category: string | null,
  besides: readonly string[] = [],
): boolean =>
  row.status !== undefined
    ? row.status.toLowerCase() === (status ?? '').toLowerCase()
    : row.category === category && !besides.some((b) => b.toLowerCase() === (status ?? '').toLowerCase());

/** ServiceNow priority (1–5) → Jira priority name, and back; null when the table has no entry. */
export const jiraPriorityFor = (cfg: Pick<SyncConfig, 'priorities'>, snPriority: string): string | null =>
  cfg.priorities[snPriority as keyof SyncConfig['priorities']] ?? null;
export const snPriorityFor = (cfg: Pick<SyncConfig, 'priorities'>, jiraName: string): string | null =>
  Object.entries(cfg.priorities).find(([, n]) => n.toLowerCase() === jiraName.toLowerCase())?.[0] ?? null;

/** The data of a `sync_assignee` timeline entry. */
export interface AssigneeData {
  system: SyncSystem;
  assignee: string | null;
  outcome: 'copied' | 'no_user' | 'not_owned';
  reverted: boolean;
  name: string;
}

/**
 * "Jira assignee Erika Engineer has no ServiceNow user; not synced", and the other outcomes of an
 * assignee change, as timeline reason and chat line (rebuilt by the retention purge).
 */
export function assigneeReason(d: AssigneeData): string {
  const here = SYSTEM_NAMES[d.system];
  const there = SYSTEM_NAMES[d.system === 'jira' ? 'servicenow' : 'jira'];
  const changed = d.assignee === null ? 'cleared' : `changed to ${d.assignee}`;
  switch (d.outcome) {
    case 'copied':
      return `${here} assignee ${changed} by ${d.name}; copied to ${there}`;
    case 'no_user':
      return `${here} assignee ${d.assignee ?? ''} has no ${there} user; not synced`;
    case 'not_owned':
      return `${here} assignee ${changed} by ${d.name}; ${there} owns the assignee, not synced${d.reverted ? '; set back' : ''}`;
  }
}

/** The data of a `sync_not_owned` timeline entry. */
export interface NotOwnedData {
  system: SyncSystem;
  field: string;
  from: string | null;
  to: string | null;
  name: string;
  owner: SyncSystem;
  reverted: boolean;
}

/**
 * "Jira priority changed by Anna Schmidt; ServiceNow owns priority, not synced": the timeline reason
 * and chat line of a change made where the field is not owned (rebuilt by the retention purge).
 */
export function notOwnedReason(d: NotOwnedData): string {
  const words = SyncField.safeParse(d.field).success ? fieldWords(SyncField.parse(d.field)) : d.field;
  const change = d.to === null ? '' : ` to ${d.to}`;
  const back = d.reverted ? `; set back${d.from === null ? '' : ` to ${d.from}`}` : '';
  return `${SYSTEM_NAMES[d.system]} ${words} changed${change} by ${d.name}; ${SYSTEM_NAMES[d.owner]} owns ${words}, not synced${back}`;
}
