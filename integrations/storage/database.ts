import type { Generated } from 'kysely';

/** Table shapes as stored. JSON columns are TEXT holding JSON; times are ISO-8601 UTC strings. */
export interface AlertsTable {
  id: Generated<number>;
  source: string;
  dedup_key: string;
  status: string;
  event: string | null;
  severity: string;
  host: string | null;
  service: string | null;
  branch: string | null;
  summary: string;
  description: string | null;
  labels: string;
  annotations: string;
  links: string;
  starts_at: string | null;
  ends_at: string | null;
  received_at: string;
  processed_at: string | null;
  incident_id: number | null;
  decision: string | null;
  /** The HTTP request that delivered it (migration 005). */
  request_id: string | null;
  /** The delivery's shared labels/annotations (`alert_shared`), merged in on read. */
  shared_id: number | null;
}

export interface AlertSharedTable {
  id: Generated<number>;
  labels: string;
  annotations: string;
}

export interface IncidentsTable {
  id: Generated<number>;
  key: string;
  group_key: string;
  state: string;
  title: string;
  source: string;
  severity: string;
  host: string | null;
  service: string | null;
  branch: string | null;
  provider: string;
  rule: string;
  impact: number;
  urgency: number;
  priority: number;
  runbook_id: string | null;
  opened_at: string;
  updated_at: string;
  last_alert_at: string;
  resolve_due_at: string | null;
  resolved_at: string | null;
  firing_count: number;
  alert_count: number;
  flapping: number;
  flapping_reported: number;
  member_count: number;
  reopen_count: number;
  previous_incident_id: number | null;
  tickets: string;
  ack_at: string | null;
  ack_by: string | null;
  ack_name: string | null;
  chat: string;
}

export interface IncidentAlertsTable {
  incident_id: number;
  dedup_key: string;
  status: string;
  severity: string;
  host: string | null;
  service: string | null;
  summary: string;
  first_seen_at: string;
  last_seen_at: string;
  last_change_at: string;
  occurrences: number;
  flap_changes: string;
}

export interface TimelineTable {
  id: Generated<number>;
  incident_id: number;
  at: string;
  type: string;
  actor: string;
  reason: string;
  alert_id: number | null;
  data: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: string;
  content_hash: string;
  salt: string | null;
  purged_at: string | null;
  legacy_hash: string | null;
  prev_hash: string;
  hash: string;
}

export interface DowntimesTable {
  scope: string;
  source: string;
  started_at: string;
  author: string | null;
  comment: string | null;
}

export interface OutboxTable {
  id: Generated<number>;
  incident_id: number;
  lane: string;
  kind: string;
  payload: string;
  state: string;
  attempts: number;
  not_before: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  /** The HTTP request that caused the command (migration 005). */
  request_id: string | null;
  /** How many times it was claimed; a completion must present the current number (migration 011). */
  claim: Generated<number>;
  claimed_by: string | null;
  lease_until: string | null;
}

export interface LeasesTable {
  name: string;
  holder: string;
  until: string;
  term: number;
}

export interface ChatSeenTable {
  key: string;
  at: string;
}

export interface ChatConversationsTable {
  id: string;
  platform: string;
  name: string | null;
  reference: string;
  updated_at: string;
}

export interface HandoffsTable {
  id: Generated<number>;
  incident_id: number;
  from_provider: string;
  to_provider: string;
  state: string;
  note: string;
  offered_at: string;
  offered_by: string;
  deadline: string;
  reminded: number;
  decided_at: string | null;
  decided_by: string | null;
  reason: string | null;
  next_check_at: string | null;
}

export interface EscalationsTable {
  id: Generated<number>;
  incident_id: number;
  provider: string;
  priority: number;
  trigger: string;
  steps: string;
  started_at: string;
  next_step: number;
  next_due_at: string | null;
  state: string;
  stopped_at: string | null;
  stopped_by: string | null;
}

export interface ShiftHandoversTable {
  id: Generated<number>;
  provider: string;
  at: string;
  trigger: string;
  requested_by: string | null;
  outgoing: string | null;
  incoming: string | null;
  summary: string;
  state: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  escalate_at: string | null;
}

export interface Database {
  shift_handovers: ShiftHandoversTable;
  escalations: EscalationsTable;
  handoffs: HandoffsTable;
  chat_seen: ChatSeenTable;
  chat_conversations: ChatConversationsTable;
  outbox: OutboxTable;
  alerts: AlertsTable;
  alert_shared: AlertSharedTable;
  incidents: IncidentsTable;
  incident_alerts: IncidentAlertsTable;
  timeline: TimelineTable;
  audit_log: AuditLogTable;
  downtimes: DowntimesTable;
  leases: LeasesTable;
}
