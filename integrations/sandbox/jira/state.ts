import type { EmuIssueLink } from './issue-links';
import type { CallLogEntry } from '../faults';
import { SANDBOX_IDENTITIES } from '../sandbox-identities';

export type StatusCategoryKey = 'new' | 'indeterminate' | 'done';

export interface JiraStatus {
  id: string;
  name: string;
  category: StatusCategoryKey;
}

export interface JiraTransition {
  id: string;
  name: string;
  /** Status id the transition leads to. */
  to: string;
}

export interface ChangelogEntry {
  id: string;
  created: string;
  author: string;
  items: {
    field: string;
    fieldtype: string;
    fieldId: string;
    from: string | null;
    fromString: string | null;
    to: string | null;
    toString: string | null;
  }[];
}

export interface RemoteLink {
  id: number;
  globalId: string | null;
  application: unknown;
  relationship: string | null;
  object: { url: string; title: string; [k: string]: unknown };
}

/** A Jira user: Cloud identifies users by `accountId` only; Data Center by `name` (username) / `key`. */
export interface JiraUser {
  accountId: string;
  /** Data Center username. */
  name: string;
  emailAddress: string;
  displayName: string;
  active: boolean;
  accountType: 'atlassian' | 'app' | 'customer';
}

/** An attachment (`POST /issue/{key}/attachments`); its bytes are in `JiraState.attachmentBodies`. */
export interface EmuAttachment {
  id: string;
  filename: string;
  mimeType: string;
  size: number;
  /** accountId of whoever attached it. */
  author: string;
  created: string;
}

export interface EmuIssue {
  id: string;
  key: string;
  projectKey: string;
  summary: string;
  /** ADF document (v3) or wiki markup string (v2), as sent. */
  description: unknown;
  issueType: string;
  priority: string;
  labels: string[];
  statusId: string;
  resolution: string | null;
  /** accountId of the assignee; null/undefined = unassigned. */
  assignee?: string | null;
  created: number;
  updated: number;
  /** When search (JQL) starts to see this issue: created + search lag. */
  indexedAt: number;
  /**
   * `jsdPublic`: visible to the customer in Jira Service Management (Jira's default for every comment);
   * false for an internal comment (JSM `public: false`, or the `sd.public.comment` property).
   */
  comments: { id: string; body: unknown; author: string; created: string; jsdPublic: boolean }[];
  remoteLinks: RemoteLink[];
  properties: Map<string, unknown>;
  changelog: ChangelogEntry[];
  attachments: EmuAttachment[];
}

/** Everything the emulator holds; tests read it directly. */
export interface JiraState {
  issues: EmuIssue[];
  /** Links between issues (`POST /issueLink`), shown in each side's `fields.issuelinks`. */
  issueLinks: EmuIssueLink[];
  projects: { id: string; key: string; issueTypes: string[] }[];
  statuses: JiraStatus[];
  transitions: JiraTransition[];
  priorities: { id: string; name: string }[];
  /** Cloud Basic auth: email → API token; Data Center: personal access tokens. */
  apiTokens: Map<string, string>;
  pats: Set<string>;
  account: { accountId: string; emailAddress: string; displayName: string };
  /** Users for user search and the assignee field (the bridge's own account is one of them). */
  users: JiraUser[];
  /** Per-issue write timestamps for the per-issue write limit. */
  writes: Map<string, number[]>;
  callLog: CallLogEntry[];
  /** Attachment bytes by attachment id. */
  attachmentBodies: Map<string, Buffer>;
  nextId: number;
  nextKey: Map<string, number>;
}

export const DEFAULT_STATUSES: JiraStatus[] = [
  { id: '10000', name: 'To Do', category: 'new' },
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  // Where ServiceNow On Hold maps by default (sync.toJira).
  { id: '10002', name: 'Waiting', category: 'indeterminate' },
  { id: '10001', name: 'Done', category: 'done' },
];

/** A global workflow: every status can move to every other one. Ids differ per instance in real life. */
export const DEFAULT_TRANSITIONS: JiraTransition[] = [
  { id: '11', name: 'To Do', to: '10000' },
  { id: '21', name: 'In Progress', to: '3' },
  { id: '41', name: 'Waiting', to: '10002' },
  { id: '31', name: 'Done', to: '10001' },
];

/** The accountId of the bridge's own account (`GET myself`). */
export const BRIDGE_ACCOUNT_ID = '5b10ac8d82e05b22cc7d4ef5';

/** The bridge's account (GET myself) plus two engineers who acknowledge incidents from chat. */
export const DEFAULT_USERS: JiraUser[] = [
  {
    accountId: BRIDGE_ACCOUNT_ID,
    name: 'itsm-bridge',
    emailAddress: SANDBOX_IDENTITIES.jira.user.email,
    displayName: SANDBOX_IDENTITIES.jira.user.displayName,
    active: true,
    accountType: 'atlassian',
  },
  {
    accountId: '712020:3f6c1a2e-8d4b-4f0e-9a57-1c2d3e4f5a61',
    name: 'anna.schmidt',
    emailAddress: 'anna.schmidt@example.com',
    displayName: 'Anna Schmidt',
    active: true,
    accountType: 'atlassian',
  },
  {
    accountId: '712020:9b8e7d6c-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
    name: 'jonas.weber',
    emailAddress: 'jonas.weber@example.com',
    displayName: 'Jonas Weber',
    active: true,
    accountType: 'atlassian',
  },
  {
    accountId: '712020:5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170',
    name: 'engineer',
    emailAddress: SANDBOX_IDENTITIES.jira.human.email,
    displayName: SANDBOX_IDENTITIES.jira.human.displayName,
    active: true,
    accountType: 'atlassian',
  },
];

export const DEFAULT_PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'].map((name, i) => ({
  id: String(i + 1),
  name,
}));

export const CATEGORY_IDS: Record<StatusCategoryKey, { id: number; name: string }> = {
  new: { id: 2, name: 'To Do' },
  indeterminate: { id: 4, name: 'In Progress' },
  done: { id: 3, name: 'Done' },
};

/** Jira's date-time format: `2026-01-05T08:00:00.000+0000`. */
export const jiraTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

/** Finds an issue by id or key (keys are case-insensitive in Jira). */
export function findIssue(state: JiraState, idOrKey: string): EmuIssue | undefined {
  const k = idOrKey.toUpperCase();
  return state.issues.find((i) => i.id === idOrKey || i.key === k);
}
