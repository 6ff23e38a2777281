import {
  dueStep,
  startEscalation,
  stopEscalation,
  type EscalationPolicy,
} from '../../../../src/core/escalation/escalation';
import { BACKENDS, freshStore, incident, insertIncidents, minute } from './backends';

const policy: EscalationPolicy = {
  priorities: [1],
  steps: [
    { after: 0, kind: 'mention', targets: ['oncall'] },
    { after: 300, kind: 'dm', targets: ['oncall', 'lead'] },
    { after: 900, kind: 'page', page: 'phone' },
  ],
};
const run = (incidentId: number, provider = 'infra', trigger: 'opened' | 'handoff' = 'opened') =>
  startEscalation({ incidentId, provider, priority: 1, trigger, at: minute(0), policy })!;

describe.each(BACKENDS)('escalations contract: %s', (_name, open) => {
  const t = freshStore(open);

  it('stores a run with its steps and reads it back as written, in the unit of work and outside', async () => {
    const [inc] = await insertIncidents(t.store, incident('g1'));
    const stored = await t.store.unitOfWork((uow) => uow.escalations.insert(run(inc!.id)));
    expect(stored).toEqual({ id: expect.any(Number), ...run(inc!.id) });
    expect(await t.store.escalations.ofIncident(inc!.id)).toEqual([stored]);
    expect(await t.store.unitOfWork((uow) => uow.escalations.ofIncident(inc!.id))).toEqual([stored]);
  });

  it('allows one running run per incident, provider and trigger; stopped ones do not count', async () => {
    const [inc] = await insertIncidents(t.store, incident('g1'));
    const first = await t.store.unitOfWork((uow) => uow.escalations.insert(run(inc!.id)));
    await t.store.unitOfWork((uow) => uow.escalations.insert(run(inc!.id, 'app')));
    await t.store.unitOfWork((uow) => uow.escalations.insert(run(inc!.id, 'infra', 'handoff')));
    await expect(t.store.unitOfWork((uow) => uow.escalations.insert(run(inc!.id)))).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/UNIQUE|duplicate/i),
    );
    await t.store.unitOfWork((uow) => uow.escalations.update(stopEscalation(first, 'slack:U1', minute(1))));
    await t.store.unitOfWork((uow) => uow.escalations.insert(run(inc!.id)));
    expect((await t.store.escalations.ofIncident(inc!.id)).map((e) => e.state)).toEqual([
      'stopped',
      'running',
      'running',
      'running',
    ]);
  });

  it('finds due runs soonest first and forgets them once stopped or finished', async () => {
    const [a, b] = await insertIncidents(t.store, incident('g1'), incident('g2'));
    const ra = await t.store.unitOfWork((uow) => uow.escalations.insert(run(a!.id)));
    const rb = await t.store.unitOfWork((uow) =>
      uow.escalations.insert({ ...run(b!.id), nextDueAt: minute(-1) }),
    );
    const due = (at: string) =>
      t.store.unitOfWork(async (uow) => (await uow.escalations.due(at, 10)).map((e) => e.id));
    expect(await due(minute(0))).toEqual([rb.id, ra.id]);
    expect(await due(minute(-2))).toEqual([]);

    const advanced = dueStep(ra, minute(0))!.next;
    await t.store.unitOfWork((uow) => uow.escalations.update(advanced));
    expect(await due(minute(4))).toEqual([rb.id]);
    expect(await due(minute(5))).toEqual([rb.id, ra.id]);
    expect((await t.store.escalations.ofIncident(a!.id))[0]).toEqual(advanced);

    await t.store.unitOfWork((uow) => uow.escalations.update(stopEscalation(rb, 'api', minute(1))));
    let last = advanced;
    for (let d = dueStep(last, minute(60)); d; d = dueStep(last, minute(60))) last = d.next;
    await t.store.unitOfWork((uow) => uow.escalations.update(last));
    expect(last.state).toBe('finished');
    expect(await due(minute(600))).toEqual([]);
  });
});
