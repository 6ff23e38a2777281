import {
  PURGED,
  pseudonymActor,
  purgeAcknowledgement,
  purgeAuditRow,
  purgeEscalationStop,
  purgeHandoff,
  purgeServiceNowSnapshot,
  purgeShiftHandover,
  purgeSyncFieldVersion,
  purgeTimelineRow,
} from '../../../src/core/privacy/pseudonymise';

const BOTH = { texts: true, names: true };
const TEXTS = { texts: true, names: false };
const NAMES = { texts: false, names: true };
const NONE = { texts: false, names: false };
const jonas = { name: 'Jonas Weber', platform: 'slack' };

describe('pseudonymActor', () => {
  it.each([
    ['slack:U0JONAS001', 'slack:(purged)'],
    ['teams:29:1abc', 'teams:(purged)'],
    ['api', 'api'],
    ['job:outbox', 'job:outbox'],
    ['monitoring:alertmanager', 'monitoring:alertmanager'],
  ])('%s → %s', (actor, expected) => expect(pseudonymActor(actor)).toBe(expected));
});

describe('purgeTimelineRow', () => {
  const note = {
    type: 'note',
    actor: 'slack:U0JONAS001',
    reason: 'call Müller',
    data: { ...jonas, note: 'call Müller' },
  };
  it.each([
    ['a note, texts only', note, TEXTS, { ...note, reason: PURGED, data: { ...jonas, note: PURGED } }],
    [
      'a note, names only',
      note,
      NAMES,
      { ...note, actor: 'slack:(purged)', data: { ...note.data, name: PURGED } },
    ],
    [
      'a hand-off offer quoting the situation',
      {
        type: 'handoff_offered',
        actor: 'api',
        reason: 'offered to app: db full',
        data: { handoffId: 1, from: 'infra', to: 'app', deadline: 'x' },
      },
      BOTH,
      {
        type: 'handoff_offered',
        actor: 'api',
        reason: 'offered to app',
        data: { handoffId: 1, from: 'infra', to: 'app', deadline: 'x' },
      },
    ],
    [
      'a rejection reason',
      {
        type: 'handoff_rejected',
        actor: 'slack:U1',
        reason: 'app rejected: not ours',
        data: { handoffId: 1, from: 'infra', to: 'app', reason: 'not ours' },
      },
      TEXTS,
      {
        type: 'handoff_rejected',
        actor: 'slack:U1',
        reason: 'app rejected',
        data: { handoffId: 1, from: 'infra', to: 'app', reason: PURGED },
      },
    ],
  ])('%s', (_what, row, kinds, expected) => expect(purgeTimelineRow(row, kinds)).toEqual(expected));

  it.each([
    ['nothing due', note, NONE],
    [
      'monitoring wrote it',
      { type: 'alert_joined', actor: 'monitoring:generic', reason: 'joined', data: { dedupKey: 'k' } },
      BOTH,
    ],
    [
      'already purged',
      { ...note, actor: 'slack:(purged)', reason: PURGED, data: { ...jonas, name: PURGED, note: PURGED } },
      BOTH,
    ],
  ])('leaves a row alone (null) when %s', (_what, row, kinds) =>
    expect(purgeTimelineRow(row, kinds)).toBeNull(),
  );
});

describe('purgeTimelineRow: escalation steps', () => {
  const step = {
    type: 'escalation_step',
    actor: 'job:escalations',
    reason: 'step 2 of 4: direct message to the on-call (Anna Schmidt); nobody for Sam (no chat id)',
    data: {
      escalationId: 1,
      provider: 'infra',
      step: 1,
      of: 4,
      kind: 'dm',
      notified: ['Anna Schmidt'],
      missing: ['Sam (no chat id)'],
    },
  };

  it('purges the names it reached and the reason that repeats them, keeping the shape', () => {
    expect(purgeTimelineRow(step, { texts: false, names: true })).toEqual({
      ...step,
      reason: 'escalation step 2 of 4 (dm)',
      data: { ...step.data, notified: [PURGED], missing: [PURGED] },
    });
    expect(purgeTimelineRow(step, { texts: true, names: false })).toBeNull();
  });
});

describe('purgeTimelineRow: sync assignee entries', () => {
  const entry = {
    type: 'sync_assignee',
    actor: 'jira:712020:5e4d',
    reason: 'Jira assignee Erika Engineer has no ServiceNow user; not synced',
    data: {
      system: 'jira',
      assignee: 'Erika Engineer',
      outcome: 'no_user',
      reverted: false,
      name: 'Erika Engineer',
    },
  };

  it('purges the assignee and the person who changed it, and the reason that names them', () => {
    expect(purgeTimelineRow(entry, NAMES)).toEqual({
      ...entry,
      reason: `Jira assignee ${PURGED} has no ServiceNow user; not synced`,
      data: { ...entry.data, assignee: PURGED, name: PURGED },
    });
    expect(purgeTimelineRow(entry, TEXTS)).toBeNull();
  });

  it('drops both names from its audit record', () => {
    const audit = { actor: entry.actor, data: { record: 'OPS-1', ...entry.data } };
    expect(purgeAuditRow(audit, NAMES)?.data).toEqual({
      record: 'OPS-1',
      system: 'jira',
      outcome: 'no_user',
      reverted: false,
    });
  });
});

describe('purgeAuditRow', () => {
  it.each([
    [
      'a person: note and reason go with the texts',
      { actor: 'slack:U1', data: { name: 'J', reason: 'txt', note: 'n', handoffId: 2 } },
      TEXTS,
      { actor: 'slack:U1', data: { name: 'J', handoffId: 2 } },
    ],
    [
      'a person: name, e-mail and id go with the names',
      { actor: 'slack:U1', data: { name: 'J', email: 'j@x', alertId: 3 } },
      NAMES,
      { actor: 'slack:(purged)', data: { alertId: 3 } },
    ],
    [
      'monitoring keeps its reason',
      { actor: 'monitoring:generic', data: { alertId: 1, reason: 'joined', note: 'n' } },
      BOTH,
      { actor: 'monitoring:generic', data: { alertId: 1, reason: 'joined' } },
    ],
  ])('%s', (_what, row, kinds, expected) => expect(purgeAuditRow(row, kinds)).toEqual(expected));

  it('has nothing to do for a job entry', () => {
    expect(purgeAuditRow({ actor: 'job:outbox', data: { lane: 'jira', commandId: 4 } }, BOTH)).toBeNull();
  });
});

describe('purgeHandoff and purgeAcknowledgement', () => {
  const h = {
    note: { situation: 's', actionsTaken: 'a', nextSteps: 'n', hypothesis: 'h', impact: { users: 5 } },
    offeredBy: 'slack:U1',
    decidedBy: 'teams:T2',
    reason: 'no',
  };
  it('replaces the note texts and reason, keeps the impact, pseudonymises both people', () => {
    expect(purgeHandoff(h, BOTH)).toEqual({
      note: { situation: PURGED, actionsTaken: PURGED, nextSteps: PURGED, impact: { users: 5 } },
      offeredBy: 'slack:(purged)',
      decidedBy: 'teams:(purged)',
      reason: PURGED,
    });
    expect(purgeHandoff(purgeHandoff(h, BOTH)!, BOTH)).toBeNull();
    expect(purgeHandoff({ ...h, offeredBy: 'api', decidedBy: null, reason: null }, NAMES)).toBeNull();
  });

  it('pseudonymises an acknowledgement once', () => {
    const a = purgeAcknowledgement({ by: 'slack:U1', name: 'Jonas' });
    expect(a).toEqual({ by: 'slack:(purged)', name: PURGED });
    expect(purgeAcknowledgement(a!)).toBeNull();
  });
});

describe('purgeShiftHandover and purgeEscalationStop', () => {
  const item = {
    incidentId: 1,
    ticket: 'INC0010001',
    title: 'disk full',
    priority: 2,
    openedAt: '2026-01-10T08:00:00.000Z',
    slaMinutesLeft: -5,
    lastAction: { at: '2026-01-10T09:00:00.000Z', what: 'note: rotated logs' },
    acknowledgedBy: 'Jonas Weber',
    openSteps: 2,
    handoffs: ['to app (offered)'],
  };
  const h = {
    requestedBy: 'slack:U0JONAS001',
    acknowledgedBy: 'Anna Schmidt',
    outgoing: { name: 'Jonas Weber', slackUser: 'U0JONAS001', email: 'j@example.com', phone: '+49 1' },
    incoming: { name: 'Anna Schmidt', teamsUser: '00000000-0000-0000-0000-000000000001' },
    summary: [item],
  };

  it('pseudonymises the people and purges the last actions, keeping what the incidents were', () => {
    const both = purgeShiftHandover(h, BOTH);
    expect(both).toEqual({
      requestedBy: 'slack:(purged)',
      acknowledgedBy: PURGED,
      outgoing: { name: PURGED },
      incoming: { name: PURGED },
      summary: [{ ...item, acknowledgedBy: PURGED, lastAction: { at: item.lastAction.at, what: PURGED } }],
    });
    expect(purgeShiftHandover(both!, BOTH)).toBeNull();
  });

  it('purges texts and names each on their own', () => {
    expect(purgeShiftHandover(h, TEXTS)).toEqual({
      ...h,
      summary: [{ ...item, lastAction: { at: item.lastAction.at, what: PURGED } }],
    });
    expect(purgeShiftHandover(h, NAMES)?.summary[0]?.lastAction).toEqual(item.lastAction);
    expect(purgeShiftHandover(h, NONE)).toBeNull();
    const byJob = {
      ...h,
      requestedBy: null,
      acknowledgedBy: null,
      outgoing: null,
      incoming: null,
      summary: [],
    };
    expect(purgeShiftHandover(byJob, BOTH)).toBeNull();
  });

  it('pseudonymises who stopped an escalation once; a job or nobody stays', () => {
    expect(purgeEscalationStop('teams:29:1abc')).toBe('teams:(purged)');
    expect(purgeEscalationStop('teams:(purged)')).toBeNull();
    expect(purgeEscalationStop('job:escalation')).toBeNull();
    expect(purgeEscalationStop(null)).toBeNull();
  });
});

describe('purgeServiceNowSnapshot', () => {
  const fields = (state: string, over: Record<string, string> = {}) => ({
    state,
    impact: '2',
    assignment_group: 'DMS Infrastructure',
    assigned_to: 'Jonas Weber',
    close_code: 'Solved (Permanently)',
    close_notes: 'Jonas swapped the fuser',
    ...over,
  });
  it.each([
    ['closed, both kinds', '7', BOTH, { assigned_to: PURGED, close_notes: PURGED }],
    ['canceled, both kinds', '8', BOTH, { assigned_to: PURGED, close_notes: PURGED }],
    ['closed, names only', '7', NAMES, { assigned_to: PURGED }],
    ['closed, texts only', '7', TEXTS, { close_notes: PURGED }],
  ])('%s: purges the assignee and close notes only', (_case, state, kinds, purged) => {
    expect(purgeServiceNowSnapshot(fields(state), kinds)).toEqual({ ...fields(state), ...purged });
  });
  it.each([
    ['new', '1'],
    ['in progress', '2'],
    ['on hold', '3'],
    ['resolved (can be reopened)', '6'],
  ])('keeps a %s incident whole: the next poll diffs against it', (_case, state) => {
    expect(purgeServiceNowSnapshot(fields(state), BOTH)).toBeNull();
  });
  it('changes nothing twice, nor empty columns, nor without a kind due', () => {
    expect(
      purgeServiceNowSnapshot(fields('7', { assigned_to: PURGED, close_notes: PURGED }), BOTH),
    ).toBeNull();
    expect(purgeServiceNowSnapshot(fields('7', { assigned_to: '', close_notes: '' }), BOTH)).toBeNull();
    expect(purgeServiceNowSnapshot(fields('7'), NONE)).toBeNull();
  });
});

describe('purgeSyncFieldVersion', () => {
  const NONE = { names: false, texts: false };
  it.each([
    ['a ServiceNow assignee of a closed incident', 'assignedTo', 'Jonas Weber', '7', NAMES, PURGED],
    ['a Jira assignee of a canceled incident', 'assignee', '712020:3f6c1a2e', '8', NAMES, PURGED],
    ['close notes of a closed incident', 'closeNotes', 'Jonas swapped the fuser', '7', TEXTS, PURGED],
    ['close notes while only names are due', 'closeNotes', 'Jonas swapped the fuser', '7', NAMES, null],
    ['an assignee while only texts are due', 'assignedTo', 'Jonas Weber', '7', TEXTS, null],
    ['an assignee of a resolved incident (can be reopened)', 'assignedTo', 'Jonas Weber', '6', BOTH, null],
    ['an assignee of an open incident', 'assignee', '712020:3f6c1a2e', '2', BOTH, null],
    [
      'an assignee whose incident the sync never saw in ServiceNow',
      'assignee',
      '712020:3f6c1a2e',
      null,
      BOTH,
      null,
    ],
    ['a state (not personal)', 'state', '7', '7', BOTH, null],
    ['a priority (not personal)', 'priority', '1', '7', BOTH, null],
    ['a Jira resolution (not personal)', 'resolution', 'Done', '7', BOTH, null],
    ['an unassigned field (nothing to purge)', 'assignedTo', null, '7', BOTH, null],
    ['an empty field', 'closeNotes', '', '7', BOTH, null],
    ['a value purged before (idempotent)', 'assignedTo', PURGED, '7', BOTH, null],
    ['nothing due', 'assignedTo', 'Jonas Weber', '7', NONE, null],
  ])('%s', (_case, field, value, closedState, kinds, expected) => {
    expect(purgeSyncFieldVersion({ field, value }, closedState, kinds)).toBe(expected);
  });
});
