import { randomBytes } from 'node:crypto';
import type { CallLogEntry } from '../faults';
import { SANDBOX_IDENTITIES } from '../sandbox-identities';
import type { Row } from './encoded-query';

/** A seeded sys_user; `password` is only used for Basic auth and the OAuth password grant. */
export interface SeedUser {
  user_name: string;
  email: string;
  name: string;
  password?: string;
}

export interface StoredAttachment extends Row {
  sys_id: string;
}

/** Everything the emulator holds; tests read it directly. Rows store strings only, as ServiceNow returns them. */
export interface ServiceNowState {
  incidents: Row[];
  journal: Row[];
  /** Field changes of incident updates, as ServiceNow audits them (inserts are not audited by default). */
  audit: Row[];
  users: Row[];
  groups: Row[];
  cis: Row[];
  attachments: StoredAttachment[];
  attachmentBodies: Map<string, Buffer>;
  /** Basic-auth passwords by user_name. */
  passwords: Map<string, string>;
  oauthClients: Map<string, string>;
  accessTokens: Map<string, { user: string; expiresAt: number }>;
  refreshTokens: Map<string, { user: string; clientId: string }>;
  callLog: CallLogEntry[];
  nextNumber: number;
}

/** Columns per table; a query on any other column is dropped (see encoded-query.ts). */
export const COLUMNS: Record<string, readonly string[]> = {
  incident: [
    'sys_id',
    'number',
    'state',
    'active',
    'impact',
    'urgency',
    'priority',
    'short_description',
    'description',
    'correlation_id',
    'correlation_display',
    'close_code',
    'close_notes',
    'caller_id',
    'assignment_group',
    'assigned_to',
    'cmdb_ci',
    'category',
    'subcategory',
    'contact_type',
    'hold_reason',
    'opened_at',
    'opened_by',
    'resolved_at',
    'resolved_by',
    'closed_at',
    'closed_by',
    'reopen_count',
    'work_notes',
    'comments',
    'sys_created_on',
    'sys_created_by',
    'sys_updated_on',
    'sys_updated_by',
    'sys_mod_count',
  ],
  sys_journal_field: ['sys_id', 'element_id', 'element', 'name', 'value', 'sys_created_on', 'sys_created_by'],
  sys_audit: [
    'sys_id',
    'tablename',
    'documentkey',
    'fieldname',
    'oldvalue',
    'newvalue',
    'user',
    'sys_created_on',
  ],
  sys_user_group: ['sys_id', 'name', 'active', 'sys_created_on'],
  sys_user: ['sys_id', 'user_name', 'email', 'name', 'active', 'sys_created_on'],
  cmdb_ci: ['sys_id', 'name', 'sys_class_name', 'sys_created_on'],
  sys_attachment: [
    'sys_id',
    'file_name',
    'content_type',
    'size_bytes',
    'table_name',
    'table_sys_id',
    'hash',
    'sys_created_by',
    'sys_created_on',
  ],
};

/** Reference columns and the table they point at; rendered as `{link, value}` by default. */
export const REFERENCES: Record<string, Record<string, string>> = {
  incident: {
    caller_id: 'sys_user',
    assignment_group: 'sys_user_group',
    assigned_to: 'sys_user',
    cmdb_ci: 'cmdb_ci',
    opened_by: 'sys_user',
    resolved_by: 'sys_user',
    closed_by: 'sys_user',
  },
};

const BRIDGE = SANDBOX_IDENTITIES.servicenow.user;
const HUMAN = SANDBOX_IDENTITIES.servicenow.human;

export const DEFAULT_USERS: SeedUser[] = [
  { user_name: BRIDGE.userName, email: BRIDGE.email, name: BRIDGE.name, password: BRIDGE.password },
  { user_name: HUMAN.userName, email: HUMAN.email, name: HUMAN.name, password: HUMAN.password },
  // Engineers who acknowledge incidents from chat (assigned_to).
  { user_name: 'anna.schmidt', email: 'anna.schmidt@example.com', name: 'Anna Schmidt' },
  { user_name: 'jonas.weber', email: 'jonas.weber@example.com', name: 'Jonas Weber' },
];
export const DEFAULT_GROUPS = ['DMS Infrastructure', 'DMS Application', 'Service Desk'];
export const DEFAULT_CIS = ['dms-app-01', 'dms-db-01', 'print-srv-01'];

/** A 32-hex sys_id. */
export const sysId = (): string => randomBytes(16).toString('hex');

/** `YYYY-MM-DD HH:mm:ss` in UTC, ServiceNow's raw date-time format. */
export const glideDateTime = (ms: number): string =>
  new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

export function createState(opts: {
  users: SeedUser[];
  groups: string[];
  cis: string[];
  oauthClients: Record<string, string>;
  now: number;
}): ServiceNowState {
  const created = glideDateTime(opts.now);
  const state: ServiceNowState = {
    incidents: [],
    journal: [],
    audit: [],
    users: [],
    groups: opts.groups.map((name) => ({ sys_id: sysId(), name, active: 'true', sys_created_on: created })),
    cis: opts.cis.map((name) => ({
      sys_id: sysId(),
      name,
      sys_class_name: 'cmdb_ci_server',
      sys_created_on: created,
    })),
    attachments: [],
    attachmentBodies: new Map(),
    passwords: new Map(),
    oauthClients: new Map(Object.entries(opts.oauthClients)),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    callLog: [],
    nextNumber: 10001,
  };
  for (const u of opts.users) {
    state.users.push({
      sys_id: sysId(),
      user_name: u.user_name,
      email: u.email,
      name: u.name,
      active: 'true',
      sys_created_on: created,
    });
    if (u.password !== undefined) state.passwords.set(u.user_name, u.password);
  }
  return state;
}

/** The rows behind a table name, or undefined for tables the emulator does not know. */
export function tableRows(state: ServiceNowState, table: string): Row[] | undefined {
  switch (table) {
    case 'incident':
      return state.incidents;
    case 'sys_journal_field':
      return state.journal;
    case 'sys_audit':
      return state.audit;
    case 'sys_user':
      return state.users;
    case 'sys_user_group':
      return state.groups;
    case 'cmdb_ci':
      return state.cis;
    case 'sys_attachment':
      return state.attachments;
    default:
      return undefined;
  }
}

/**
 * ServiceNow's default impact × urgency → priority lookup (data lookup `dl_u_priority`):
 * 1/1→1, 1/2 and 2/1→2, 1/3, 2/2, 3/1→3, 2/3 and 3/2→4, 3/3→5.
 */
export function priorityFor(impact: string, urgency: string): string {
  const i = Number(impact);
  const u = Number(urgency);
  if (![1, 2, 3].includes(i) || ![1, 2, 3].includes(u)) return '5';
  return String(Math.min(5, i + u - 1));
}
