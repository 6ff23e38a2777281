import type { IncidentPatch, NewIncident } from '../../../../src/ports/store';
import { alert, BACKENDS, freshStore, incident, insertIncidents, member, minute } from './backends';

/** An incident of its own group (the key is unique too), with some fields changed. */
const inGroup = (groupKey: string, fields: Partial<NewIncident> = {}): NewIncident => ({
  ...incident(groupKey),
  ...fields,
});
const resolvedAt = (groupKey: string, key: string, n: number) =>
  inGroup(groupKey, { key, state: 'resolved', resolvedAt: minute(n), firingCount: 0 });

describe.each(BACKENDS)('incidents contract: %s', (_name, open) => {
  const t = freshStore(open);

  describe('writes', () => {
    it('stores every field of a new incident and reads it back by id', async () => {
      const input = inGroup('g1', {
        host: 'h1',
        service: 's1',
        runbookId: 'disk-full',
        previousIncidentId: 7,
        reopenCount: 2,
        flapping: true,
        flappingReported: true,
        memberCount: 3,
        tickets: {
          servicenow: { number: 'INC0010001', sys_id: 'a1b2', url: 'https://sn/INC0010001' },
          jira: { key: 'OPS-12', url: 'https://jira/browse/OPS-12', id: '10012' },
        },
        acknowledged: { at: minute(3), by: 'slack:U123', name: 'Ann' },
        chat: {
          slack: { channel: 'C1', ts: '1700000000.000100', seen: 4 },
          teams: { channel: 'T1', ts: 'm1' },
        },
      });
      const [stored] = await insertIncidents(t.store, input);
      expect(stored).toEqual({ id: 1, ...input });
      expect(await t.store.unitOfWork((uow) => uow.incidents.get(1))).toEqual(stored);
      expect(await t.store.incidents.get(1)).toEqual(stored);
      expect(await t.store.unitOfWork((uow) => uow.incidents.get(2))).toBeNull();
      expect(await t.store.incidents.get(2)).toBeNull();
    });

    it('updates only the fields in the patch', async () => {
      const [stored] = await insertIncidents(t.store, incident('g1'));
      const patch: IncidentPatch = {
        state: 'resolving',
        resolveDueAt: minute(10),
        firingCount: 0,
        flapping: true,
        flappingReported: true,
        memberCount: 4,
        tickets: { jira: { key: 'OPS-1', url: 'https://jira/browse/OPS-1' } },
        acknowledged: { at: minute(2), by: 'teams:29:x', name: 'Bo' },
        chat: { teams: { channel: '19:c@thread.tacv2', ts: 'a1', seen: 2 } },
      };
      await t.store.unitOfWork((uow) => uow.incidents.update(stored!.id, patch));
      expect(await t.store.incidents.get(stored!.id)).toEqual({ ...stored, ...patch });
      await t.store.unitOfWork(async (uow) => {
        await uow.incidents.update(stored!.id, { acknowledged: null, title: 'disk full' });
        await uow.incidents.update(stored!.id, {});
      });
      expect(await t.store.incidents.get(stored!.id)).toEqual({
        ...stored,
        ...patch,
        acknowledged: null,
        title: 'disk full',
      });
    });

    it('finds the open or resolving incident holding a dedup key, with its member row', async () => {
      const [first] = await insertIncidents(t.store, incident('g1'));
      const m = { ...member(first!.id, 'k1'), occurrences: 3, flapChanges: [minute(1), minute(2)] };
      await t.store.unitOfWork(async (uow) => {
        await uow.incidents.upsertMember(m);
        expect(await uow.incidents.findOpenByKey('k1')).toEqual({ incident: first, member: m });
        expect(await uow.incidents.findOpenByKey('k2')).toBeNull();
        await uow.incidents.update(first!.id, { state: 'resolving' });
        expect((await uow.incidents.findOpenByKey('k1'))?.incident.state).toBe('resolving');
        await uow.incidents.update(first!.id, { state: 'resolved', resolvedAt: minute(5) });
        expect(await uow.incidents.findOpenByKey('k1')).toBeNull();
        const second = await uow.incidents.insert({ ...incident('g1'), key: 'ib-g1-2' });
        await uow.incidents.upsertMember(member(second.id, 'k1'));
        expect(await uow.incidents.findOpenByKey('k1')).toEqual({
          incident: second,
          member: member(second.id, 'k1'),
        });
      });
    });

    it('upserts a member: writing the same key again updates the row', async () => {
      const [one, other] = await insertIncidents(t.store, incident('g1'), incident('g2'));
      const changed = {
        ...member(one!.id, 'k1'),
        status: 'resolved' as const,
        severity: 'critical',
        lastSeenAt: minute(4),
        lastChangeAt: minute(4),
        occurrences: 5,
        flapChanges: [minute(3), minute(4)],
      };
      const members = await t.store.unitOfWork(async (uow) => {
        await uow.incidents.upsertMember(member(one!.id, 'k1'));
        await uow.incidents.upsertMember(changed);
        await uow.incidents.upsertMember(member(one!.id, 'k2'));
        await uow.incidents.upsertMember(member(other!.id, 'k1'));
        return uow.incidents.members(one!.id);
      });
      expect(members.sort((a, b) => a.dedupKey.localeCompare(b.dedupKey))).toEqual([
        changed,
        member(one!.id, 'k2'),
      ]);
    });

    it('finds the open incident of a group, a resolving one included', async () => {
      await insertIncidents(t.store, resolvedAt('g1', 'r1', 5), incident('g2'));
      await t.store.unitOfWork(async (uow) => {
        expect(await uow.incidents.findOpenByGroup('g1')).toBeNull();
        const open = await uow.incidents.insert(incident('g1'));
        expect(await uow.incidents.findOpenByGroup('g1')).toEqual(open);
        await uow.incidents.update(open.id, { state: 'resolving' });
        expect((await uow.incidents.findOpenByGroup('g1'))?.id).toBe(open.id);
        expect(await uow.incidents.findOpenByGroup('g3')).toBeNull();
      });
    });

    it('finds the last resolved incident of a group by resolution time, not by id', async () => {
      const [, latest] = await insertIncidents(
        t.store,
        resolvedAt('g1', 'r1', 10),
        resolvedAt('g1', 'r2', 30),
        resolvedAt('g1', 'r3', 20),
        resolvedAt('g2', 'r4', 40),
        incident('g1'),
      );
      await t.store.unitOfWork(async (uow) => {
        expect(await uow.incidents.findLastResolved('g1')).toEqual(latest);
        expect(await uow.incidents.findLastResolved('g3')).toBeNull();
      });
    });

    it('finds incidents by group and member key, and forbids a second open incident per group', async () => {
      const { store } = t;
      const inc = await store.unitOfWork(async (uow) => {
        const i = await uow.incidents.insert(incident('g1'));
        await uow.incidents.upsertMember({
          incidentId: i.id,
          dedupKey: 'k1',
          status: 'firing',
          severity: 'major',
          host: null,
          service: null,
          summary: 's',
          firstSeenAt: 'a',
          lastSeenAt: 'a',
          lastChangeAt: 'a',
          occurrences: 1,
          flapChanges: ['t1'],
        });
        return i;
      });
      await store.unitOfWork(async (uow) => {
        expect((await uow.incidents.findOpenByGroup('g1'))?.id).toBe(inc.id);
        expect(await uow.incidents.findOpenByKey('k1')).toMatchObject({
          incident: { id: inc.id },
          member: { occurrences: 1, flapChanges: ['t1'] },
        });
        await uow.incidents.update(inc.id, { state: 'resolving', resolveDueAt: 'later', firingCount: 0 });
      });
      await expect(
        store.unitOfWork((uow) => uow.incidents.insert({ ...incident('g1'), key: 'ib-other' })),
        // better-sqlite3's native part keeps the SqliteError class of the first test file that loaded it, so in
        // jest's per-file realms `instanceof Error` can fail: match the message, not the class.
      ).rejects.toHaveProperty('message', expect.stringMatching(/unique/i));
      await store.unitOfWork((uow) =>
        uow.incidents.update(inc.id, { state: 'resolved', resolvedAt: '2026-11-02T09:00:00.000Z' }),
      );
      await store.unitOfWork(async (uow) => {
        expect(await uow.incidents.findOpenByGroup('g1')).toBeNull();
        expect((await uow.incidents.findLastResolved('g1'))?.id).toBe(inc.id);
        await uow.incidents.insert({ ...incident('g1'), key: 'ib-second' });
      });
    });

    it('allows one open incident in every group and any number of resolved ones', async () => {
      await insertIncidents(
        t.store,
        incident('g1'),
        incident('g2'),
        resolvedAt('g1', 'r1', 1),
        resolvedAt('g1', 'r2', 2),
      );
      // A state other than open still holds the group's one place, and the failed insert leaves nothing.
      await t.store.unitOfWork((uow) => uow.incidents.update(2, { state: 'resolving' }));
      await expect(
        t.store.unitOfWork((uow) => uow.incidents.insert({ ...incident('g2'), key: 'ib-g2-2' })),
      ).rejects.toHaveProperty('message', expect.stringMatching(/unique/i));
      const all = await t.store.incidents.list({ limit: 10 });
      expect(all.map((i) => [i.id, i.groupKey, i.state])).toEqual([
        [4, 'g1', 'resolved'],
        [3, 'g1', 'resolved'],
        [2, 'g2', 'resolving'],
        [1, 'g1', 'open'],
      ]);
    });

    it('lists the incidents housekeeping may be due for: resolving or flapping', async () => {
      await insertIncidents(
        t.store,
        incident('open'),
        inGroup('resolving', { state: 'resolving', resolveDueAt: minute(5) }),
        inGroup('flapping', { flapping: true }),
        resolvedAt('resolved', 'r1', 1),
      );
      const due = await t.store.unitOfWork((uow) => uow.incidents.needingTick());
      expect(due.map((i) => i.groupKey).sort()).toEqual(['flapping', 'resolving']);
    });
  });

  describe('reads', () => {
    it('lists incidents newest first, filtered by state and paged with before', async () => {
      const stored = await insertIncidents(
        t.store,
        incident('g1'),
        resolvedAt('g2', 'r2', 1),
        inGroup('g3', { state: 'resolving' }),
        resolvedAt('g4', 'r4', 2),
        incident('g5'),
      );
      const ids = async (q: Parameters<typeof t.store.incidents.list>[0]) =>
        (await t.store.incidents.list(q)).map((i) => i.id);
      expect(await t.store.incidents.list({ limit: 1 })).toEqual([stored[4]]);
      expect(await ids({ limit: 10 })).toEqual([5, 4, 3, 2, 1]);
      expect(await ids({ state: 'open', limit: 10 })).toEqual([5, 3, 1]);
      expect(await ids({ state: 'resolved', limit: 10 })).toEqual([4, 2]);
      expect(await ids({ limit: 2 })).toEqual([5, 4]);
      expect(await ids({ limit: 2, before: 4 })).toEqual([3, 2]);
      expect(await ids({ state: 'open', limit: 10, before: 5 })).toEqual([3, 1]);
      expect(await ids({ limit: 10, before: 1 })).toEqual([]);
    });

    it('reads an incident by id and its members, first seen first', async () => {
      const [one, other] = await insertIncidents(t.store, incident('g1'), incident('g2'));
      const seenAt = (dedupKey: string, n: number) => ({
        ...member(one!.id, dedupKey),
        firstSeenAt: minute(n),
      });
      await t.store.unitOfWork(async (uow) => {
        await uow.incidents.upsertMember(seenAt('k2', 5));
        await uow.incidents.upsertMember(seenAt('k1', 1));
        await uow.incidents.upsertMember(seenAt('k3', 3));
        await uow.incidents.upsertMember(member(other!.id, 'k4'));
      });
      expect(await t.store.incidents.get(one!.id)).toEqual(one);
      expect(await t.store.incidents.members(one!.id)).toEqual([
        seenAt('k1', 1),
        seenAt('k3', 3),
        seenAt('k2', 5),
      ]);
      expect(await t.store.incidents.members(99)).toEqual([]);
    });

    it('reads the alerts that joined an incident, newest first, up to the limit', async () => {
      const [one, other] = await insertIncidents(t.store, incident('g1'), incident('g2'));
      const ids = await t.store.inbox.accept(['k1', 'k2', 'k3', 'k4'].map(alert));
      await t.store.unitOfWork(async (uow) => {
        for (const [i, id] of ids.entries())
          await uow.inbox.markProcessed(id, minute(i), i === 2 ? other!.id : one!.id, `d${i}`);
      });
      const joined = await t.store.incidents.alerts(one!.id, 10);
      expect(joined.map((a) => [a.dedupKey, a.decision, a.processedAt])).toEqual([
        ['k4', 'd3', minute(3)],
        ['k2', 'd1', minute(1)],
        ['k1', 'd0', minute(0)],
      ]);
      expect(joined[0]).toEqual({
        ...alert('k4'),
        id: ids[3],
        processedAt: minute(3),
        incidentId: one!.id,
        decision: 'd3',
        requestId: null,
      });
      expect((await t.store.incidents.alerts(one!.id, 2)).map((a) => a.dedupKey)).toEqual(['k4', 'k2']);
      expect(await t.store.incidents.alerts(99, 10)).toEqual([]);
    });

    it('finds an incident by its ServiceNow number or Jira key, in any case', async () => {
      const [sn, jira, both] = await insertIncidents(
        t.store,
        inGroup('g1', {
          tickets: { servicenow: { number: 'INC0010001', sys_id: 'a1', url: 'https://sn/1' } },
        }),
        inGroup('g2', { tickets: { jira: { key: 'OPS-12', url: 'https://jira/browse/OPS-12' } } }),
        inGroup('g3', {
          tickets: {
            servicenow: { number: 'INC0010003', sys_id: 'a3', url: 'https://sn/3' },
            jira: { key: 'OPS-13', url: 'https://jira/browse/OPS-13' },
          },
        }),
      );
      const found = async (ref: string) => (await t.store.incidents.findByTicket(ref))?.id ?? null;
      expect(await t.store.incidents.findByTicket('INC0010001')).toEqual(sn);
      expect(await found('inc0010001')).toBe(sn!.id);
      expect(await found(' ops-12 ')).toBe(jira!.id);
      expect(await found('OPS-13')).toBe(both!.id);
      expect(await found('Inc0010003')).toBe(both!.id);
      expect(await found('INC0010002')).toBeNull();
      expect(await found('OPS-1')).toBeNull();
    });

    it('finds the newest incident when several carry the same ticket', async () => {
      const tickets = { jira: { key: 'OPS-7', url: 'https://jira/browse/OPS-7' } };
      await insertIncidents(
        t.store,
        inGroup('g1', { tickets }),
        inGroup('g2', { tickets }),
        inGroup('g3', { tickets: {} }),
      );
      expect((await t.store.incidents.findByTicket('ops-7'))?.id).toBe(2);
    });

    it('refuses odd input and matches only the ticket number and key', async () => {
      await insertIncidents(
        t.store,
        inGroup('g1', {
          title: 'INC1 is mentioned in the title',
          tickets: {
            servicenow: { number: 'INC1', sys_id: 'SYS1', url: 'https://sn/INC1' },
            jira: { key: 'OPS-1', url: 'https://jira/browse/OPS-1', id: '10001' },
          },
        }),
      );
      for (const ref of ['', '   ', '%', 'INC%', 'INC_', 'OPS-_', '"INC1"', 'INC1 OR 1=1', 'SYS1', '10001'])
        expect([ref, await t.store.incidents.findByTicket(ref)]).toEqual([ref, null]);
      expect((await t.store.incidents.findByTicket('inc1'))?.id).toBe(1);
      expect((await t.store.incidents.findByTicket('ops-1'))?.id).toBe(1);
    });
  });

  describe('downtimes', () => {
    it('tracks downtimes by scope', async () => {
      const { store } = t;
      await store.unitOfWork(async (uow) => {
        await uow.downtimes.set('h1!s1', {
          source: 'icinga',
          startedAt: 'now',
          author: 'op',
          comment: 'patching',
        });
        expect(await uow.downtimes.active(['h1', 'h1!s1'])).toBe('h1!s1');
        await uow.downtimes.clear('h1!s1');
        expect(await uow.downtimes.active(['h1', 'h1!s1'])).toBeNull();
      });
    });

    it('keeps downtimes across units of work and replaces one set again', async () => {
      const d = { source: 'icinga', startedAt: minute(0), author: null, comment: null };
      await t.store.unitOfWork((uow) => uow.downtimes.set('h1', d));
      await t.store.unitOfWork(async (uow) => {
        expect(await uow.downtimes.active(['h1!s1', 'h1'])).toBe('h1');
        expect(await uow.downtimes.active(['h2', 'h2!s1'])).toBeNull();
        expect(await uow.downtimes.active([])).toBeNull();
        await uow.downtimes.set('h1', { ...d, source: 'checkmk', author: 'op', comment: 'again' });
        await uow.downtimes.clear('h9');
      });
      await t.store.unitOfWork(async (uow) => {
        expect(await uow.downtimes.active(['h1'])).toBe('h1');
        await uow.downtimes.clear('h1');
      });
      expect(await t.store.unitOfWork((uow) => uow.downtimes.active(['h1']))).toBeNull();
    });
  });
});
