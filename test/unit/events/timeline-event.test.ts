import {
  parseTimelineEvent,
  type StoredTimelineEvent,
  type TimelineEventType,
} from '../../../src/core/incident/timeline-event';
import { CLOCK_EVENT_TYPES, clockChangeOf } from '../../../src/core/sla/incident-clock-event';

const person = { name: 'Anna Schmidt', platform: 'slack' as const };
const alert = { dedupKey: 'am:abc' };

/** One example of every event the bridge writes (a new type does not compile until it has one). */
const EXAMPLES: Record<TimelineEventType, StoredTimelineEvent> = {
  opened: {
    type: 'opened',
    data: { ...alert, groupKey: 'g', provider: 'infra', priority: 2, previousIncidentId: null },
  },
  reopened: { type: 'reopened', data: alert },
  alert_joined: { type: 'alert_joined', data: alert },
  alert_refired: { type: 'alert_refired', data: alert },
  alert_recovered: { type: 'alert_recovered', data: alert },
  resolving: { type: 'resolving', data: { ...alert, resolveDueAt: '2026-11-02T08:05:00.000Z' } },
  flapping: { type: 'flapping', data: alert },
  annotated: { type: 'annotated', data: { ...alert, event: 'acknowledged' } },
  storm_started: {
    type: 'storm_started',
    data: { ...alert, source: 'alertmanager', maxNewIncidents: 30, window: 60 },
  },
  storm_absorbed: {
    type: 'storm_absorbed',
    data: { ...alert, groupKey: 'infra/default/host=db-01', summary: 'disk full' },
  },
  resolved: { type: 'resolved', data: {} },
  flapping_ended: { type: 'flapping_ended', data: {} },
  acknowledged: { type: 'acknowledged', data: person },
  resolved_by_user: { type: 'resolved_by_user', data: { ...person, note: 'router rebooted' } },
  note: { type: 'note', data: { ...person, note: 'looking' } },
  runbook_step_done: { type: 'runbook_step_done', data: { ...person, step: 0 } },
  shadow_action: {
    type: 'shadow_action',
    data: { ...person, provider: 'app', action: 'note', note: 'seen' },
  },
  ticket_create: { type: 'ticket_create', data: { commandId: 1, ticket: 'INC0010001' } },
  ticket_note: { type: 'ticket_note', data: { commandId: 2 } },
  ticket_resolve: { type: 'ticket_resolve', data: { commandId: 3 } },
  ticket_reopen: { type: 'ticket_reopen', data: { commandId: 4 } },
  ticket_link: { type: 'ticket_link', data: { commandId: 5 } },
  ticket_ack: { type: 'ticket_ack', data: { commandId: 6 } },
  ticket_comment: { type: 'ticket_comment', data: { commandId: 7 } },
  ticket_reassign: { type: 'ticket_reassign', data: { commandId: 9 } },
  ticket_handoff_issue: { type: 'ticket_handoff_issue', data: { commandId: 10, ticket: 'NET-1' } },
  ticket_parked: { type: 'ticket_parked', data: { commandId: 8 } },
  ticket_sync: { type: 'ticket_sync', data: { commandId: 10 } },
  sync_copied: { type: 'sync_copied', data: { system: 'jira', what: 'Jira comment', name: 'Anna Schmidt' } },
  sync_not_owned: {
    type: 'sync_not_owned',
    data: {
      system: 'jira',
      field: 'priority',
      from: 'High',
      to: 'Low',
      name: 'Anna Schmidt',
      owner: 'servicenow',
      reverted: true,
    },
  },
  sync_stale: { type: 'sync_stale', data: { system: 'jira', field: 'status', name: 'Anna Schmidt' } },
  sync_group_changed: {
    type: 'sync_group_changed',
    data: { group: 'DMS Apps', provider: 'app', name: 'Service Desk' },
  },
  sync_assignee: {
    type: 'sync_assignee',
    data: {
      system: 'jira',
      assignee: 'Anna Schmidt',
      outcome: 'copied',
      reverted: false,
      name: 'Erika Engineer',
    },
  },
  handoff_offered: {
    type: 'handoff_offered',
    data: { handoffId: 1, from: 'infra', to: 'app', deadline: '2026-11-02T08:05:00.000Z' },
  },
  handoff_accepted: { type: 'handoff_accepted', data: { handoffId: 1, from: 'infra', to: 'app' } },
  handoff_rejected: {
    type: 'handoff_rejected',
    data: { handoffId: 1, from: 'infra', to: 'app', reason: 'not ours' },
  },
  handoff_cancelled: { type: 'handoff_cancelled', data: { handoffId: 1, from: 'infra', to: 'app' } },
  handoff_reminded: { type: 'handoff_reminded', data: { handoffId: 1, from: 'infra', to: 'app' } },
  handoff_expired: {
    type: 'handoff_expired',
    data: { handoffId: 1, from: 'infra', to: 'app', deadline: '2026-11-02T08:05:00.000Z' },
  },
  handoff_escalated: { type: 'handoff_escalated', data: { handoffId: 1, from: 'infra', to: 'app' } },
  handoff_ping_pong: {
    type: 'handoff_ping_pong',
    data: { changes: 3, providers: ['infra', 'app', 'infra', 'app'] },
  },
  escalation_step: {
    type: 'escalation_step',
    data: { escalationId: 1, provider: 'infra', step: 1, of: 4, kind: 'dm', notified: ['Anna'], missing: [] },
  },
  escalation_stopped: { type: 'escalation_stopped', data: { escalationId: 1, provider: 'infra' } },
  unreadable: { type: 'unreadable', data: { storedType: 'x', error: 'type: invalid' } },
};

describe('timeline events read back from the store', () => {
  it.each(Object.values(EXAMPLES).filter((e) => e.type !== 'unreadable'))(
    'reads back a stored $type entry as written',
    (e) => {
      expect(parseTimelineEvent(e.type, JSON.stringify(e.data))).toEqual(e);
    },
  );

  it.each([
    ['an unknown type', 'teleported', '{}', 'teleported'],
    ['data of the wrong shape', 'runbook_step_done', '{"name":"A","platform":"slack","step":"one"}', 'step'],
    ['a missing field', 'opened', '{"dedupKey":"k"}', 'groupKey'],
    ['data that is not JSON', 'note', '{"name":', 'not JSON'],
  ])('reads %s as an unreadable entry that names the problem', (_what, type, data, mentions) => {
    const e = parseTimelineEvent(type, data);
    expect(e.type).toBe('unreadable');
    expect(e.data).toMatchObject({ storedType: type, error: expect.stringContaining(mentions) });
  });
});

describe('what timeline events mean for the SLA clocks', () => {
  it.each([
    ['opened', { state: 'New', priority: 2, assignee: 'infra' }],
    ['acknowledged', { state: 'In Progress', acknowledged: true }],
    ['reopened', { state: 'New' }],
    ['resolved', { state: 'Resolved' }],
    ['resolved_by_user', { state: 'Resolved' }],
    ['handoff_accepted', { assignee: 'app' }],
  ] as const)('%s moves the clocks', (type, change) => {
    expect(clockChangeOf(EXAMPLES[type])).toEqual(change);
  });

  it('lists exactly the types that move a clock, so the store reads no other rows', () => {
    const moving = Object.values(EXAMPLES)
      .filter((e) => clockChangeOf(e) !== null)
      .map((e) => e.type);
    expect([...CLOCK_EVENT_TYPES].sort()).toEqual(moving.sort());
  });
});
