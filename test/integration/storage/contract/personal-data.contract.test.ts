import { verifyAudit } from '../../../../src/app/verify-audit';
import type { AuditEntry, NewHandoff, RetentionCutoffs, Store } from '../../../../src/ports/store';
import { alert, BACKENDS, freshStore, incident, insertIncidents, type DirectSql } from './backends';

const OLD = '2026-01-10T08:00:00.000Z';
const NEW = '2026-11-20T08:00:00.000Z';
const JUNE = '2026-06-01T00:00:00.000Z';
const ALL_JUNE: RetentionCutoffs = { alertPayloads: JUNE, chatTexts: JUNE, personalNames: JUNE };
const JONAS = 'slack:U0JONAS001';
const ANNA = 'slack:U0ANNA0001';
const JONAS_MAIL = 'jonas.weber@example.com';

const handoff = (incidentId: number, over: Partial<NewHandoff>): NewHandoff => ({
  incidentId,
  from: 'infra',
  to: 'app',
  state: 'offered',
  note: {
    situation: 'disk full on db-01',
    actionsTaken: 'rotated logs',
    nextSteps: 'grow volume',
    hypothesis: 'h',
  },
  offeredAt: OLD,
  offeredBy: JONAS,
  deadline: OLD,
  reminded: false,
  decidedAt: null,
  decidedBy: null,
  reason: null,
  ...over,
});

/**
 * One old and one recent record of each kind: alerts, an acknowledgement, notes, a hand-off, audit
 * entries of a person and of monitoring, finished and parked outbox commands.
 */
async function seed(store: Store) {
  const [oldAlert, newAlert] = await store.inbox.accept([
    { ...alert('a-old'), receivedAt: OLD, description: 'reported by Jonas Weber' },
    { ...alert('a-new'), receivedAt: NEW },
    { ...alert('a-pending'), receivedAt: OLD },
  ]);
  const [inc1, inc2] = await insertIncidents(store, incident('g1'), incident('g2'));
  const [i1, i2] = [inc1!.id, inc2!.id];
  await store.unitOfWork(async (uow) => {
    await uow.inbox.markProcessed(oldAlert!, OLD, i1, 'opened');
    await uow.inbox.markProcessed(newAlert!, NEW, i2, 'opened');
    await uow.incidents.update(i1, { acknowledged: { at: OLD, by: JONAS, name: 'Jonas Weber' } });
    await uow.incidents.update(i2, { acknowledged: { at: NEW, by: JONAS, name: 'Jonas Weber' } });
    const person = { name: 'Jonas Weber', platform: 'slack' as const };
    for (const [at, incidentId] of [
      [OLD, i1],
      [NEW, i2],
    ] as const) {
      await uow.timeline.add({
        incidentId,
        at,
        actor: JONAS,
        reason: `note at ${at}`,
        alertId: null,
        type: 'note',
        data: { ...person, note: `note at ${at}` },
      });
      await uow.audit.append({
        at,
        actor: JONAS,
        action: 'incident.note',
        subject: `incident:${incidentId}`,
        data: { name: 'Jonas Weber', reason: `note at ${at}` },
      });
    }
    await uow.timeline.add({
      incidentId: i1,
      at: OLD,
      actor: JONAS,
      reason: 'acknowledged in slack',
      alertId: null,
      type: 'acknowledged',
      data: person,
    });
    await uow.timeline.add({
      incidentId: i1,
      at: OLD,
      actor: JONAS,
      reason: 'offered to app: disk full on db-01',
      alertId: null,
      type: 'handoff_offered',
      data: { handoffId: 1, from: 'infra', to: 'app', deadline: OLD },
    });
    await uow.timeline.add({
      incidentId: i1,
      at: OLD,
      actor: 'alertmanager',
      reason: 'joined by labels',
      alertId: oldAlert!,
      type: 'alert_joined',
      data: { dedupKey: 'a-old' },
    });
    await uow.audit.append({
      at: OLD,
      actor: 'alertmanager',
      action: 'incident.alert_joined',
      subject: `incident:${i1}`,
      data: { alertId: oldAlert, reason: 'joined by labels' },
    });
    await uow.handoffs.insert(
      handoff(i1, { state: 'rejected', decidedAt: OLD, decidedBy: ANNA, reason: 'not ours' }),
    );
    await uow.handoffs.insert(handoff(i2, { offeredAt: NEW, offeredBy: ANNA }));
    await uow.outbox.enqueue({
      incidentId: i1,
      lane: 'servicenow',
      kind: 'ack',
      payload: { email: JONAS_MAIL, name: 'Jonas Weber', note: 'Acknowledged by Jonas Weber' },
      notBefore: OLD,
      at: OLD,
    });
    const comments = [
      [i2, 'servicenow', NEW],
      [i1, 'jira', OLD],
    ] as const;
    for (const [incidentId, lane, at] of comments)
      await uow.outbox.enqueue({
        incidentId,
        lane,
        kind: 'comment',
        payload: { text: 'Note from Jonas Weber' },
        notBefore: at,
        at,
      });
    await uow.outbox.update(1, { state: 'done', updatedAt: OLD });
    await uow.outbox.update(2, { state: 'done', updatedAt: NEW });
    await uow.outbox.update(3, { state: 'parked', updatedAt: OLD });
  });
  return { i1, i2 };
}

/** Every row of every table, read past the store, in key order. */
async function snapshot(direct: DirectSql) {
  const tables = {
    alerts: 'id',
    incidents: 'id',
    timeline: 'id',
    audit_log: 'seq',
    handoffs: 'id',
    outbox: 'id',
  };
  const rows: Record<string, Record<string, unknown>[]> = {};
  for (const [table, key] of Object.entries(tables))
    rows[table] = await direct.all(`SELECT * FROM ${table} ORDER BY ${key}`);
  return rows;
}

const collect = async (entries: AsyncIterable<AuditEntry>) => {
  const all: AuditEntry[] = [];
  for await (const e of entries) all.push(e);
  return all;
};

const EXPECTED_AT_JUNE = {
  alertPayloads: 1,
  timelineEntries: 3,
  auditEntries: 1,
  acknowledgements: 1,
  handoffs: 1,
  shiftHandovers: 0,
  escalations: 0,
  outboxCommands: 1,
  servicenowSnapshots: 0,
  syncFieldVersions: 0,
};

describe.each(BACKENDS)('personal data contract: %s', (_name, open) => {
  const t = freshStore(open);

  it('counts in a dry run what a purge would change, and changes nothing', async () => {
    await seed(t.store);
    const before = await snapshot(t.direct);
    expect(await t.store.privacy.purge(ALL_JUNE, { dryRun: true, at: NEW })).toEqual(EXPECTED_AT_JUNE);
    expect(await snapshot(t.direct)).toEqual(before);
  });

  it('purges exactly what is past its cutoff; a second purge finds nothing; the audit chain still verifies', async () => {
    const { i1, i2 } = await seed(t.store);
    expect(await t.store.privacy.purge(ALL_JUNE, { dryRun: false, at: NEW })).toEqual(EXPECTED_AT_JUNE);
    const after = await snapshot(t.direct);

    const alerts = await t.store.incidents.alerts(i1, 10);
    expect(alerts.map((a) => [a.labels, a.description])).toEqual([[{}, null]]);
    expect((await t.store.incidents.alerts(i2, 10)).map((a) => a.labels)).toEqual([{ a: 'b' }]);
    expect((await t.store.unitOfWork((uow) => uow.inbox.pending(10))).map((a) => a.labels)).toEqual([
      { a: 'b' },
    ]);

    expect((await t.store.incidents.get(i1))?.acknowledged).toEqual({
      at: OLD,
      by: 'slack:(purged)',
      name: '(purged)',
    });
    expect((await t.store.incidents.get(i2))?.acknowledged).toEqual({
      at: NEW,
      by: JONAS,
      name: 'Jonas Weber',
    });

    const old = await t.store.timeline.of(i1, 10);
    expect(old.map((e) => [e.type, e.actor, e.reason, e.data])).toEqual([
      ['note', 'slack:(purged)', '(purged)', { name: '(purged)', platform: 'slack', note: '(purged)' }],
      ['acknowledged', 'slack:(purged)', 'acknowledged in slack', { name: '(purged)', platform: 'slack' }],
      [
        'handoff_offered',
        'slack:(purged)',
        'offered to app',
        { handoffId: 1, from: 'infra', to: 'app', deadline: OLD },
      ],
      ['alert_joined', 'alertmanager', 'joined by labels', { dedupKey: 'a-old' }],
    ]);
    expect((await t.store.timeline.of(i2, 10)).map((e) => [e.actor, e.reason])).toEqual([
      [JONAS, `note at ${NEW}`],
    ]);

    const [closed] = await t.store.handoffs.list({ incidentId: i1, limit: 5 });
    expect(closed).toMatchObject({
      note: { situation: '(purged)', actionsTaken: '(purged)', nextSteps: '(purged)' },
      offeredBy: 'slack:(purged)',
      decidedBy: 'slack:(purged)',
      reason: '(purged)',
      state: 'rejected',
      from: 'infra',
      to: 'app',
    });
    expect(closed?.note.hypothesis).toBeUndefined();
    const [open] = await t.store.handoffs.list({ incidentId: i2, limit: 5 });
    expect(open).toMatchObject({ offeredBy: ANNA, note: { situation: 'disk full on db-01' } });

    expect((await t.store.outbox.of(i1)).map((c) => [c.id, c.state])).toEqual([[3, 'parked']]);
    expect((await t.store.outbox.of(i2)).map((c) => c.id)).toEqual([2]);

    const audit = await collect(t.store.audit.entries());
    expect(audit.map((e) => [e.at, e.actor, e.data, e.salt === null, e.purgedAt])).toEqual([
      [OLD, 'slack:(purged)', {}, true, NEW],
      [NEW, JONAS, { name: 'Jonas Weber', reason: `note at ${NEW}` }, false, null],
      [OLD, 'alertmanager', { alertId: 1, reason: 'joined by labels' }, false, null],
    ]);
    expect(await verifyAudit(t.store)).toMatchObject({ ok: true, entries: 3 });

    expect(await t.store.privacy.purge(ALL_JUNE, { dryRun: false, at: NEW })).toEqual({
      alertPayloads: 0,
      timelineEntries: 0,
      auditEntries: 0,
      acknowledgements: 0,
      handoffs: 0,
      shiftHandovers: 0,
      escalations: 0,
      outboxCommands: 0,
      servicenowSnapshots: 0,
      syncFieldVersions: 0,
    });
    expect(await snapshot(t.direct)).toEqual(after);
  });

  it('purges texts and names each at their own cutoff', async () => {
    const { i1 } = await seed(t.store);
    const textsOnly = { alertPayloads: OLD, chatTexts: JUNE, personalNames: OLD };
    expect(await t.store.privacy.purge(textsOnly, { dryRun: false, at: NEW })).toMatchObject({
      alertPayloads: 0,
      timelineEntries: 2,
      acknowledgements: 0,
    });
    const [note] = await t.store.timeline.of(i1, 10);
    expect(note).toMatchObject({
      actor: JONAS,
      reason: '(purged)',
      data: { name: 'Jonas Weber', note: '(purged)' },
    });
    const [first] = await collect(t.store.audit.entries());
    expect([first?.actor, first?.data]).toEqual([JONAS, { name: 'Jonas Weber' }]);
    // Later the names are due as well: the same entry is pseudonymised, and the chain still holds.
    expect(await t.store.privacy.purge(ALL_JUNE, { dryRun: false, at: NEW })).toMatchObject({
      auditEntries: 1,
      acknowledgements: 1,
    });
    expect(await verifyAudit(t.store)).toMatchObject({ ok: true });
  });

  it('finds a person by chat id and e-mail across acknowledgements, timeline, audit, hand-offs and outbox', async () => {
    const { i1, i2 } = await seed(t.store);
    const jonas = await t.store.privacy.aboutPerson({ ids: [JONAS], emails: [JONAS_MAIL] });
    expect(jonas.acknowledgements.map((a) => [a.incidentId, a.at])).toEqual([
      [i1, OLD],
      [i2, NEW],
    ]);
    expect(jonas.timeline.map((e) => e.type)).toEqual(['note', 'note', 'acknowledged', 'handoff_offered']);
    expect(jonas.audit.map((e) => [e.actor, e.at])).toEqual([
      [JONAS, OLD],
      [JONAS, NEW],
    ]);
    expect(jonas.handoffs.map((h) => h.state)).toEqual(['rejected']);
    expect(jonas.outbox.map((c) => [c.kind, c.payload])).toEqual([
      ['ack', { email: JONAS_MAIL, name: 'Jonas Weber', note: 'Acknowledged by Jonas Weber' }],
    ]);
    const anna = await t.store.privacy.aboutPerson({ ids: [ANNA], emails: [] });
    expect(anna.handoffs.map((h) => [h.incidentId, h.state])).toEqual([
      [i1, 'rejected'],
      [i2, 'offered'],
    ]);
    expect([anna.timeline, anna.audit, anna.outbox, anna.acknowledgements]).toEqual([[], [], [], []]);
  });

  it('finds a person by e-mail whatever its case, as SQLite does (PostgreSQL compares case-insensitively too)', async () => {
    await seed(t.store);
    const exact = await t.store.privacy.aboutPerson({ ids: [], emails: [JONAS_MAIL] });
    const shouted = await t.store.privacy.aboutPerson({ ids: [], emails: [JONAS_MAIL.toUpperCase()] });
    expect(exact.outbox).toHaveLength(1);
    expect(shouted.outbox).toEqual(exact.outbox);
    expect(shouted.audit).toEqual(exact.audit);
  });

  it('purges the people of closed shift handovers and who stopped an escalation; finds both for the person', async () => {
    const [inc] = await insertIncidents(t.store, incident('g1'));
    const jonasOnCall = { name: 'Jonas Weber', slackUser: 'U0JONAS001', email: JONAS_MAIL, phone: '+49 1' };
    const item = {
      incidentId: inc!.id,
      ticket: 'INC0010001',
      title: 'disk full',
      priority: 2,
      openedAt: OLD,
      slaMinutesLeft: 30,
      lastAction: { at: OLD, what: 'note: rotated the logs on db-01' },
      acknowledgedBy: 'Jonas Weber',
      openSteps: 1,
      handoffs: [],
    };
    await t.store.unitOfWork(async (uow) => {
      const base = {
        provider: 'infra',
        trigger: 'manual' as const,
        requestedBy: JONAS,
        outgoing: jonasOnCall,
        incoming: { name: 'Anna Schmidt', slackUser: 'U0ANNA0001' },
        summary: [item],
      };
      await uow.shifts.insert({
        ...base,
        at: OLD,
        state: 'acknowledged',
        acknowledgedBy: 'Anna Schmidt',
        acknowledgedAt: OLD,
        escalateAt: null,
      });
      // Still open (it can be acknowledged): kept as it is, however old.
      await uow.shifts.insert({
        ...base,
        at: OLD,
        state: 'open',
        acknowledgedBy: null,
        acknowledgedAt: null,
        escalateAt: OLD,
      });
      const run = {
        incidentId: inc!.id,
        provider: 'infra',
        priority: 2,
        trigger: 'opened' as const,
        steps: [],
        startedAt: OLD,
        nextStep: 0,
        nextDueAt: null,
        state: 'stopped' as const,
      };
      await uow.escalations.insert({ ...run, stoppedAt: OLD, stoppedBy: JONAS });
      await uow.escalations.insert({ ...run, trigger: 'reopened', stoppedAt: NEW, stoppedBy: JONAS });
    });

    const found = await t.store.privacy.aboutPerson({ ids: [JONAS], emails: [] });
    expect(found.shiftHandovers.map((h) => h.state)).toEqual(['acknowledged', 'open']);
    expect(found.escalationsStopped.map((e) => e.at)).toEqual([OLD, NEW]);
    // Anna is only the incoming on-call: found by her Slack id inside the stored person.
    const anna = await t.store.privacy.aboutPerson({ ids: [ANNA], emails: [] });
    expect(anna.shiftHandovers).toHaveLength(2);
    const byMail = await t.store.privacy.aboutPerson({ ids: [], emails: [JONAS_MAIL] });
    expect(byMail.shiftHandovers).toHaveLength(2);

    expect(await t.store.privacy.purge(ALL_JUNE, { dryRun: true, at: NEW })).toMatchObject({
      shiftHandovers: 1,
      escalations: 1,
    });
    expect(await t.store.privacy.purge(ALL_JUNE, { dryRun: false, at: NEW })).toMatchObject({
      shiftHandovers: 1,
      escalations: 1,
    });
    const [closed, open] = await t.store.shifts
      .list({ provider: 'infra', limit: 5 })
      .then((l) => [...l].sort((a, b) => a.id - b.id));
    expect(closed).toMatchObject({
      requestedBy: 'slack:(purged)',
      acknowledgedBy: '(purged)',
      outgoing: { name: '(purged)' },
      incoming: { name: '(purged)' },
      summary: [{ ...item, acknowledgedBy: '(purged)', lastAction: { at: OLD, what: '(purged)' } }],
      state: 'acknowledged',
      acknowledgedAt: OLD,
    });
    expect(closed?.outgoing).toEqual({ name: '(purged)' });
    expect(open).toMatchObject({ requestedBy: JONAS, outgoing: jonasOnCall, summary: [item] });
    expect((await t.store.escalations.ofIncident(inc!.id)).map((e) => e.stoppedBy)).toEqual([
      'slack:(purged)',
      JONAS,
    ]);
    expect(await t.store.privacy.purge(ALL_JUNE, { dryRun: false, at: NEW })).toMatchObject({
      shiftHandovers: 0,
      escalations: 0,
    });
  });

  it('purges the assignee and close notes of closed ServiceNow incidents last read before the cutoffs, each at its own, and keeps open ones whole', async () => {
    const INSTANCE = 'https://dev12345.service-now.com';
    const fields = (state: string) => ({
      state,
      hold_reason: '',
      impact: '2',
      urgency: '2',
      priority: '3',
      assignment_group: 'DMS Infrastructure',
      assigned_to: 'Jonas Weber',
      close_code: state === '1' ? '' : 'Solved (Permanently)',
      close_notes: state === '1' ? '' : 'Jonas Weber restarted the spooler',
    });
    const snap = (sysId: string, state: string, updatedOn: string) => ({
      sysId,
      modCount: 4,
      updatedOn,
      fields: fields(state),
      journalAfter: updatedOn,
      journal: [{ sysId: `j-${sysId}`, createdOn: updatedOn }],
    });
    const OLD_GLIDE = '2026-01-10 08:00:00';
    await t.store.servicenowSync.save(
      INSTANCE,
      [
        snap('closed-old', '7', OLD_GLIDE),
        snap('canceled-old', '8', OLD_GLIDE),
        snap('closed-new', '7', '2026-11-20 08:00:00'),
        // Open or resolved: the next poll diffs against it, however old it is.
        snap('open-old', '2', OLD_GLIDE),
        snap('resolved-old', '6', OLD_GLIDE),
        // Pushed, never polled: not dated yet.
        snap('closed-pushed', '7', ''),
      ],
      null,
    );
    const read = async () =>
      Object.fromEntries(
        [
          ...(
            await t.store.servicenowSync.snapshots(INSTANCE, [
              'closed-old',
              'canceled-old',
              'closed-new',
              'open-old',
              'resolved-old',
              'closed-pushed',
            ])
          ).values(),
        ].map((x) => [x.sysId, x]),
      );
    const before = await read();

    const textsOnly = { alertPayloads: OLD, chatTexts: JUNE, personalNames: OLD };
    expect(await t.store.privacy.purge(textsOnly, { dryRun: true, at: NEW })).toMatchObject({
      servicenowSnapshots: 2,
    });
    expect(await read()).toEqual(before);
    expect(await t.store.privacy.purge(textsOnly, { dryRun: false, at: NEW })).toMatchObject({
      servicenowSnapshots: 2,
    });
    expect((await read())['closed-old']?.fields).toEqual({
      ...fields('7'),
      close_notes: '(purged)',
    });
    expect(await t.store.privacy.purge(ALL_JUNE, { dryRun: false, at: NEW })).toMatchObject({
      servicenowSnapshots: 2,
    });
    const after = await read();
    for (const id of ['closed-old', 'canceled-old'])
      expect(after[id]).toEqual({
        ...before[id],
        fields: { ...before[id]!.fields, assigned_to: '(purged)', close_notes: '(purged)' },
      });
    for (const id of ['closed-new', 'open-old', 'resolved-old', 'closed-pushed'])
      expect(after[id]).toEqual(before[id]);
    expect(await t.store.privacy.purge(ALL_JUNE, { dryRun: false, at: NEW })).toMatchObject({
      servicenowSnapshots: 0,
    });

    // The export finds the snapshots by display name (ServiceNow stores no chat id or e-mail there).
    const jonas = await t.store.privacy.aboutPerson({ ids: [], emails: [], names: ['Jonas Weber'] });
    expect(jonas.servicenowSnapshots.map((x) => x.sysId).sort()).toEqual([
      'closed-new',
      'closed-pushed',
      'open-old',
      'resolved-old',
    ]);
    expect(jonas.servicenowSnapshots.find((x) => x.sysId === 'open-old')).toEqual({
      instance: INSTANCE,
      sysId: 'open-old',
      updatedOn: OLD_GLIDE,
      fields: fields('2'),
    });
    const nobody = await t.store.privacy.aboutPerson({ ids: [JONAS], emails: [JONAS_MAIL] });
    expect(nobody.servicenowSnapshots).toEqual([]);
    const wildcard = await t.store.privacy.aboutPerson({ ids: [], emails: [], names: ['%', 'Jonas_Weber'] });
    expect(wildcard.servicenowSnapshots).toEqual([]);
  });

  it('pages through the ServiceNow snapshots of several instances by (instance, sys_id): none skipped, none twice', async () => {
    const closed = (i: number) => ({
      sysId: `s${String(i).padStart(5, '0')}`,
      modCount: 2,
      updatedOn: '2026-01-10 08:00:00',
      fields: { state: '7', assigned_to: 'Jonas Weber', close_notes: '' },
      journalAfter: null,
      journal: [],
    });
    const instances = ['https://a.service-now.com', 'https://b.service-now.com'];
    for (const [n, instance] of instances.entries())
      await t.store.servicenowSync.save(
        instance,
        Array.from({ length: 700 - n * 300 }, (_, i) => closed(i)),
        null,
      );
    expect(await t.store.privacy.purge(ALL_JUNE, { dryRun: true, at: NEW })).toMatchObject({
      servicenowSnapshots: 1100,
    });
    expect(await t.store.privacy.purge(ALL_JUNE, { dryRun: false, at: NEW })).toMatchObject({
      servicenowSnapshots: 1100,
    });
    const left = await t.store.privacy.aboutPerson({ ids: [], emails: [], names: ['Jonas Weber'] });
    expect(left.servicenowSnapshots).toEqual([]);
  });

  it('purges the last synced assignee and close notes of tickets whose ServiceNow incident is closed, each at its own cutoff, and keeps the rest', async () => {
    // Four incidents, each linked to a ServiceNow incident and a Jira issue.
    const pairs = [
      ['closed-old', 'OPS-1', '7', OLD],
      ['canceled-old', 'OPS-2', '8', OLD],
      ['closed-new', 'OPS-3', '7', NEW],
      ['resolved-old', 'OPS-4', '6', OLD],
    ] as const;
    const incs = await insertIncidents(t.store, ...pairs.map(([sysId]) => incident(sysId)));
    const ANNA_ID = '712020:3f6c1a2e-8d4b-4f0e-9a57-1c2d3e4f5a61';
    await t.store.unitOfWork(async (uow) => {
      for (const [n, [sysId, key, state, closedAt]] of pairs.entries()) {
        await uow.incidents.update(incs[n]!.id, {
          tickets: {
            servicenow: { number: `INC00${n}`, sys_id: sysId, url: `https://sn/${sysId}` },
            jira: { key, url: `https://jira/browse/${key}` },
          },
        });
        const set = (system: 'servicenow' | 'jira', record: string, field: string, value: string | null) =>
          uow.sync.setFieldVersion(system, record, field, { value, updatedAt: OLD, version: 3 });
        await set('servicenow', sysId, 'assignedTo', 'Jonas Weber');
        await set('servicenow', sysId, 'closeNotes', 'Jonas Weber restarted the spooler');
        await set('servicenow', sysId, 'priority', '3');
        await set('servicenow', sysId, 'assignmentGroup', 'DMS Infrastructure');
        await set('jira', key, 'assignee', ANNA_ID);
        await set('jira', key, 'status', 'Done');
        await uow.sync.setFieldVersion('servicenow', sysId, 'state', {
          value: state,
          updatedAt: closedAt,
          version: 4,
        });
      }
      // Not linked to any incident: whether it is final is unknown, so it is kept.
      await uow.sync.setFieldVersion('jira', 'OPS-9', 'assignee', {
        value: ANNA_ID,
        updatedAt: OLD,
        version: 1,
      });
    });
    const read = async () => {
      const out: Record<string, unknown> = {};
      for (const [sysId, key] of [...pairs, ['none', 'OPS-9'] as const])
        for (const [system, record, field] of [
          ['servicenow', sysId, 'assignedTo'],
          ['servicenow', sysId, 'closeNotes'],
          ['servicenow', sysId, 'priority'],
          ['servicenow', sysId, 'assignmentGroup'],
          ['servicenow', sysId, 'state'],
          ['jira', key, 'assignee'],
          ['jira', key, 'status'],
        ] as const) {
          const v = await t.store.sync.fieldVersion(system, record, field);
          if (v) out[`${system}:${record}:${field}`] = v;
        }
      return out;
    };
    const before = await read();
    const purged = (what: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(before).map(([k, v]) => [k, k in what ? { ...(v as object), value: what[k] } : v]),
      );

    const textsOnly = { alertPayloads: OLD, chatTexts: JUNE, personalNames: OLD };
    expect(await t.store.privacy.purge(textsOnly, { dryRun: true, at: NEW })).toMatchObject({
      syncFieldVersions: 2,
    });
    expect(await read()).toEqual(before);
    expect(await t.store.privacy.purge(textsOnly, { dryRun: false, at: NEW })).toMatchObject({
      syncFieldVersions: 2,
    });
    const notes = {
      'servicenow:closed-old:closeNotes': '(purged)',
      'servicenow:canceled-old:closeNotes': '(purged)',
    };
    expect(await read()).toEqual(purged(notes));
    expect(await t.store.privacy.purge(ALL_JUNE, { dryRun: false, at: NEW })).toMatchObject({
      syncFieldVersions: 4,
    });
    // The update time and version stay: an older change still never overwrites a newer one.
    expect(await read()).toEqual(
      purged({
        ...notes,
        'servicenow:closed-old:assignedTo': '(purged)',
        'servicenow:canceled-old:assignedTo': '(purged)',
        'jira:OPS-1:assignee': '(purged)',
        'jira:OPS-2:assignee': '(purged)',
      }),
    );
    expect(await t.store.privacy.purge(ALL_JUNE, { dryRun: false, at: NEW })).toMatchObject({
      syncFieldVersions: 0,
    });

    // The export finds the rest by a name or e-mail address the value contains.
    const jonas = await t.store.privacy.aboutPerson({ ids: [], emails: [], names: ['Jonas Weber'] });
    expect(jonas.syncFieldVersions.map((v) => `${v.system}:${v.record}:${v.field}`)).toEqual([
      'servicenow:closed-new:assignedTo',
      'servicenow:closed-new:closeNotes',
      'servicenow:resolved-old:assignedTo',
      'servicenow:resolved-old:closeNotes',
    ]);
    expect(jonas.syncFieldVersions[1]).toEqual({
      system: 'servicenow',
      record: 'closed-new',
      field: 'closeNotes',
      value: 'Jonas Weber restarted the spooler',
      updatedAt: OLD,
    });
    const wildcard = await t.store.privacy.aboutPerson({ ids: [], emails: [], names: ['%', 'Jonas_Weber'] });
    expect(wildcard.syncFieldVersions).toEqual([]);
  });

  it('pages through the sync field versions by (system, record, field): none skipped, none twice', async () => {
    await t.store.unitOfWork(async (uow) => {
      for (let i = 0; i < 1100; i++) {
        const sysId = `s${String(i).padStart(5, '0')}`;
        const v = (value: string) => ({ value, updatedAt: OLD, version: 1 });
        await uow.sync.setFieldVersion('servicenow', sysId, 'state', v('7'));
        await uow.sync.setFieldVersion(
          'servicenow',
          sysId,
          i % 2 ? 'closeNotes' : 'assignedTo',
          v('Jonas Weber'),
        );
      }
    });
    expect(await t.store.privacy.purge(ALL_JUNE, { dryRun: true, at: NEW })).toMatchObject({
      syncFieldVersions: 1100,
    });
    expect(await t.store.privacy.purge(ALL_JUNE, { dryRun: false, at: NEW })).toMatchObject({
      syncFieldVersions: 1100,
    });
    const left = await t.store.privacy.aboutPerson({ ids: [], emails: [], names: ['Jonas Weber'] });
    expect(left.syncFieldVersions).toEqual([]);
  });

  it('matches e-mail addresses literally (LIKE wildcards in them match nothing else)', async () => {
    await seed(t.store);
    const r = await t.store.privacy.aboutPerson({
      ids: [],
      emails: ['jonas_weber@example.com', '%@example.com'],
    });
    expect([r.outbox, r.audit]).toEqual([[], []]);
  });
});
