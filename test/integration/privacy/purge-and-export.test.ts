import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acknowledgeIncident } from '../../../src/app/acknowledge-incident';
import { addIncidentNote } from '../../../src/app/add-incident-note';
import { anchorAudit } from '../../../src/app/anchor-audit';
import { decideIncidentHandoff } from '../../../src/app/decide-incident-handoff';
import { exportPerson } from '../../../src/app/export-person';
import { offerIncidentHandoff } from '../../../src/app/offer-incident-handoff';
import { PURGE_ACTION, purgePersonalData, retentionCutoffs } from '../../../src/app/purge-personal-data';
import { verifyAudit } from '../../../src/app/verify-audit';
import type { ChatActor } from '../../../src/ports/chat';
import type { Logger } from '../../../src/ports/logger';
import { AnchorFile } from '../../../integrations/anchors/anchor-file';
import { openSqliteStore } from '../../../integrations/storage/sqlite/open-sqlite-store';
import { incident, insertIncidents } from '../storage/contract/backends';

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const KEY = 's'.repeat(48);
const DAY = 86_400_000;
const JONAS: ChatActor = {
  platform: 'slack',
  userId: 'U0JONAS001',
  name: 'Jonas Weber',
  email: 'jonas.weber@example.com',
};
const RETENTION = { alertPayloads: 90 * 86400, chatTexts: 180 * 86400, personalNames: 365 * 86400 };

/** A store in which Jonas acknowledged and noted an incident and handed it to Anna, who accepted. */
async function history() {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-privacy-'));
  const store = await openSqliteStore(`sqlite:${join(dir, 's.sqlite')}`);
  const clock = { t: Date.parse('2026-01-05T09:00:00.000Z'), now: () => new Date(clock.t) };
  const ticketing = { lanes: ['servicenow' as const], groupWait: 0, noteInterval: 0 };
  const deps = { store, clock, ticketing };
  const handoffs = { ...deps, providers: ['infra', 'app'] };
  const [old, recent] = await insertIncidents(store, incident('g-old'), incident('g-new'));
  await acknowledgeIncident(deps, JONAS, old!.id);
  await addIncidentNote(deps, JONAS, old!.id, 'Customer Müller called about the outage');
  const offered = await offerIncidentHandoff(
    handoffs,
    { id: 'slack:U0JONAS001', name: 'Jonas Weber', email: JONAS.email },
    {
      incidentId: old!.id,
      to: 'app',
      note: { situation: 'db-01 full', actionsTaken: 'rotated logs', nextSteps: 'grow the volume' },
    },
  );
  if (!offered.ok) throw new Error(offered.message);
  await decideIncidentHandoff(
    handoffs,
    { id: 'slack:U0ANNA0001', name: 'Anna Schmidt', email: null },
    offered.handoff.id,
    {
      kind: 'accept',
    },
  );
  // Ten months later: a recent note by Jonas on another incident.
  clock.t += 300 * DAY;
  await addIncidentNote(deps, JONAS, recent!.id, 'Looking into it');
  const anchors = new AnchorFile(join(dir, 'anchors.jsonl'));
  const anchor = () =>
    anchorAudit(
      { audit: store.audit, anchors, key: KEY, clock, logger: quiet, interval: 60 },
      { force: true },
    );
  return { store, clock, deps, old: old!.id, recent: recent!.id, anchors, anchor };
}

describe('retention purge and data-subject export', () => {
  it('purges what is past retention, records itself in the audit log, and the anchored chain still verifies', async () => {
    const h = await history();
    try {
      await h.anchor();
      const now = h.clock.now();
      const dry = await purgePersonalData(
        { store: h.store, clock: h.clock },
        { cutoffs: retentionCutoffs(now, RETENTION), dryRun: true, actor: 'cli:purge' },
      );
      expect(await h.store.audit.lastOf(PURGE_ACTION)).toBeNull(); // a dry run is not recorded
      const real = await purgePersonalData(
        { store: h.store, clock: h.clock },
        { cutoffs: retentionCutoffs(now, RETENTION), dryRun: false, actor: 'job:retention' },
      );
      expect(real.counts).toEqual(dry.counts);
      // 300 days back: the texts (180 d) are past retention, the names (365 d) not yet.
      expect(real.counts).toMatchObject({ timelineEntries: 2, acknowledgements: 0, handoffs: 1 });
      const [, note] = await h.store.timeline.of(h.old, 10);
      expect(note).toMatchObject({
        type: 'note',
        actor: 'slack:U0JONAS001',
        data: { name: 'Jonas Weber', note: '(purged)' },
      });
      const recorded = await h.store.audit.lastOf(PURGE_ACTION, 'job:retention');
      expect(recorded?.data).toEqual({ cutoffs: real.cutoffs, counts: real.counts });
      expect(JSON.stringify(recorded)).not.toContain('Müller');

      // Two months later the names are due too.
      h.clock.t += 70 * DAY;
      const later = await purgePersonalData(
        { store: h.store, clock: h.clock },
        { cutoffs: retentionCutoffs(h.clock.now(), RETENTION), dryRun: false, actor: 'job:retention' },
      );
      expect(later.counts).toMatchObject({ acknowledgements: 1, handoffs: 1 });
      expect((await h.store.incidents.get(h.old))?.acknowledged).toMatchObject({
        by: 'slack:(purged)',
        name: '(purged)',
      });
      await h.anchor();
      expect(await verifyAudit(h.store, { anchors: await h.anchors.all(), key: KEY })).toMatchObject({
        ok: true,
        anchors: 2,
      });
      // Nothing of Jonas's old activity is left to find; the recent note is.
      const left = await exportPerson({ store: h.store, people: [], clock: h.clock }, 'slack:U0JONAS001');
      if ('error' in left) throw new Error(left.error);
      expect(left.stored.timeline.map((e) => [e.incidentId, e.type])).toEqual([[h.recent, 'note']]);
    } finally {
      await h.store.close();
    }
  });

  it('exports a person found by e-mail: acknowledgements, notes, hand-offs and queued commands across tables', async () => {
    const h = await history();
    try {
      // What the ServiceNow poll last read of two incidents: it names people by display name only.
      const snapshot = (sysId: string, assignee: string) => ({
        sysId,
        modCount: 3,
        updatedOn: '2026-01-05 10:00:00',
        fields: { state: '2', assigned_to: assignee, close_notes: '' },
        journalAfter: null,
        journal: [],
      });
      await h.store.servicenowSync.save(
        'https://dev1.service-now.com',
        [snapshot('sn-jonas', 'Jonas Weber'), snapshot('sn-anna', 'Anna Schmidt')],
        null,
      );
      // What the two-way sync last saw of those tickets' assignee and close notes.
      await h.store.unitOfWork(async (uow) => {
        const at = { updatedAt: '2026-01-05T10:00:00.000Z', version: 3 };
        await uow.sync.setFieldVersion('servicenow', 'sn-jonas', 'assignedTo', {
          value: 'Jonas Weber',
          ...at,
        });
        await uow.sync.setFieldVersion('servicenow', 'sn-anna', 'closeNotes', {
          value: 'Anna Schmidt and Jonas Weber replaced the switch',
          ...at,
        });
        await uow.sync.setFieldVersion('servicenow', 'sn-anna', 'assignedTo', {
          value: 'Anna Schmidt',
          ...at,
        });
      });
      const r = await exportPerson({ store: h.store, people: [], clock: h.clock }, 'Jonas.Weber@example.com');
      if ('error' in r) throw new Error(r.error);
      // The e-mail leads to the chat id through the acknowledgement queued for ServiceNow, and that to
      // the name ServiceNow knows them by.
      expect(r.identifiers).toEqual({
        ids: ['slack:U0JONAS001'],
        emails: ['jonas.weber@example.com'],
        names: ['Jonas Weber'],
      });
      expect(r.stored.servicenowSnapshots.map((x) => [x.sysId, x.fields.assigned_to])).toEqual([
        ['sn-jonas', 'Jonas Weber'],
      ]);
      expect(r.stored.syncFieldVersions.map((v) => [v.record, v.field])).toEqual([
        ['sn-anna', 'closeNotes'],
        ['sn-jonas', 'assignedTo'],
      ]);
      expect(r.stored.acknowledgements).toEqual([
        { incidentId: h.old, at: '2026-01-05T09:00:00.000Z', by: 'slack:U0JONAS001', name: 'Jonas Weber' },
      ]);
      expect(r.stored.timeline.map((e) => [e.incidentId, e.type])).toEqual([
        [h.old, 'acknowledged'],
        [h.old, 'note'],
        [h.old, 'handoff_offered'],
        [h.recent, 'note'],
      ]);
      expect(r.stored.handoffs.map((x) => [x.offeredBy, x.decidedBy, x.state])).toEqual([
        ['slack:U0JONAS001', 'slack:U0ANNA0001', 'accepted'],
      ]);
      expect(r.stored.audit.map((e) => e.action)).toEqual([
        'incident.acknowledged',
        'incident.note',
        'incident.handoff_offered',
        'incident.note',
      ]);
      expect(r.stored.outbox.map((c) => c.kind)).toContain('ack');
      // Configured people link the other way: a chat id to its e-mail.
      const anna = await exportPerson(
        {
          store: h.store,
          people: [{ name: 'Anna Schmidt', slackUser: 'U0ANNA0001', email: 'anna@example.com' }],
          clock: h.clock,
        },
        'slack:U0ANNA0001',
      );
      if ('error' in anna) throw new Error(anna.error);
      expect(anna.identifiers.emails).toEqual(['anna@example.com']);
      expect(anna.configured).toHaveLength(1);
      expect(anna.stored.handoffs).toHaveLength(1);
      expect(anna.stored.timeline.map((e) => e.type)).toEqual(['handoff_accepted']);
      expect(anna.stored.servicenowSnapshots.map((x) => x.sysId)).toEqual(['sn-anna']);
      expect(anna.stored.syncFieldVersions.map((v) => [v.record, v.field])).toEqual([
        ['sn-anna', 'assignedTo'],
        ['sn-anna', 'closeNotes'],
      ]);
    } finally {
      await h.store.close();
    }
  });

  it('refuses a query that is neither an e-mail nor a chat id', async () => {
    const h = await history();
    try {
      expect(await exportPerson({ store: h.store, people: [], clock: h.clock }, 'Jonas')).toEqual({
        error: '"Jonas" is neither an e-mail address nor a chat id like slack:U0123 or teams:<user id>',
      });
    } finally {
      await h.store.close();
    }
  });
});
